"""Restoring damaged images: Gaussian noise and salt-and-pepper impulses, by a trained network or a classical filter.

Salt-and-pepper pixels are found (pure black or white where the median of their neighbourhood is not) and filled
by an inpainting model: the damage is a mask, so the inpainting pipeline does the rest.
"""
import cv2
import numpy as np
import torch
from PIL import Image

from .. import runtime
from ..hub import Progress
from ..loaders import load_model
from ..registry import get_spec
from ..replay import Artwork, make_record
from .checks import check_float
from .images import checked_image
from .inpaint import InpaintSettings, inpaint

NOISE_RANGE = (0.0, 100.0)  # Gaussian sigma in 0-255 units
IMPULSE_FILL = "inpaint-art"  # the inpainting model that fills detected impulses


def impulses(pixels: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> (H, W) bool: pixels that are pure black or white while their 3x3 median is not."""
    extreme = (pixels == 0).all(-1) | (pixels == 255).all(-1)
    median = cv2.medianBlur(pixels, 3)
    return extreme & (np.abs(median.astype(int) - pixels.astype(int)).max(-1) > 40)


def gaussian_filter(pixels: np.ndarray, sigma: float) -> np.ndarray:
    s = max(0.5, sigma / 25)  # a wider blur for stronger noise
    return cv2.GaussianBlur(pixels, (0, 0), s)


def bilateral_filter(pixels: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.bilateralFilter(pixels, 7, max(10.0, 2 * sigma), 5)


def median_filter(pixels: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.medianBlur(pixels, 3)


FILTERS = {"gaussian-filter": gaussian_filter, "bilateral-filter": bilateral_filter, "median-filter": median_filter}


def denoise(model: str, pixels: np.ndarray, sigma: float, progress: Progress | None) -> tuple[np.ndarray, dict]:
    loaded = load_model(get_spec(model, task="restore"), progress)
    x = torch.from_numpy(pixels.copy()).permute(2, 0, 1)[None].to(loaded.device, loaded.dtype) / 255  # (1, 3, H, W)
    level = torch.tensor([sigma / 255], device=loaded.device, dtype=loaded.dtype)
    with torch.inference_mode(), runtime.oom_guard("a smaller image"):
        out = loaded.module(x, level)
    return (out[0].float().clamp(0, 1).permute(1, 2, 0).cpu().numpy() * 255).round().astype(np.uint8), loaded.provenance


def restore(model: str, image: Image.Image | None, noise_level: float = 25.0,
            progress: Progress | None = None) -> tuple[Artwork, str]:
    """-> (the restored image with its replay record, a notice or ""). noise_level is the Gaussian sigma (0-255)."""
    spec = get_spec(model, task="restore")
    sigma = check_float("Noise level", noise_level, *NOISE_RANGE)
    image = checked_image(image, "restore")
    pixels = np.asarray(image)
    record = make_record("restore", spec.name, {}, noise_level=sigma, size=list(image.size))
    notice = ""
    if spec.arch == "impulse-inpaint":
        hits = impulses(pixels)
        notice = f"{hits.mean():.1%} of the pixels were impulses, filled by {IMPULSE_FILL}."
        art, _ = inpaint(IMPULSE_FILL, Image.fromarray(pixels), hits, InpaintSettings(feather=0, crop=False),
                         progress)
        return Artwork(art.image, record | {"impulses": round(float(hits.mean()), 4)}, {"image": image}), notice
    if spec.arch == "filter":
        out = FILTERS[spec.name](pixels, sigma)
    else:
        out, provenance = denoise(spec.name, pixels, sigma, progress)
        record |= provenance
    return Artwork(Image.fromarray(out, "RGB"), record, {"image": image}), notice
