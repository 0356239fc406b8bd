"""How well each repair method fills gaps: clips of held-out tunes rendered by the synthesiser (a random instrument,
tempo and key, a little noise), a gap of each length cut at a random place inside a note-filled stretch, and the SNR
in the gap (the gap's true signal power over the error power, in dB; 0 dB is what silence scores).

    python -m genart.metrics.repair_quality --clips 200 --gaps 20 50 100 250
"""
import argparse
import json
import random

import numpy as np

from ..audio.events import STEPS_PER_BAR, events_to_notes
from ..audio.synth import INSTRUMENTS, SAMPLE_RATE, render
from ..data.melodies import read_collection, split, transposed
from ..pipelines.repair import Filler, filler
from ..registry import get_spec, list_models

CLIP_BARS = 2
NOISE = 0.003  # white noise under the music, as a recording has


def rendered_clips(tunes, n: int, seed: int = 0, noise: tuple[float, float] = (NOISE, NOISE)) -> list[np.ndarray]:
    """n clips of CLIP_BARS bars of `tunes` as float samples, each its own instrument, tempo and key, with white noise
    of a level drawn from `noise`."""
    rng = random.Random(seed)
    clips = []
    while len(clips) < n:
        tune = rng.choice(tunes)
        events = transposed(tune.events, rng.randrange(-5, 7))
        bars = len(tune.events) // STEPS_PER_BAR - CLIP_BARS
        if events is None or bars < 1:
            continue
        first = rng.randrange(bars) * STEPS_PER_BAR
        notes = events_to_notes(events[first:first + CLIP_BARS * STEPS_PER_BAR])
        if len(notes) < 4:
            continue
        samples = render(notes, rng.uniform(80, 160), INSTRUMENTS[rng.choice(list(INSTRUMENTS))],
                         CLIP_BARS * STEPS_PER_BAR) / 32768
        clips.append(samples + np.random.default_rng(len(clips)).normal(0, rng.uniform(*noise), len(samples)))
    return clips


def held_out_clips(n: int, seed: int = 0) -> list[np.ndarray]:
    _, held_out = split(read_collection())
    return rendered_clips(held_out, n, seed)


def gap_place(clip: np.ndarray, n: int, rng: random.Random, margin: int = SAMPLE_RATE // 4) -> int:
    """A random start for an n-sample gap inside the clip, `margin` samples or more from its ends, where there is
    sound to lose."""
    while True:
        start = rng.randrange(margin, len(clip) - n - margin)
        if np.abs(clip[start:start + n]).max() > 0.05:
            return start


def snr(truth: np.ndarray, estimate: np.ndarray) -> float:
    return float(10 * np.log10((truth ** 2).sum() / max(((truth - estimate) ** 2).sum(), 1e-20)))


def measure(clips: list[np.ndarray], gaps_ms: list[float], fillers: dict[str, Filler], seed: int = 0) -> dict:
    """Median and mean SNR in the gap, by method and gap length."""
    rng = random.Random(seed)
    table = {m: {} for m in fillers}
    for ms in gaps_ms:
        n = int(ms / 1000 * SAMPLE_RATE)
        places = [gap_place(clip, n, rng) for clip in clips]
        for m, fill in fillers.items():
            scores = [snr(c[s:s + n], fill(c, s, s + n, SAMPLE_RATE)[s:s + n]) for c, s in zip(clips, places)]
            table[m][f"{ms:g} ms"] = {"median_db": round(float(np.median(scores)), 2),
                                      "mean_db": round(float(np.mean(scores)), 2)}
    return {"clips": len(clips), "seconds_per_clip": round(len(clips[0]) / SAMPLE_RATE, 2), "snr_in_gap": table}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clips", type=int, default=200)
    p.add_argument("--gaps", type=float, nargs="+", default=[20, 50, 100, 250], help="gap lengths in ms")
    p.add_argument("--models", nargs="+", default=[s.name for s in list_models("repair")])
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    fillers = {m: filler(get_spec(m, "repair"))[0] for m in args.models}
    print(json.dumps(measure(held_out_clips(args.clips, args.seed), args.gaps, fillers, args.seed), indent=1))


if __name__ == "__main__":
    main()
