"""Deterministic procedural art in six classes: the data the shipped checkpoints learn from.

render(name, seed, size) gives identical pixels for the same arguments, at any size from 32 to 1024.
"""
import numpy as np
from PIL import Image

from . import flow_field, geometric, landscape, mandala, mondrian, stained_glass
from .canvas import MAX_SIZE, MIN_SIZE

RENDERERS = {
    "landscape": landscape.render,
    "mondrian": mondrian.render,
    "geometric": geometric.render,
    "stained_glass": stained_glass.render,
    "mandala": mandala.render,
    "flow_field": flow_field.render,
}
CLASSES = tuple(RENDERERS)


def render(name: str, seed: int, size: int = 64) -> Image.Image:
    return render_described(name, seed, size)[0]


def render_described(name: str, seed: int, size: int = 64) -> tuple[Image.Image, dict]:
    """The image and the renderer's own facts about it (counts, time of day, a dark ground), which captions name."""
    if name not in RENDERERS:
        raise ValueError(f"Unknown art class {name!r}; choose one of: {', '.join(CLASSES)}.")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"Image size must be between {MIN_SIZE} and {MAX_SIZE} pixels, got {size}.")
    rng = np.random.default_rng([CLASSES.index(name), seed])
    facts: dict = {}
    return RENDERERS[name](rng, size, facts), facts


def render_array(name: str, seeds, size: int = 64) -> np.ndarray:
    """Images for each seed as uint8 (n, size, size, 3)."""
    return np.stack([np.asarray(render(name, int(s), size)) for s in seeds])
