"""A finished piece of sound with its replay record: the samples for a WAV file and, for a melody, the notes for a MIDI
file; either file carries the record (and a repair's WAV its input recording). A Clip is a recording read in."""
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import GenartError
from .events import Note
from .midi import midi_bytes
from .wav import to_int16, wav_bytes


@dataclass
class Clip:
    """A recording as the repair task reads it."""
    samples: np.ndarray  # (N,) float32, mono, -1..1
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def wav(self) -> bytes:
        return wav_bytes(to_int16(self.samples), self.rate)


@dataclass
class Sound:
    samples: np.ndarray  # (N,) int16, mono
    rate: int
    record: dict
    notes: list[Note] | None = None  # a melody's, for its MIDI file; None for other sound
    tempo: float = 120.0
    program: int = 0  # General MIDI
    inputs: dict[str, Clip] = field(default_factory=dict)  # a repair's recording, stored in its WAV so it replays

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def wav(self) -> bytes:
        return wav_bytes(self.samples, self.rate, self.record, {k: v.wav() for k, v in self.inputs.items()})

    def midi(self) -> bytes:
        if self.notes is None:
            raise GenartError("Only a melody has notes to write as MIDI; save this sound as a .wav file.")
        return midi_bytes(self.notes, self.tempo, self.program, self.record)

    def save(self, path: Path) -> Path:
        path = Path(path)
        writers = {".wav": self.wav, ".mid": self.midi, ".midi": self.midi}
        if path.suffix.lower() not in writers:
            raise GenartError(f"Sound is written as .wav or .mid, not {path.suffix or 'without a suffix'}; name the "
                              "file .wav or .mid.")
        path.write_bytes(writers[path.suffix.lower()]())
        return path
