"""Mondrian: recursive rectangle splits, white fields with a few primaries, black bars."""
import numpy as np

from .canvas import Canvas, rgb

WHITE = (0.95, 0.94, 0.9)
PRIMARIES = ((0.86, 0.12, 0.1), (0.1, 0.2, 0.62), (0.96, 0.8, 0.1), (0.08, 0.08, 0.08))


def split(rng: np.random.Generator, box, depth: int, out: list):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if depth == 0 or max(w, h) < 0.16 or (depth < 3 and rng.random() < 0.25):
        out.append(box)
        return
    vertical = w > h if abs(w - h) > 0.1 else rng.random() < 0.5
    t = rng.uniform(0.3, 0.7)
    if vertical:
        xm = x0 + w * t
        split(rng, (x0, y0, xm, y1), depth - 1, out)
        split(rng, (xm, y0, x1, y1), depth - 1, out)
    else:
        ym = y0 + h * t
        split(rng, (x0, y0, x1, ym), depth - 1, out)
        split(rng, (x0, ym, x1, y1), depth - 1, out)


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    canvas = Canvas(size, PRIMARIES[3])
    boxes: list = []
    split(rng, (0.0, 0.0, 1.0, 1.0), int(rng.integers(3, 6)), boxes)
    coloured = rng.choice(len(boxes), size=min(len(boxes), int(rng.integers(2, 5))), replace=False)
    bar = rng.uniform(0.012, 0.022)
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        fill = PRIMARIES[int(rng.integers(4)) if rng.random() < 0.15 else int(rng.integers(3))] if i in coloured else WHITE
        canvas.draw.rectangle([canvas.xy(x0 + bar / 2, y0 + bar / 2), canvas.xy(x1 - bar / 2, y1 - bar / 2)], fill=rgb(fill))
    if facts is not None:
        facts.update(rectangles=len(boxes))
    return canvas.finish()
