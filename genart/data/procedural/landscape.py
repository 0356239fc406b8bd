"""Landscape: gradient sky, sun or moon, layered fractal ridges with aerial haze, optional lake reflection."""
import numpy as np

from .canvas import Canvas, grid, hsv, mix, rgb

# (sky top, sky horizon, ridge base) in HSV for dawn, day, dusk, night.
TIME_NAMES = ("dawn", "day", "dusk", "night")
TIMES_OF_DAY = (
    ((0.62, 0.55, 0.55), (0.06, 0.55, 1.0), (0.75, 0.45, 0.35)),
    ((0.60, 0.65, 0.85), (0.55, 0.25, 1.0), (0.38, 0.55, 0.40)),
    ((0.72, 0.60, 0.45), (0.03, 0.75, 1.0), (0.85, 0.55, 0.25)),
    ((0.66, 0.70, 0.18), (0.62, 0.55, 0.45), (0.66, 0.45, 0.12)),
)


def ridge(rng: np.random.Generator, n: int, roughness: float) -> np.ndarray:
    """A 1-D midpoint-displacement profile of n + 1 points, zero-mean, peak-to-peak about 1."""
    heights = np.zeros(n + 1)
    step, amp = n, 1.0
    while step > 1:
        half = step // 2
        mids = (heights[0:n:step] + heights[step::step]) / 2  # (n // step,)
        heights[half::step] = mids + rng.normal(0, amp, mids.shape)
        step, amp = half, amp * roughness
    heights -= heights.mean()
    return heights / max(np.ptp(heights), 1e-6)


def render(rng: np.random.Generator, size: int, facts: dict | None = None):
    time_of_day = int(rng.integers(len(TIMES_OF_DAY)))
    top, horizon, land = (hsv(*c) for c in TIMES_OF_DAY[time_of_day])
    night = top[0] + top[1] + top[2] < 0.7
    canvas = Canvas(size, top)
    _, ys = grid(canvas.px)
    t = (ys ** 0.8)[..., None]  # (px, px, 1): 0 at the top, 1 at the bottom
    canvas.set_array(np.asarray(top) * (1 - t) + np.asarray(horizon) * t)

    has_lake = rng.random() < 0.5
    horizon_y = rng.uniform(0.62, 0.72) if has_lake else 1.0
    sx, sy, sr = rng.uniform(0.15, 0.85), rng.uniform(0.12, 0.35), rng.uniform(0.05, 0.1)
    disc = (0.95, 0.95, 0.85) if night else mix((1.0, 0.95, 0.6), horizon, 0.3)
    for k, alpha in ((2.2, 0.12), (1.5, 0.2)):  # soft glow rings, then the disc itself
        canvas.overlay(lambda d, k=k: d.ellipse([canvas.xy(sx - sr * k, sy - sr * k), canvas.xy(sx + sr * k, sy + sr * k)],
                                                fill=rgb(disc)), alpha)
    canvas.ellipse(sx, sy, sr, sr, fill=rgb(disc))

    layers = int(rng.integers(3, 6))
    for i in range(layers):
        depth = i / max(layers - 1, 1)  # 0 far, 1 near
        base = horizon_y - 0.05 - (1 - depth) * rng.uniform(0.12, 0.22)
        amp = rng.uniform(0.08, 0.2) * (0.6 + 0.6 * depth)
        profile = base - amp * (ridge(rng, 128, rng.uniform(0.45, 0.6)) + 0.5)
        colour = mix(horizon, land, 0.35 + 0.65 * depth)
        pts = [(x / 128, y) for x, y in enumerate(profile)] + [(1.0, horizon_y), (0.0, horizon_y)]
        canvas.draw.polygon(canvas.points(pts), fill=rgb(colour))

    if has_lake:
        arr = canvas.array()
        h = int(horizon_y * canvas.px)
        depth = canvas.px - h
        reflection = arr[max(h - depth, 0):h][::-1]  # (depth', px, 3): mirrored scene above the waterline
        water = np.asarray(mix(top, land, 0.3))
        blend = np.linspace(0.35, 0.75, reflection.shape[0])[:, None, None]
        arr[h:h + reflection.shape[0]] = reflection * (1 - blend) + water * blend
        canvas.set_array(arr)
        for _ in range(int(rng.integers(6, 14))):  # ripple highlights
            y = rng.uniform(horizon_y + 0.01, 0.99)
            x = rng.uniform(0.0, 0.9)
            canvas.draw.line([canvas.xy(x, y), canvas.xy(x + rng.uniform(0.03, 0.15), y)],
                             fill=rgb(mix(water, (1, 1, 1), 0.35)), width=canvas.width(0.004))
    if facts is not None:
        facts.update(time=TIME_NAMES[time_of_day], ranges=layers, lake=has_lake)
    return canvas.finish()
