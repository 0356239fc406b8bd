"""Flow field: many strokes traced along a smooth, seeded angle field."""
import math

import numpy as np

from .canvas import Canvas, mix, palette, rgb


class AngleField:
    """angle(x, y) as a sum of a few random sinusoids: smooth, cheap, deterministic."""

    def __init__(self, rng: np.random.Generator):
        self.freq = rng.uniform(1.0, 4.0, (4, 2)) * rng.choice([-1, 1], (4, 2))
        self.phase = rng.uniform(0, math.tau, 4)
        self.gain = rng.uniform(0.5, 1.5, 4)
        self.turn = rng.uniform(0, math.tau)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        waves = np.sin(self.freq[:, 0, None] * x * math.pi + self.freq[:, 1, None] * y * math.pi + self.phase[:, None])
        return self.turn + (self.gain[:, None] * waves).sum(0)


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    dark = rng.random() < 0.5
    ground = (0.06, 0.07, 0.1) if dark else (0.95, 0.93, 0.88)
    canvas = Canvas(size, ground)
    colours = palette(rng, 4, s=(0.45, 0.9), v=(0.7, 1.0) if dark else (0.35, 0.75))
    field = AngleField(rng)
    n, steps, step = int(rng.integers(150, 260)), 40, 0.006
    x, y = rng.random(n), rng.random(n)
    trail = np.empty((steps, n, 2))  # (steps, n strokes, xy): all strokes advance together
    for s in range(steps):
        trail[s, :, 0], trail[s, :, 1] = x, y
        a = field(x, y)
        x, y = x + step * np.cos(a), y + step * np.sin(a)
    stroke_colour = rng.integers(len(colours), size=n)
    widths = rng.uniform(0.003, 0.008, n)
    for i in range(n):
        colour = mix(colours[stroke_colour[i]], ground, rng.uniform(0.0, 0.3))
        canvas.draw.line(canvas.points(trail[:, i]), fill=rgb(colour), width=canvas.width(widths[i]), joint="curve")
    if facts is not None:
        facts.update(strokes=n, dark=dark)
    return canvas.finish()
