"""A small additive synthesiser: notes -> a mono waveform, no sound font needed. Each instrument is a few partials
under an envelope (attack, then a decay or a held level, then a release); the partials above the Nyquist frequency are
left out, so high notes do not alias."""
from dataclasses import dataclass

import numpy as np

from .events import STEPS_PER_QUARTER, Note

SAMPLE_RATE = 22_050
PEAK = 0.8  # the loudest sample of a rendered tune


@dataclass(frozen=True)
class Instrument:
    partials: tuple[float, ...]  # amplitude of the 1st, 2nd, ... harmonic
    attack: float  # seconds to full level
    decay: float  # seconds for the level to fall by e (0: held until the note ends)
    release: float  # seconds to silence after the note ends
    vibrato: float = 0.0  # depth in semitones, at 5.5 Hz
    program: int = 0  # the General MIDI program a MIDI file names for it


INSTRUMENTS: dict[str, Instrument] = {
    "piano": Instrument((1.0, 0.5, 0.3, 0.15, 0.1, 0.05), 0.005, 0.6, 0.08, program=0),
    "harp": Instrument((1.0, 0.3, 0.12, 0.05), 0.002, 0.35, 0.25, program=46),
    "flute": Instrument((1.0, 0.2, 0.05), 0.04, 0.0, 0.06, vibrato=0.08, program=73),
    "clarinet": Instrument((1.0, 0.0, 0.45, 0.0, 0.25, 0.0, 0.12), 0.03, 0.0, 0.05, program=71),
    "organ": Instrument((1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15), 0.01, 0.0, 0.03, program=19),
    "chiptune": Instrument(tuple(1 / k if k % 2 else 0.0 for k in range(1, 16)), 0.002, 0.0, 0.01, program=80),
}


def frequency(pitch: int) -> float:
    return 440.0 * 2 ** ((pitch - 69) / 12)


def seconds_per_step(tempo: float) -> float:
    return 60.0 / tempo / STEPS_PER_QUARTER


def note_wave(note: Note, instrument: Instrument, tempo: float, rate: int) -> np.ndarray:
    """One note's samples, from its start to the end of its release."""
    held = (note.end - note.start) * seconds_per_step(tempo)
    t = np.arange(int((held + instrument.release) * rate)) / rate  # (N,) seconds
    phase = 2 * np.pi * frequency(note.pitch) * t
    if instrument.vibrato:
        depth = 2 ** (instrument.vibrato / 12) - 1
        phase += depth * frequency(note.pitch) / 5.5 * (1 - np.cos(2 * np.pi * 5.5 * t))
    wave = sum(a * np.sin(k * phase) for k, a in enumerate(instrument.partials, 1)
               if a and k * frequency(note.pitch) < rate / 2)
    level = np.minimum(1.0, t / instrument.attack)
    if instrument.decay:
        level = level * np.exp(-t / instrument.decay)
    after = np.clip((t - held) / instrument.release, 0.0, 1.0)
    return wave * level * (1 - after)


def render(notes: list[Note], tempo: float, instrument: Instrument, steps: int, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Notes -> (N,) int16 samples lasting `steps` 16th notes plus the last release; the loudest sample at PEAK."""
    length = int((steps * seconds_per_step(tempo) + instrument.release) * rate) + 1
    mix = np.zeros(length)
    for note in notes:
        wave = note_wave(note, instrument, tempo, rate)
        start = int(round(note.start * seconds_per_step(tempo) * rate))
        wave = wave[:length - start]
        mix[start:start + len(wave)] += wave
    peak = np.abs(mix).max()
    if peak > 0:
        mix *= PEAK / peak
    return np.round(mix * 32767).astype(np.int16)
