"""Monophonic melodies as MelodyRNN events (Magenta's melody encoding): one event per 16th note, either a pitch's
note-on, NO_EVENT (whatever sounds goes on sounding, a note or a rest), or NOTE_OFF (silence from here).

Tokens: NO_EVENT, NOTE_OFF, START (what every sequence begins with, so a model can start a tune from nothing), then one
per pitch from LOW to HIGH. Primers are typed as note names ("E4 D4 C4:4 r D4"); see parse_primer.
"""
import re
from dataclasses import dataclass

from ..errors import GenartError

LOW, HIGH = 48, 84  # C3 to C6, the MIDI pitches a melody may use
NO_EVENT, NOTE_OFF, START = 0, 1, 2
FIRST_PITCH = 3
VOCAB = FIRST_PITCH + HIGH - LOW + 1
STEPS_PER_QUARTER = 4
STEPS_PER_BAR = 4 * STEPS_PER_QUARTER  # bars are counted in 4/4
NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
PRIMER_WORD = re.compile(r"^(?:(r)|([A-Ga-g])([#b]?)(-?\d))(?::(\d{1,2}))?$")
DEFAULT_STEPS = 2  # a primer note without a length is an eighth note
MAX_PRIMER_STEPS = 4 * STEPS_PER_BAR  # with 16 bars after it, inside the models' 384-step context


@dataclass(frozen=True)
class Note:
    pitch: int  # MIDI
    start: int  # in 16th-note steps
    end: int


def pitch_token(pitch: int) -> int:
    return FIRST_PITCH + pitch - LOW


def is_pitch(token: int) -> bool:
    return token >= FIRST_PITCH


def note_name(pitch: int) -> str:
    return f"{NAMES[pitch % 12]}{pitch // 12 - 1}"


def notes_to_events(notes: list[Note], length: int | None = None) -> list[int]:
    """Notes (non-overlapping, in range) -> events, `length` steps long (default: to the last note's end).
    A note that ends where the next one starts needs no NOTE_OFF."""
    length = max((n.end for n in notes), default=0) if length is None else length
    events = [NO_EVENT] * length
    for note in notes:
        if note.start < length:
            events[note.start] = pitch_token(note.pitch)
        if note.end < length and events[note.end] == NO_EVENT:
            events[note.end] = NOTE_OFF
    return events


def events_to_notes(events: list[int]) -> list[Note]:
    """Events -> the notes they play; START tokens are ignored and a note still sounding at the end stops there."""
    notes, pitch, start = [], None, 0
    for step, token in enumerate(events):
        if token == NO_EVENT or token == START:
            continue
        if pitch is not None:
            notes.append(Note(pitch, start, step))
        pitch, start = (LOW + token - FIRST_PITCH, step) if is_pitch(token) else (None, step)
    if pitch is not None:
        notes.append(Note(pitch, start, len(events)))
    return notes


def parse_primer(text: str) -> list[int]:
    """"E4 D4 C4:4 r:2 G#3" -> events: note names with an octave (C4 is middle C, MIDI 60), r for a rest, and
    an optional :n length in 16th notes (default 2). One sentence says what to change when a word is not one."""
    events: list[int] = []
    for word in text.split():
        m = PRIMER_WORD.match(word)
        if m is None:
            raise GenartError(f"The primer's {word!r:.20} is not a note: write note names with an octave and an "
                              "optional length in 16ths, like E4 D#4 Bb3:4, or r for a rest.")
        rest, letter, accidental, octave, steps = m.groups()
        steps = int(steps) if steps else DEFAULT_STEPS
        if not 1 <= steps <= STEPS_PER_BAR:
            raise GenartError(f"The primer's {word} lasts {steps} 16ths; give each note 1 to {STEPS_PER_BAR}.")
        if rest:
            events += [NOTE_OFF] + [NO_EVENT] * (steps - 1)
            continue
        pitch = (int(octave) + 1) * 12 + LETTERS[letter.upper()] + {"#": 1, "b": -1, "": 0}[accidental]
        if not LOW <= pitch <= HIGH:
            raise GenartError(f"The primer's {word} is outside the melody range {note_name(LOW)} to "
                              f"{note_name(HIGH)}; move it by an octave.")
        events += [pitch_token(pitch)] + [NO_EVENT] * (steps - 1)
    if len(events) > MAX_PRIMER_STEPS:
        raise GenartError(f"The primer lasts {len(events)} 16ths; keep it to {MAX_PRIMER_STEPS} (4 bars).")
    return events


def primer_text(notes: list[Note], max_steps: int = MAX_PRIMER_STEPS) -> str:
    """Notes -> the primer words that play them (rests between them included), up to max_steps: how an uploaded MIDI
    file's first notes become a primer a person can read and edit."""
    words, step = [], 0
    for note in notes:
        if note.start >= max_steps:
            break
        if note.start > step:
            words.append(_word("r", min(note.start, max_steps) - step))
        end = min(note.end, max_steps, note.start + STEPS_PER_BAR)
        words.append(_word(note_name(note.pitch), end - note.start))
        step = end
    return " ".join(words)


def _word(name: str, steps: int) -> str:
    """One primer word, or several for a rest longer than a bar."""
    words = []
    while steps > 0:
        n = min(steps, STEPS_PER_BAR)
        words.append(name if n == DEFAULT_STEPS else f"{name}:{n}")
        steps -= n
    return " ".join(words)
