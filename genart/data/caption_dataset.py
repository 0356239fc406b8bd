"""Procedural art with its true captions (data/captions.py), rendered once and cached: text2art-64's training set
and its held-out captions."""
import json
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .captions import described, held_out
from .datasets import CACHE_DIR
from .procedural import CLASSES


def _describe_class(args) -> list:
    name, seeds, size = args
    return [(np.asarray(image), colours, captions) for image, colours, captions in
            (described(name, seed, size) for seed in seeds)]


def captioned_art(per_class: int, size: int = 64, first_seed: int = 0, workers: int = 2) -> dict:
    """{"images": uint8 (N, size, size, 3), "labels": int64 (N,), "colours": [[name, ...]] * N,
    "captions": [[caption, ...]] * N, "held_out": bool (N,)}: seeds first_seed... of every class."""
    stem = CACHE_DIR / f"captioned-art-{size}px-{per_class}x{len(CLASSES)}-from{first_seed}"
    arrays, texts = stem.with_suffix(".npz"), stem.with_suffix(".json")
    if not (arrays.exists() and texts.exists()):
        seeds = range(first_seed, first_seed + per_class)
        with ProcessPoolExecutor(workers) as pool:
            rows = [row for part in pool.map(_describe_class, [(c, seeds, size) for c in CLASSES]) for row in part]
        labels = np.repeat(np.arange(len(CLASSES)), per_class)
        stem.parent.mkdir(parents=True, exist_ok=True)
        np.savez(arrays, images=np.stack([r[0] for r in rows]), labels=labels)
        texts.write_text(json.dumps({"colours": [r[1] for r in rows], "captions": [r[2] for r in rows]}))
    with np.load(arrays) as f:
        images, labels = f["images"], f["labels"]
    meta = json.loads(texts.read_text())
    unseen = np.array([held_out(CLASSES[k], c) for k, c in zip(labels, meta["colours"])])
    return {"images": images, "labels": labels, **meta, "held_out": unseen}
