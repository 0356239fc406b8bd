"""MIDI files (through mido): a melody written as a type-0 file with the replay record in a text meta event, and the
melody read back from any uploaded MIDI file as notes on the 16th grid (the top note where several start together)."""
import io
import json
import struct

import mido

from ..errors import GenartError
from .events import STEPS_PER_QUARTER, Note

TICKS_PER_QUARTER = 480
TICKS_PER_STEP = TICKS_PER_QUARTER // STEPS_PER_QUARTER
RECORD_PREFIX = "genart:"
MAX_MESSAGES = 200_000  # an uploaded file's events; more is not a melody


def midi_bytes(notes: list[Note], tempo: float, program: int, record: dict | None = None) -> bytes:
    track = mido.MidiTrack()
    if record is not None:
        track.append(mido.MetaMessage("text", text=RECORD_PREFIX + json.dumps(record, sort_keys=True)))
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo)))
    track.append(mido.Message("program_change", program=program))
    timeline = sorted([(n.start * TICKS_PER_STEP, 1, "note_on", n.pitch) for n in notes] +
                      [(n.end * TICKS_PER_STEP, 0, "note_off", n.pitch) for n in notes])  # offs before ons
    now = 0
    for tick, _, kind, pitch in timeline:
        track.append(mido.Message(kind, note=pitch, velocity=90 if kind == "note_on" else 0, time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track"))
    buffer = io.BytesIO()
    mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_QUARTER, tracks=[track]).save(file=buffer)
    return buffer.getvalue()


def _open(data: bytes) -> mido.MidiFile:
    try:
        midi = mido.MidiFile(file=io.BytesIO(data), clip=True)
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, struct.error):
        raise GenartError("This is not a MIDI file genart can read; upload a standard .mid file.") from None
    if sum(len(t) for t in midi.tracks) > MAX_MESSAGES:
        raise GenartError(f"This MIDI file holds over {MAX_MESSAGES:,} events; upload a single melody.")
    if midi.type == 2 or not midi.ticks_per_beat or midi.ticks_per_beat <= 0:
        raise GenartError("This MIDI file has no plain timeline (SMPTE time or type 2); save it as a type 0 or 1 file.")
    return midi


def read_midi_notes(data: bytes) -> list[Note]:
    """Every track's notes merged, onsets and ends rounded to 16ths, one note at a time: the highest of those that
    start together; a note is cut where the next one starts."""
    midi = _open(data)
    scale = STEPS_PER_QUARTER / midi.ticks_per_beat
    sounding: dict[tuple[int, int], int] = {}
    found: list[Note] = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                sounding[(msg.channel, msg.note)] = tick
            elif msg.type in ("note_on", "note_off") and (msg.channel, msg.note) in sounding:
                start = sounding.pop((msg.channel, msg.note))
                found.append(Note(msg.note, round(start * scale), max(round(start * scale) + 1, round(tick * scale))))
    melody: list[Note] = []
    for note in sorted(found, key=lambda n: (n.start, -n.pitch)):
        if melody and note.start == melody[-1].start:
            continue
        if melody and melody[-1].end > note.start:
            melody[-1] = Note(melody[-1].pitch, melody[-1].start, note.start)
        melody.append(note)
    if not melody:
        raise GenartError("This MIDI file has no notes; upload one with a melody in it.")
    return melody


def midi_file_record(data: bytes) -> dict | None:
    """The genart record of a MIDI file genart wrote, or None."""
    for track in _open(data).tracks:
        for msg in track:
            if msg.type == "text" and msg.text.startswith(RECORD_PREFIX):
                try:
                    record = json.loads(msg.text[len(RECORD_PREFIX):])
                except (json.JSONDecodeError, RecursionError):
                    return None
                return record if isinstance(record, dict) else None
    return None
