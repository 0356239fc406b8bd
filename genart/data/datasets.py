"""Rendered training sets of procedural art, cached on disk as uint8 arrays."""
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .procedural import CLASSES, render_array

CACHE_DIR = Path(os.environ.get("GENART_DATA_CACHE", Path.home() / ".cache" / "genart" / "data"))


def _render_class(args):
    name, seeds, size = args
    return render_array(name, seeds, size)


def art_dataset(per_class: int, size: int, first_seed: int = 0, workers: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """images uint8 (6 * per_class, size, size, 3) and labels int64 (6 * per_class,), seeds first_seed... per class.

    Held-out sets use a different first_seed, so no image is in both.
    """
    path = CACHE_DIR / f"art-{size}px-{per_class}x{len(CLASSES)}-from{first_seed}.npz"
    if path.exists():
        with np.load(path) as f:
            return f["images"], f["labels"]
    seeds = range(first_seed, first_seed + per_class)
    with ProcessPoolExecutor(workers) as pool:
        images = np.concatenate(list(pool.map(_render_class, [(c, seeds, size) for c in CLASSES])))
    labels = np.repeat(np.arange(len(CLASSES)), per_class)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, images=images, labels=labels)
    return images, labels
