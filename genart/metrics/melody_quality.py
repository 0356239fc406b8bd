"""How a melody model's tunes compare with held-out ones: pitch-class and interval histograms (distance between the
samples' and the held-out tunes'), the share of notes in the tune's key, repeated bars, and novelty (the longest run
of notes copied from a training tune).

Keys are found with the Krumhansl-Kessler profiles (Krumhansl 1990): the major or minor key whose profile correlates
best with the tune's duration-weighted pitch classes. Pitch classes are counted relative to that key's tonic, and
copied runs are compared as intervals and lengths, so a tune copied in another key still counts as copied.

    python -m genart.metrics.melody_quality --model melody-lstm --samples 500
"""
import argparse
import json

import numpy as np
import torch

from ..audio.events import START, STEPS_PER_BAR, Note, events_to_notes
from ..pipelines.decode import decode
from ..pipelines.sampling import SamplingSettings

MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
MAJOR_SCALE, MINOR_SCALE = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10)
MAX_INTERVAL = 12  # intervals beyond an octave share the end bins
BARS = 16  # samples and held-out tunes are compared over their first 16 bars


def key_of(notes: list[Note]) -> tuple[int, bool]:
    """-> (tonic pitch class, is major) that best fit the notes' duration-weighted pitch classes."""
    weights = np.zeros(12)
    for n in notes:
        weights[n.pitch % 12] += n.end - n.start
    scores = [(np.corrcoef(weights, np.roll(profile, tonic))[0, 1], tonic, major)
              for major, profile in ((True, MAJOR), (False, MINOR)) for tonic in range(12)]
    _, tonic, major = max(scores, key=lambda s: -1 if np.isnan(s[0]) else s[0])
    return tonic, major


def in_key_share(notes: list[Note]) -> float:
    tonic, major = key_of(notes)
    scale = MAJOR_SCALE if major else MINOR_SCALE
    return float(np.mean([(n.pitch - tonic) % 12 in scale for n in notes]))


def pitch_class_histogram(tunes: list[list[Note]]) -> np.ndarray:
    """(12,) share of notes on each degree above the tune's tonic, over all tunes."""
    counts = np.zeros(12)
    for notes in tunes:
        tonic, _ = key_of(notes)
        for n in notes:
            counts[(n.pitch - tonic) % 12] += 1
    return counts / max(counts.sum(), 1)


def interval_histogram(tunes: list[list[Note]]) -> np.ndarray:
    """(25,) share of melodic steps from -12 to +12 semitones (wider ones clipped)."""
    counts = np.zeros(2 * MAX_INTERVAL + 1)
    for notes in tunes:
        for a, b in zip(notes, notes[1:]):
            counts[np.clip(b.pitch - a.pitch, -MAX_INTERVAL, MAX_INTERVAL) + MAX_INTERVAL] += 1
    return counts / max(counts.sum(), 1)


def distance(p: np.ndarray, q: np.ndarray) -> float:
    """Total variation distance: 0 for the same histogram, 1 for disjoint ones."""
    return float(0.5 * np.abs(p - q).sum())


def repeated_bars(events: list[int]) -> float:
    """Share of bars (with notes in them) that repeat an earlier bar of the same tune event for event."""
    bars = [tuple(events[i:i + STEPS_PER_BAR]) for i in range(0, len(events) - STEPS_PER_BAR + 1, STEPS_PER_BAR)]
    played = [b for b in bars if any(e > START for e in b)]
    seen, repeats = set(), 0
    for bar in played:
        repeats += bar in seen
        seen.add(bar)
    return repeats / max(len(played), 1)


def shape(notes: list[Note]) -> list[tuple[int, int]]:
    """Notes as (interval from the note before, length): the same run in any key looks the same."""
    return [(b.pitch - a.pitch, b.end - b.start) for a, b in zip(notes, notes[1:])]


class CopiedRuns:
    """The longest run of notes a tune shares with any training tune (as intervals and lengths)."""

    def __init__(self, training: list[list[Note]]):
        self.shapes = [shape(t) for t in training]
        self.grams: dict[int, set[int]] = {}

    def _grams(self, n: int) -> set[int]:
        if n not in self.grams:
            self.grams[n] = {hash(tuple(s[i:i + n])) for s in self.shapes for i in range(len(s) - n + 1)}
        return self.grams[n]

    def longest(self, notes: list[Note]) -> int:
        """Notes in the longest copied run (a run of k shapes is k + 1 notes); binary search on the run length."""
        s = shape(notes)
        low, high = 0, len(s)
        while low < high:
            mid = (low + high + 1) // 2
            grams = self._grams(mid)
            if any(hash(tuple(s[i:i + mid])) in grams for i in range(len(s) - mid + 1)):
                low = mid
            else:
                high = mid - 1
        return low + 1 if low else 0


def figures(tunes_events: list[list[int]], reference: list[list[Note]], copied: CopiedRuns) -> dict:
    tunes = [events_to_notes(e) for e in tunes_events]
    tunes_with_notes = [t for t in tunes if len(t) > 1]
    runs = [copied.longest(t) for t in tunes_with_notes]
    return {
        "tunes": len(tunes), "notes_per_tune": round(float(np.mean([len(t) for t in tunes])), 1),
        "pitch_class_distance": round(distance(pitch_class_histogram(tunes_with_notes), pitch_class_histogram(reference)), 4),
        "interval_distance": round(distance(interval_histogram(tunes_with_notes), interval_histogram(reference)), 4),
        "in_key": round(float(np.mean([in_key_share(t) for t in tunes_with_notes])), 4),
        "repeated_bars": round(float(np.mean([repeated_bars(e) for e in tunes_events])), 4),
        "longest_copied_median": float(np.median(runs)),
        "copied_16_or_more": round(float(np.mean([r >= 16 for r in runs])), 4),
    }


@torch.inference_mode()
def sample_tunes(model, n: int, steps: int, seed: int, temperature: float = 1.0, batch: int = 100) -> list[list[int]]:
    """n tunes of `steps` events each, from START alone."""
    tunes = []
    settings = SamplingSettings(temperature, 0, 1.0, 0.0, 1.0)
    for first in range(0, n, batch):
        rows = min(batch, n - first)
        steps_out = [step for step in decode(model, [[START]] * rows, steps, settings, seed=seed + first)]
        tunes += torch.stack(steps_out, 1).tolist()
    return tunes


def measure_model(model, training, held_out, samples: int, seed: int = 0, temperature: float = 1.0) -> dict:
    """The model's samples measured against the held-out tunes; beside them, the held-out tunes measured against the
    training tunes: how far apart two sets of real tunes are, and how much real tunes share."""
    steps = BARS * STEPS_PER_BAR
    held_out_events = [t.events[:steps] for t in held_out]
    copied = CopiedRuns([events_to_notes(t.events) for t in training])
    sampled = sample_tunes(model, samples, steps, seed, temperature)
    return {"samples": samples, "bars": BARS, "temperature": temperature,
            "model": figures(sampled, [events_to_notes(e) for e in held_out_events], copied),
            "held_out": figures(held_out_events, [events_to_notes(t.events[:steps]) for t in training], copied)}


def main(argv=None):
    from ..data.melodies import read_collection, split
    from ..loaders import load_model
    from ..registry import get_spec
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="melody-lstm")
    p.add_argument("--samples", type=int, default=500)
    p.add_argument("--temperature", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    training, held_out = split(read_collection())
    model = load_model(get_spec(args.model, "melody")).module
    print(json.dumps(measure_model(model, training, held_out, args.samples, args.seed, args.temperature), indent=1))


if __name__ == "__main__":
    main()
