"""Restoring damaged images: Gaussian noise and salt-and-pepper impulses, by a trained network or a classical filter.

Salt-and-pepper pixels are found (pure black or white where the median of their neighbourhood is not) and filled
by an inpainting model: the damage is a mask, so the inpainting pipeline does the rest.
"""
from collections.abc import Callable
from dataclasses import asdict, dataclass

import cv2
import numpy as np
import torch
from PIL import Image

from .. import runtime
from ..hub import Progress
from ..loaders import load_model
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .images import checked_image
from .inpaint import InpaintSettings, inpaint
from .settings import checked, knob
from .task import Output, Task, method_for

IMPULSE_FILL = "inpaint-art"  # the inpainting model that fills detected impulses


@dataclass(frozen=True)
class RestoreSettings:
    noise_level: float = knob(25.0, "Noise level", "The noise's sigma in 0-255 units; the denoiser and the filters "
                              "follow it.", 0.0, 100.0, 1,
                              label_zh="噪声强度", help_zh="噪声的 sigma，以 0-255 为单位；去噪网络和滤波器都按它处理。")


# (spec, pixels (H, W, 3) uint8, settings, progress) -> (restored pixels, additions to the record, a notice or "")
Restorer = Callable[[ModelSpec, np.ndarray, RestoreSettings, Progress | None], tuple[np.ndarray, dict, str]]


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


def filtering(fn: Callable[[np.ndarray, float], np.ndarray]) -> Restorer:
    return lambda spec, pixels, s, progress: (fn(pixels, s.noise_level), {}, "")


def denoise(spec: ModelSpec, pixels: np.ndarray, s: RestoreSettings, progress: Progress | None):
    loaded = load_model(spec, progress)
    x = torch.from_numpy(pixels.copy()).permute(2, 0, 1)[None].to(loaded.device, loaded.dtype) / 255  # (1, 3, H, W)
    level = torch.tensor([s.noise_level / 255], device=loaded.device, dtype=loaded.dtype)  # (1,)
    with torch.inference_mode(), runtime.oom_guard("a smaller image"):
        out = loaded.module(x, level)
    restored = (out[0].float().clamp(0, 1).permute(1, 2, 0).cpu().numpy() * 255).round().astype(np.uint8)
    return restored, loaded.provenance, ""


def impulse_repair(spec: ModelSpec, pixels: np.ndarray, s: RestoreSettings, progress: Progress | None):
    """The damage is a mask: salt-and-pepper pixels are found and filled by the inpainting pipeline."""
    hits = impulses(pixels)
    art, _ = inpaint(IMPULSE_FILL, Image.fromarray(pixels), hits, InpaintSettings(feather=0, crop=False), progress)
    notice = f"{hits.mean():.1%} of the pixels were impulses, filled by {IMPULSE_FILL}."
    return np.asarray(art.image), {"impulses": round(float(hits.mean()), 4)}, notice


METHODS: dict[str, Restorer] = {
    "dncnn": denoise,
    "impulse-inpaint": impulse_repair,
    "median-filter": filtering(median_filter),
    "gaussian-filter": filtering(gaussian_filter),
    "bilateral-filter": filtering(bilateral_filter),
}


def restore(model: str, image: Image.Image | None, settings: RestoreSettings = RestoreSettings(),
            progress: Progress | None = None) -> tuple[Artwork, str]:
    """-> (the restored image with its replay record, a notice or "")."""
    spec, s = get_spec(model, task="restore"), checked(settings)
    image = checked_image(image, "restore")
    out, extra, notice = method_for(spec, METHODS, progress)(spec, np.asarray(image), s, progress)
    record = make_record("restore", spec.name, {}, **asdict(s), size=list(image.size)) | extra
    return Artwork(Image.fromarray(out, "RGB"), record, {"image": image}), notice


def run(model: str, s: RestoreSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    art, notice = restore(model, inputs.get("image"), s, progress)
    return [Output(art.record, art.image, inputs=art.inputs, notice=notice)]


TASK = Task("restore", RestoreSettings, METHODS, run, inputs=("image",), batch_over="image")
