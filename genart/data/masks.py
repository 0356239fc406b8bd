"""Free-form hole masks for training and measuring inpainting: random brush strokes and boxes.

Deterministic per seed; 1 = the hole. The covered share is drawn between 5% and 50% of the image.
"""
import numpy as np
from PIL import Image, ImageDraw

MIN_COVER, MAX_COVER = 0.05, 0.50


def stroke(draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int):
    """A brush stroke: a polyline of a few random segments with a random width, round joints."""
    x, y = rng.uniform(0, size, 2)
    width = int(rng.uniform(0.03, 0.12) * size) + 1
    for _ in range(rng.integers(2, 7)):
        angle, length = rng.uniform(0, 2 * np.pi), rng.uniform(0.1, 0.35) * size
        nx, ny = np.clip(x + length * np.cos(angle), 0, size), np.clip(y + length * np.sin(angle), 0, size)
        draw.line([(x, y), (nx, ny)], fill=255, width=width)
        draw.ellipse([nx - width / 2, ny - width / 2, nx + width / 2, ny + width / 2], fill=255)
        x, y = nx, ny


def box(draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: int):
    w, h = rng.uniform(0.1, 0.45, 2) * size
    x, y = rng.uniform(0, size - w), rng.uniform(0, size - h)
    draw.rectangle([x, y, x + w, y + h], fill=255)


def free_form_mask(seed: int, size: int) -> np.ndarray:
    """(size, size) bool, True in the hole; strokes and boxes are added until the target share is covered."""
    rng = np.random.default_rng(seed)
    target = rng.uniform(MIN_COVER, MAX_COVER)
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    mask = np.zeros((size, size), bool)
    while mask.mean() < target:
        (stroke if rng.random() < 0.7 else box)(draw, rng, size)
        mask = np.asarray(image) > 127
    return mask
