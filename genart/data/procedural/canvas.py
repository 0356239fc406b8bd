"""Shared drawing helpers: supersampled canvases, seeded palettes, colour maths."""
import colorsys

import numpy as np
from PIL import Image, ImageDraw

MIN_SIZE, MAX_SIZE = 32, 1024


def supersample_factor(size: int) -> int:
    """Draw at this multiple of the output size, then downscale: that is the anti-aliasing."""
    return 4 if size <= 256 else 2


class Canvas:
    """An RGB image drawn at `scale` x the output size, addressed in unit coordinates [0, 1]."""

    def __init__(self, size: int, background):
        self.size = size
        self.px = size * supersample_factor(size)
        self.image = Image.new("RGB", (self.px, self.px), rgb(background))
        self.draw = ImageDraw.Draw(self.image)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.px, y * self.px

    def points(self, pts) -> list[tuple[float, float]]:
        return [self.xy(x, y) for x, y in pts]

    def width(self, w: float) -> int:
        return max(1, round(w * self.px))

    def ellipse(self, cx, cy, rx, ry, **kw):
        self.draw.ellipse([self.xy(cx - rx, cy - ry), self.xy(cx + rx, cy + ry)], **kw)

    def overlay(self, draw_fn, opacity: float):
        """Draw with `draw_fn(ImageDraw)` on a transparent layer and blend it in at `opacity`."""
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        draw_fn(ImageDraw.Draw(layer))
        alpha = layer.getchannel("A").point(lambda a: round(a * opacity))
        self.image.paste(layer.convert("RGB"), (0, 0), alpha)

    def set_array(self, arr: np.ndarray):
        """Replace the pixels with a float array (H, W, 3) in [0, 1]."""
        self.image = Image.fromarray(to_uint8(arr), "RGB")
        self.draw = ImageDraw.Draw(self.image)

    def array(self) -> np.ndarray:
        return np.asarray(self.image, dtype=np.float32) / 255.0

    def finish(self) -> Image.Image:
        return self.image.resize((self.size, self.size), Image.Resampling.LANCZOS)


def to_uint8(arr: np.ndarray) -> np.ndarray:
    return (np.clip(arr, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def rgb(color) -> tuple[int, int, int]:
    """A float (r, g, b) in [0, 1] as 8-bit ints."""
    return tuple(int(round(min(max(c, 0.0), 1.0) * 255)) for c in color)


def rgba(color, alpha: float = 1.0) -> tuple[int, int, int, int]:
    return (*rgb(color), int(round(alpha * 255)))


def hsv(h: float, s: float, v: float) -> tuple[float, float, float]:
    return colorsys.hsv_to_rgb(h % 1.0, s, v)


def mix(a, b, t: float) -> tuple[float, float, float]:
    return tuple(x + (y - x) * t for x, y in zip(a, b))


def palette(rng: np.random.Generator, n: int, s=(0.5, 0.9), v=(0.6, 1.0)) -> list:
    """n colours around a random base hue, spread by golden-ratio steps for contrast."""
    base = rng.random()
    return [hsv(base + i * 0.618 + rng.normal(0, 0.03), rng.uniform(*s), rng.uniform(*v)) for i in range(n)]


def grid(px: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates in unit space, each (px, px)."""
    t = (np.arange(px, dtype=np.float32) + 0.5) / px
    return np.meshgrid(t, t)
