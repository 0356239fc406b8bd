"""Mandala: rings of petals, dots and teeth repeated with n-fold radial symmetry."""
import math

import numpy as np

from .canvas import Canvas, mix, palette, rgb


def petal(cx, cy, angle, r0, r1, width):
    """A pointed leaf shape from radius r0 to r1 along `angle` (a polygon in unit space)."""
    pts = []
    for t in np.linspace(0, 1, 12):
        r = r0 + (r1 - r0) * t
        w = width * math.sin(math.pi * t)
        pts.append((r, w))
    outline = pts + [(r, -w) for r, w in reversed(pts)]
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + r * ca - w * sa, cy + r * sa + w * ca) for r, w in outline]


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    dark = rng.random() < 0.5
    ground = (0.08, 0.07, 0.12) if dark else (0.96, 0.93, 0.86)
    canvas = Canvas(size, ground)
    colours = palette(rng, 5, s=(0.5, 0.9), v=(0.7, 1.0) if dark else (0.45, 0.85))
    folds = int(rng.choice([6, 8, 10, 12, 16]))
    cx = cy = 0.5
    radius = 0.47
    rings = int(rng.integers(3, 6))
    for i in reversed(range(rings)):
        r1 = radius * (i + 1) / rings
        r0 = r1 - radius / rings
        colour = colours[i % len(colours)]
        kind = rng.integers(3)
        offset = (i % 2) * math.pi / folds
        canvas.ellipse(cx, cy, r1 * 0.98, r1 * 0.98, outline=rgb(mix(colour, ground, 0.4)), width=canvas.width(0.004))
        for k in range(folds * (1 + int(i >= 2))):
            a = offset + k * math.tau / (folds * (1 + int(i >= 2)))
            if kind == 0:
                canvas.draw.polygon(canvas.points(petal(cx, cy, a, r0, r1, (r1 - r0) * 0.45)), fill=rgb(colour))
            elif kind == 1:
                rr = (r1 - r0) * 0.3
                canvas.ellipse(cx + (r0 + r1) / 2 * math.cos(a), cy + (r0 + r1) / 2 * math.sin(a), rr, rr, fill=rgb(colour))
            else:
                half = math.pi / (folds * (1 + int(i >= 2)))
                tooth = [(cx + r0 * math.cos(a - half), cy + r0 * math.sin(a - half)), (cx + r1 * math.cos(a), cy + r1 * math.sin(a)),
                         (cx + r0 * math.cos(a + half), cy + r0 * math.sin(a + half))]
                canvas.draw.polygon(canvas.points(tooth), fill=rgb(colour))
    canvas.ellipse(cx, cy, radius / rings * 0.5, radius / rings * 0.5, fill=rgb(colours[-1]))
    if facts is not None:
        facts.update(petals=folds, rings=rings, dark=dark)
    return canvas.finish()
