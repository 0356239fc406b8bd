"""Stained glass: Voronoi cells in jewel tones, shaded like glass, with dark leading between them."""
import numpy as np

from .canvas import Canvas, grid, hsv

LEADING = np.array([0.07, 0.06, 0.06], dtype=np.float32)


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    canvas = Canvas(size, LEADING)
    n = int(rng.integers(12, 40))
    sites = rng.random((n, 2)).astype(np.float32)  # (n, 2) unit coordinates
    base = rng.random()
    colours = np.array([hsv(base + rng.choice([0.0, 0.33, 0.5, 0.66]) + rng.normal(0, 0.04), rng.uniform(0.6, 0.95),
                            rng.uniform(0.55, 0.95)) for _ in range(n)], dtype=np.float32)  # (n, 3)
    xs, ys = grid(canvas.px)
    d1 = np.full(xs.shape, np.inf, dtype=np.float32)  # (px, px): distance to the nearest site
    d2 = np.full(xs.shape, np.inf, dtype=np.float32)  # (px, px): distance to the second nearest
    first = np.zeros(xs.shape, dtype=np.int64)
    for i, (sx, sy) in enumerate(sites):
        d = np.hypot(xs - sx, ys - sy)
        closer = d < d1
        d2 = np.where(closer, d1, np.minimum(d2, d))
        d1 = np.where(closer, d, d1)
        first[closer] = i
    # Distance to the cell border is (d2 - d1) / 2 for nearby sites; leading is where it is small.
    border = (d2 - d1) / 2
    lead = rng.uniform(0.005, 0.009)
    glass = colours[first] * (1.15 - 1.2 * d1[..., None])  # (px, px, 3): brighter in each pane's centre
    edge = np.clip((border - lead) / 0.002, 0, 1)[..., None]
    frame = np.minimum.reduce([xs, ys, 1 - xs, 1 - ys])[..., None] > 0.02
    canvas.set_array(np.where(frame, glass * edge + LEADING * (1 - edge), LEADING))
    if facts is not None:
        facts.update(panes=n)
    return canvas.finish()
