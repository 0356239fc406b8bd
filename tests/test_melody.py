"""Melodies: the event encoding, primers, the synthesiser, WAV and MIDI files with their records, the pipeline with
both shipped models, replay and the CLI."""
import io
import json
import struct
import wave

import mido
import numpy as np
import pytest

from genart import cli
from genart.audio.events import (
    HIGH,
    LOW,
    NO_EVENT,
    NOTE_OFF,
    START,
    STEPS_PER_BAR,
    Note,
    events_to_notes,
    notes_to_events,
    parse_primer,
    pitch_token,
    primer_text,
)
from genart.audio.midi import midi_bytes, midi_file_record, read_midi_notes
from genart.audio.piano_roll import PRIMER, SAMPLED, piano_roll
from genart.audio.synth import INSTRUMENTS, PEAK, SAMPLE_RATE, render, seconds_per_step
from genart.audio.wav import read_wav, wav_bytes, wav_file_record
from genart.errors import GenartError
from genart.pipelines import melody, runner
from genart.pipelines.melody import MelodySettings, generate_melody
from genart.pipelines.remake import remake_file, verdict
from genart.registry import list_models

MODELS = [s.name for s in list_models("melody")]


def test_events_and_notes_are_each_others_inverse():
    notes = [Note(60, 0, 2), Note(62, 2, 6), Note(64, 8, 9), Note(84, 12, 16)]
    events = notes_to_events(notes)
    assert events[:9] == [pitch_token(60), NO_EVENT, pitch_token(62), NO_EVENT, NO_EVENT, NO_EVENT, NOTE_OFF, NO_EVENT,
                          pitch_token(64)]
    assert events_to_notes(events) == notes
    assert events_to_notes([START, *events]) == [Note(n.pitch, n.start + 1, n.end + 1) for n in notes]


def test_a_primer_reads_note_names_lengths_and_rests_and_writes_back_the_same():
    events = parse_primer("C4 D#4:4 r:3 Bb3:1 c5")
    assert events_to_notes(events) == [Note(60, 0, 2), Note(63, 2, 6), Note(58, 9, 10), Note(72, 10, 12)]
    assert primer_text(events_to_notes(events)) == "C4 D#4:4 r:3 A#3:1 C5"  # sharps for black keys
    assert parse_primer("") == []


@pytest.mark.parametrize("primer, says", [("C4 H4", "'H4' is not a note"), ("C", "'C' is not a note"),
                                          ("C4:17", "1 to 16"), ("C2", "outside the melody range"),
                                          ("C4:16 " * 5, "keep it to")])
def test_a_bad_primer_says_what_to_change(primer, says):
    with pytest.raises(GenartError, match=says):
        parse_primer(primer)


def test_the_synthesiser_plays_each_note_at_its_pitch_for_its_length():
    notes = [Note(69, 0, 8)]  # A4 for half a bar
    for name, instrument in INSTRUMENTS.items():
        samples = render(notes, 120, instrument, STEPS_PER_BAR)
        assert samples.dtype == np.int16 and abs(int(np.abs(samples).max()) - round(PEAK * 32767)) <= 1
        held = int(8 * seconds_per_step(120) * SAMPLE_RATE)
        spectrum = np.abs(np.fft.rfft(samples[:held].astype(float)))
        assert abs(np.argmax(spectrum) * SAMPLE_RATE / held - 440) < 3, name  # the fundamental is the loudest
        assert np.abs(samples[held + int(instrument.release * SAMPLE_RATE) + 10:]).max() == 0, name  # then silence
    high = render([Note(HIGH, 0, 4)], 120, INSTRUMENTS["chiptune"], 4)
    spectrum = np.abs(np.fft.rfft(high.astype(float)))
    assert spectrum[int(len(spectrum) * 0.98):].max() < 1e-3 * spectrum.max()  # no partial above Nyquist folds back


def test_a_wav_carries_its_record_and_reads_back_sample_for_sample():
    samples = render([Note(60, 0, 4)], 120, INSTRUMENTS["piano"], 4)
    data = wav_bytes(samples, SAMPLE_RATE, {"model": "m", "seed": 3})
    with wave.open(io.BytesIO(data)) as w:  # any WAV reader opens it
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (SAMPLE_RATE, 1, 2)
        assert np.array_equal(np.frombuffer(w.readframes(w.getnframes()), "<i2"), samples)
    back, rate, record = read_wav(data, 60)
    assert rate == SAMPLE_RATE and record == {"model": "m", "seed": 3} and wav_file_record(data) == record
    assert np.array_equal(np.round(back * 32768).astype(np.int16), samples)


def test_stereo_24_bit_wavs_are_mixed_to_mono():
    left, right = np.array([0, 1 << 22, -(1 << 22)]), np.array([0, 0, -(1 << 22)])
    frames = b"".join(int(v).to_bytes(3, "little", signed=True) for pair in zip(left, right) for v in pair)
    fmt = struct.pack("<HHIIHH", 1, 2, 8000, 8000 * 6, 6, 24)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(frames)) + frames
    samples, rate, record = read_wav(b"RIFF" + struct.pack("<I", len(body)) + body, 60)
    assert rate == 8000 and record is None
    assert np.allclose(samples, [0, 0.25, -0.5])


@pytest.mark.parametrize("data, says", [
    (b"not a wav at all", "not a WAV file"),
    (b"RIFF\x04\x00\x00\x00WAVE", "no format or no sound data"),
    (wav_bytes(np.zeros(8000 * 5, np.int16), 8000), "lasts 5 s; upload at most 2 s"),
])
def test_a_bad_wav_is_refused_with_a_sentence(data, says):
    with pytest.raises(GenartError, match=says):
        read_wav(data, 2)


def test_a_midi_file_carries_its_record_and_any_midi_gives_its_top_line():
    notes = [Note(62, 0, 2), Note(66, 2, 4), Note(69, 4, 8)]
    data = midi_bytes(notes, 100, INSTRUMENTS["flute"].program, {"model": "m"})
    assert midi_file_record(data) == {"model": "m"} and read_midi_notes(data) == notes
    chords = mido.MidiFile(ticks_per_beat=96)  # a two-track file with a chord: its top notes are the melody
    for pitches in ([60, 64, 67], [48]):
        track = mido.MidiTrack()
        for p in pitches:
            track.append(mido.Message("note_on", note=p, velocity=80, time=0))
        track.append(mido.Message("note_off", note=pitches[0], time=96))
        for p in pitches[1:]:
            track.append(mido.Message("note_off", note=p, time=0))
        chords.tracks.append(track)
    buffer = io.BytesIO()
    chords.save(file=buffer)
    assert read_midi_notes(buffer.getvalue()) == [Note(67, 0, 4)] and midi_file_record(buffer.getvalue()) is None
    for bad in (b"MThd\x00\x00\x00\x06\x00", b"hello", b""):
        with pytest.raises(GenartError, match="not a MIDI file"):
            read_midi_notes(bad)


def test_the_piano_roll_draws_primer_and_sampled_notes_in_their_colours():
    roll = piano_roll([Note(60, 0, 4), Note(72, 4, 8)], 16, primer_steps=4)
    pixels = np.asarray(roll)
    colours = {tuple(c) for c in pixels.reshape(-1, 3)}
    assert PRIMER in colours and SAMPLED in colours and roll.width == 16 * 6 + 1


@pytest.mark.parametrize("model", MODELS)
def test_a_melody_streams_bar_by_bar_and_keeps_its_primer(model):
    s = MelodySettings(primer="D4 E4 F#4 G4:4", bars=3, seed=5, instrument="organ")
    updates = list(generate_melody(model, s))
    assert [u.steps for u in updates] == [16, 32, 48] and [u.done for u in updates] == [False, False, True]
    output = updates[-1].output
    notes = output.sound.notes
    assert notes[:3] == [Note(62, 0, 2), Note(64, 2, 4), Note(66, 4, 6)] and notes[3].pitch == 67
    assert max(n.end for n in notes) <= 10 + 48
    assert output.sound.seconds == pytest.approx((10 + 48) * seconds_per_step(120) +
                                                 INSTRUMENTS["organ"].release, abs=0.01)
    assert output.record["model"] == model and output.record["instrument"] == "organ"
    assert output.image.size == updates[-1].roll.size
    again = list(generate_melody(model, s))[-1].output
    assert np.array_equal(again.sound.samples, output.sound.samples)  # the seed decides
    other = list(generate_melody(model, MelodySettings(primer="D4 E4 F#4 G4:4", bars=3, seed=6)))[-1].output
    assert other.sound.notes != notes


def test_the_two_models_write_different_tunes_and_greedy_decoding_is_repeatable():
    s = {"bars": 4, "seed": 1, "temperature": 1.0}
    a, b = (runner.run("melody", m, s, {}) for m in MODELS)
    assert a.sound.notes != b.sound.notes
    greedy = [runner.run("melody", MODELS[0], s | {"seed": seed, "temperature": 0.0}, {}).sound.notes for seed in (1, 9)]
    assert greedy[0] == greedy[1]


@pytest.mark.parametrize("params, says", [
    ({"bars": 17}, "Length in bars must be from 1 to 16"), ({"instrument": "kazoo"}, "no instrument 'kazoo'"),
    ({"primer": "C4 X"}, "'X' is not a note"), ({"tempo": 1000}, "Tempo must be from"),
])
def test_bad_melody_settings_get_a_sentence(params, says):
    with pytest.raises(GenartError, match=says):
        runner.run("melody", "melody-lstm", params, {})


def test_a_primer_and_bars_past_the_context_are_refused(monkeypatch):
    monkeypatch.setattr(melody.MelodyModel, "context", property(lambda self: 40))
    with pytest.raises(GenartError, match="ask for fewer bars or a shorter primer"):
        runner.run("melody", "melody-lstm", {"bars": 3, "primer": "C4"}, {})


def test_a_text_model_is_not_a_melody_model():
    with pytest.raises(GenartError, match="text"):
        runner.run("melody", "text-art-lstm", {}, {})


@pytest.mark.parametrize("suffix, says", [(".wav", "sample for sample"), (".mid", "note for note"),
                                          (".png", "pixel for pixel")])
def test_every_melody_file_replays_exactly(tmp_path, suffix, says):
    output = runner.run("melody", "melody-transformer", {"bars": 2, "seed": 4, "tempo": 90}, {})
    path = tmp_path / f"tune{suffix}"
    output.artwork().save(path) if suffix == ".png" else output.sound.save(path)
    record, remade = remake_file(path)
    assert record["task"] == "melody" and record["tempo"] == 90
    assert says in verdict(path, remade)


def test_a_damaged_sound_record_is_refused(tmp_path):
    path = tmp_path / "x.wav"
    path.write_bytes(wav_bytes(np.zeros(10, np.int16), 8000, {"version": 1, "task": "melody"}))
    with pytest.raises(GenartError, match="carries no genart record"):
        remake_file(path)
    path.write_bytes(b"RIFF junk")
    with pytest.raises(GenartError, match="not a WAV file"):
        remake_file(path)


def test_the_cli_writes_wav_midi_and_png_and_replays_them(tmp_path, capsys):
    out = tmp_path / "tune.wav"
    assert cli.main(["melody", "--model", "melody-lstm", "--seed", "1", "--bars", "2", "--out", str(out)]) == 0
    assert all(out.with_suffix(s).exists() for s in (".wav", ".mid", ".png"))
    assert json.loads(json.dumps(midi_file_record(out.with_suffix(".mid").read_bytes())))["seed"] == 1
    assert cli.main(["replay", str(out.with_suffix(".mid"))]) == 0
    assert "note for note" in capsys.readouterr().err
    assert read_midi_notes((tmp_path / "tune-replay.mid").read_bytes()) == \
        read_midi_notes(out.with_suffix(".mid").read_bytes())
    assert cli.main(["melody", "--primer", "C4 Z", "--out", str(out)]) == 2
    assert cli.main(["melody", "--out", str(tmp_path / "tune.mp3")]) == 2


def test_low_and_high_bound_the_vocabulary():
    assert pitch_token(HIGH) == melody.VOCAB - 1 and pitch_token(LOW) == 3


def test_compare_sets_the_melody_models_side_by_side_with_a_player_for_each_cell():
    import zipfile

    from genart.pipelines.compare import compare
    from genart.pipelines.compare_grid import zip_bytes
    from genart.ui import compare_tab

    *_, c = compare("melody", MODELS, {"bars": 2}, {}, "seed", [1, 2])
    assert len(c.cells) == 4 and not any(cell.error for cell in c.cells)
    pick, player, sounds = compare_tab.players(c)
    assert [label for label, _ in sounds] == [f"{m} · seed = {s}" for s in (1, 2) for m in MODELS]
    assert pick["visible"] and player["value"] == sounds[0][1]
    assert compare_tab.listen(3, sounds) == sounds[3][1]
    assert compare_tab.listen(4, sounds) is None and compare_tab.listen("/etc/passwd", sounds) is None
    names = zipfile.ZipFile(io.BytesIO(zip_bytes(c))).namelist()
    assert sum(n.endswith(".wav") for n in names) == 4 and sum(n.endswith(".png") for n in names) == 5
