"""Geometric (after Kandinsky): circles and rings, triangles, crossing lines and arcs over a warm ground."""
import math

import numpy as np

from .canvas import Canvas, mix, palette, rgb, rgba


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    ground = mix((0.93, 0.88, 0.76), (0.2, 0.2, 0.25), float(rng.random() < 0.3))
    canvas = Canvas(size, ground)
    colours = palette(rng, 6, s=(0.55, 0.95), v=(0.55, 0.95))
    ink = (0.1, 0.1, 0.12) if ground[0] > 0.5 else (0.92, 0.9, 0.85)

    # A large ring motif: concentric circles (the Kandinsky "circles in a square" feeling).
    cx, cy, r = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.18, 0.3)
    for k in range(int(rng.integers(2, 5))):
        rk = r * (1 - k * 0.22)
        canvas.ellipse(cx, cy, rk, rk, fill=rgb(colours[k % 6]))

    def shapes(d):
        for _ in range(int(rng.integers(3, 6))):
            x, y, rr = rng.uniform(0.1, 0.9), rng.uniform(0.1, 0.9), rng.uniform(0.04, 0.12)
            d.ellipse([canvas.xy(x - rr, y - rr), canvas.xy(x + rr, y + rr)], fill=rgba(colours[int(rng.integers(6))]))
        for _ in range(int(rng.integers(1, 4))):
            x, y, s, a = rng.uniform(0.15, 0.85), rng.uniform(0.15, 0.85), rng.uniform(0.08, 0.2), rng.uniform(0, math.tau)
            tri = [(x + s * math.cos(a + k * math.tau / 3), y + s * math.sin(a + k * math.tau / 3)) for k in range(3)]
            d.polygon(canvas.points(tri), fill=rgba(colours[int(rng.integers(6))]))

    canvas.overlay(shapes, 0.85)
    for _ in range(int(rng.integers(3, 7))):  # long straight lines
        a, b = rng.uniform(-0.1, 1.1, 2), rng.uniform(-0.1, 1.1, 2)
        canvas.draw.line([canvas.xy(*a), canvas.xy(*b)], fill=rgb(ink), width=canvas.width(rng.uniform(0.004, 0.012)))
    for _ in range(int(rng.integers(1, 4))):  # arcs
        x, y, rr = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.3)
        start = float(rng.uniform(0, 360))
        canvas.draw.arc([canvas.xy(x - rr, y - rr), canvas.xy(x + rr, y + rr)], start, start + float(rng.uniform(60, 200)),
                        fill=rgb(ink), width=canvas.width(0.008))
    if facts is not None:
        facts.update(dark=ground[0] < 0.5)
    return canvas.finish()
