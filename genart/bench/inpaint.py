"""Inpainting and restoration latency at 512 and 1024 px, through the pipelines (whole image, a quarter of it masked).

LaMa runs with random weights (its checkpoint cannot be downloaded here): the same work as the real one.
"""
import numpy as np
import torch
from PIL import Image

from .. import runtime
from ..data.damage import gaussian_noise, salt_and_pepper
from ..models.lama import LaMa, LaMaConfig
from ..pipelines.inpaint import InpaintSettings, inpaint
from ..pipelines.restore import RestoreSettings, restore
from .timing import machine, median_seconds

SIZES = (512, 1024)
INPAINTERS = ("inpaint-art", "tension", "harmonic", "biharmonic", "telea", "navier-stokes")
RESTORERS = ("denoise-art", "impulse-inpaint", "median-filter", "gaussian-filter", "bilateral-filter")


def test_image(size: int) -> tuple[Image.Image, np.ndarray]:
    """Gaussian noise with 10% salt-and-pepper impulses on it (work for every restorer), and a square hole."""
    pixels = salt_and_pepper(gaussian_noise(np.full((size, size, 3), 128, np.uint8), 40, 0), 0.1, 0)
    mask = np.zeros((size, size), bool)
    mask[size // 4:3 * size // 4, size // 4:3 * size // 4] = True
    return Image.fromarray(pixels), mask


def lama_seconds(size: int, device: torch.device) -> float:
    net = runtime.MODELS.get(runtime.cache_key("bench-lama", {}, device), lambda: LaMa(LaMaConfig()).to(device).eval())
    x, m = torch.rand(1, 3, size, size, device=device), torch.zeros(1, 1, size, size, device=device)

    def call():
        with torch.inference_mode():
            net(x, m)

    return median_seconds(call, device)


def run():
    device = runtime.pick_device()
    whole = InpaintSettings(feather=0, crop=False)
    rows = [(f"inpaint: {m}", [median_seconds(lambda s=s, m=m: inpaint(m, *test_image(s), whole), device) for s in SIZES])
            for m in INPAINTERS]
    rows.append(("inpaint: lama (big-lama, random weights, network only)", [lama_seconds(s, device) for s in SIZES]))
    rows += [(f"restore: {m}", [median_seconds(lambda s=s, m=m: restore(m, test_image(s)[0], RestoreSettings(25)), device) for s in SIZES])
             for m in RESTORERS]
    print(f"\n### inpaint and restore — seconds per image — {machine(device)}\n")
    print("| model | 512x512 | 1024x1024 |")
    print("|---|---|---|")
    for name, (a, b) in rows:
        print(f"| {name} | {a:.3f} | {b:.3f} |")
