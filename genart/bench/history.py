"""History's speed as it grows: a History page (24 entries, newest first, with the count) and a word search, over
10 entries (the reference) and over 10,000, in a scratch data folder; and the arena's leaderboard over 10,000 votes."""
import os
import tempfile
import time

import numpy as np
import torch
from PIL import Image

from .. import history, ratings, store
from ..replay import Artwork, make_record
from .timing import seconds_per_call


def filled(count: int) -> None:
    """`count` entries of one owner in the current data folder, sharing one stored file (the rows are what grow)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Artwork(Image.new("RGB", (64, 64), "teal"), make_record("generate", "bench", {}, seed=0)).save(
            f"{folder}/0.png")
        [first] = history.keep([path], "bench")
    with store.connection() as db:
        row = store.entry(db, None, first)
        for i in range(count - 1):
            store.add_entry(db, "bench", "generate", "bench", f"entry {i} of a mandala", "image", row["file"],
                            row["thumb"], row["bytes"], row["record"])


def page_seconds(count: int) -> tuple[float, float]:
    """(a page, a word search) in seconds, median, with `count` entries stored."""
    with tempfile.TemporaryDirectory() as folder:
        old = os.environ.get(store.DATA_DIR)
        os.environ[store.DATA_DIR] = folder
        try:
            filled(count)
            cpu = torch.device("cpu")
            page = float(np.median(seconds_per_call(lambda: history.search("bench"), cpu, min_time=1.0)))
            words = float(np.median(seconds_per_call(lambda: history.search("bench", words="mandala 99"), cpu,
                                                     min_time=1.0)))
        finally:
            if old is None:
                del os.environ[store.DATA_DIR]
            else:
                os.environ[store.DATA_DIR] = old
    return page, words


def run():
    print("\n### History and arena\n")
    print("| what | 10 entries (reference) | 10,000 entries | ratio |")
    print("|---|---|---|---|")
    small, large = page_seconds(10), page_seconds(10_000)
    for i, what in enumerate(("a History page: 24 newest entries and the count", "the same filtered by two words")):
        print(f"| {what} | {small[i] * 1000:.2f} ms | {large[i] * 1000:.2f} ms | {large[i] / small[i]:.2f} |")
    rng = np.random.default_rng(0)
    votes = [(f"m{a}", f"m{b}", "a" if rng.random() < 0.5 else "b")
             for a, b in (rng.choice(8, 2, replace=False) for _ in range(10_000))]
    start = time.perf_counter()
    ratings.leaderboard(votes)
    print(f"\nA leaderboard of 8 models from 10,000 votes with 200 bootstrap fits: {time.perf_counter() - start:.2f} s")
