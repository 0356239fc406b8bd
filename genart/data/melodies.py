"""Public-domain melodies for the melody models: O'Neill's 1850 Irish tunes (about 1,850 of them, as music21's corpus
ships them in ABC), read with music21 at training time only and kept as events in the data cache.

Each tune becomes MelodyRNN events (audio/events.py) at 16th-note resolution: the top note of a chord, grace notes
dropped, onsets rounded to the grid, moved by octaves into the melody range. The split is by tune (a hash of its
collection, file and number), so no held-out tune is ever trained on, in any key.
"""
import json
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.events import FIRST_PITCH, HIGH, LOW, STEPS_PER_QUARTER, Note, notes_to_events, pitch_token
from ..errors import GenartError
from .datasets import CACHE_DIR

COLLECTION = "oneills1850"
HELD_OUT_PERCENT = 10
MIN_STEPS = 32  # two bars: shorter fragments are not tunes
CACHE = CACHE_DIR / f"melodies-{COLLECTION}-v1.json"


@dataclass(frozen=True)
class Tune:
    name: str  # file/number: title
    events: list[int]

    @property
    def held_out(self) -> bool:
        return zlib.crc32(self.name.encode()) % 100 < HELD_OUT_PERCENT


def _music21():
    try:
        import music21
    except ImportError:
        raise GenartError("Reading the tune collections needs music21: pip install -r requirements-dev.txt.") from None
    return music21


def score_notes(score) -> list[Note]:
    """A music21 score -> its melody as notes on the 16th grid: chords give their top note, grace notes and notes that
    land on an onset already taken are dropped."""
    notes: list[Note] = []
    for element in score.flatten().notes:
        length = round(float(element.quarterLength) * STEPS_PER_QUARTER)
        start = round(float(element.offset) * STEPS_PER_QUARTER)
        if length <= 0 or (notes and start <= notes[-1].start):
            continue
        pitch = max(p.midi for p in element.pitches)
        if notes and notes[-1].end > start:
            notes[-1] = Note(notes[-1].pitch, notes[-1].start, start)
        notes.append(Note(pitch, start, start + length))
    return notes


def in_range(notes: list[Note]) -> list[Note] | None:
    """The notes moved by whole octaves into LOW..HIGH, or None when their span is too wide."""
    low, high = min(n.pitch for n in notes), max(n.pitch for n in notes)
    for shift in sorted(range(-48, 49, 12), key=abs):
        if low + shift >= LOW and high + shift <= HIGH:
            return [Note(n.pitch + shift, n.start, n.end) for n in notes]
    return None


def read_file(path: str) -> list[Tune]:
    """One ABC file of the collection -> its tunes."""
    music21 = _music21()
    opus = music21.converter.parse(path)
    scores = opus.scores if hasattr(opus, "scores") else [opus]
    tunes = []
    for i, score in enumerate(scores):
        notes = score_notes(score)
        notes = in_range(notes) if notes else None
        if notes is None or notes[-1].end < MIN_STEPS:
            continue
        title = score.metadata.title if score.metadata and score.metadata.title else "untitled"
        tunes.append(Tune(f"{Path(path).stem}/{i}: {title}", notes_to_events(notes)))
    return tunes


def read_collection(files: int | None = None, workers: int = 2) -> list[Tune]:
    """Every tune of the collection, parsed once (two minutes on two cores) and then read from the data cache; or
    those of its first `files` files only, parsed each time (a quick run)."""
    if files is None and CACHE.exists():
        return [Tune(name, events) for name, events in json.loads(CACHE.read_text())]
    music21 = _music21()
    paths = sorted(str(p) for p in music21.corpus.getComposer(COLLECTION))[:files]
    with ProcessPoolExecutor(workers) as pool:
        tunes = [t for file_tunes in pool.map(read_file, paths) for t in file_tunes]
    if files is None:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_text(json.dumps([[t.name, t.events] for t in tunes]))
    return tunes


def split(tunes: list[Tune]) -> tuple[list[Tune], list[Tune]]:
    """-> (training tunes, held-out tunes)."""
    return [t for t in tunes if not t.held_out], [t for t in tunes if t.held_out]


def transposed(events: list[int], shift: int) -> list[int] | None:
    """The events moved by `shift` semitones, or None when a note would leave the range."""
    a = np.asarray(events)
    pitched = a >= FIRST_PITCH
    moved = np.where(pitched, a + shift, a)
    if pitched.any() and (moved[pitched].min() < pitch_token(LOW) or moved[pitched].max() > pitch_token(HIGH)):
        return None
    return moved.tolist()
