"""Input images of any mode and size, made ready for a model: RGB, within a size range, as tensors and back."""
from pathlib import Path
from typing import BinaryIO

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import GenartError

MIN_SIDE = 32
MAX_SIDE = 4096
# No file is decoded past this many pixels (a decompression bomb is a small file that decodes to gigabytes): genart
# checks the header first, and Pillow's own limit, set here on purpose, refuses anything twice as large.
MAX_PIXELS = 2 * MAX_SIDE * MAX_SIDE
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def check_image_file(path: str | Path | BinaryIO, name: str = "") -> None:
    """Refuse, from the header alone, a file that is not an image or decodes to more than MAX_PIXELS. `name`: what
    to call a file given as bytes (its path's name otherwise)."""
    name = name or Path(path).name
    try:
        with Image.open(path) as image:
            width, height = image.size
    except FileNotFoundError:
        raise GenartError(f"There is no file {path}.") from None
    except Image.DecompressionBombError:
        width = height = MAX_PIXELS
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise GenartError(f"{name} is not an image file genart can read (use PNG, JPEG or WebP).") from None
    if width * height > MAX_PIXELS:
        raise GenartError(f"{name} would decode to {width}x{height} pixels; use an image of at most "
                          f"{MAX_SIDE}x{MAX_SIDE}.")


def open_image(path: str | Path | BinaryIO, name: str = "") -> Image.Image:
    """A PIL image from a file, or one sentence if it is missing, not an image, truncated or too large."""
    name = name or Path(path).name
    check_image_file(path, name)
    try:
        image = Image.open(path)
        image.load()
        return image
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise GenartError(f"{name} is damaged or not an image genart can read (use PNG, JPEG or "
                          "WebP).") from None


def to_rgb(image: Image.Image) -> Image.Image:
    """Any PIL mode -> RGB; transparency is flattened onto white, EXIF rotation applied."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def checked_image(image: Image.Image | None, action: str) -> Image.Image:
    """An input image within the size range, as RGB; one sentence otherwise. `action`: what it is for (a verb)."""
    if image is None:
        raise GenartError(f"Add an image to {action}.")
    if min(image.size) < MIN_SIDE or max(image.size) > MAX_SIDE:
        raise GenartError(f"The image is {image.width}x{image.height}; use one from {MIN_SIDE} to {MAX_SIDE} px a side.")
    return to_rgb(image)


def prepare(image: Image.Image | None, what: str, longest: int, enlarge: bool = False) -> tuple[Image.Image, str]:
    """-> (RGB image whose longest side is at most `longest`, or exactly `longest` when `enlarge`, a notice when it
    was resized)."""
    if image is None:
        raise GenartError(f"Add a {what} image.")
    if min(image.size) < MIN_SIDE:
        raise GenartError(f"The {what} image is {image.width}x{image.height}; use one at least {MIN_SIDE} px on each side.")
    if max(image.size) > MAX_SIDE:
        raise GenartError(f"The {what} image is {image.width}x{image.height}; use one at most {MAX_SIDE} px on a side.")
    image = to_rgb(image)
    scale = longest / max(image.size)
    if scale == 1 or (scale > 1 and not enlarge):
        return image, ""
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    notice = f"The {what} image was {'downscaled' if scale < 1 else 'enlarged'} from {image.width}x{image.height} to {size[0]}x{size[1]}."
    return image.resize(size, Image.Resampling.LANCZOS), notice


def to_tensor(image: Image.Image) -> torch.Tensor:
    """RGB PIL -> (1, 3, H, W) float in [0, 1]."""
    return torch.from_numpy(np.asarray(image, dtype=np.float32) / 255).permute(2, 0, 1)[None]


def to_image(x: torch.Tensor) -> Image.Image:
    """(1, 3, H, W) in [0, 1] -> RGB PIL."""
    pixels = (x[0].float().clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).cpu().numpy()  # (H, W, 3)
    return Image.fromarray(pixels, "RGB")


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """PSNR in dB between two uint8 images of one shape."""
    mse = ((a.astype(np.float64) - b.astype(np.float64)) ** 2).mean()
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))
