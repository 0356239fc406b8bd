"""Inpainting: every model behind one small interface, and the work around a model done once for all of them.

An Inpainter says how its input must be padded (pad multiple, minimum size) and fills an RGB float image where the
mask is 1. inpaint() does the rest, as IOPaint does: mask normalisation, grow/shrink, the crop around the mask (or
the whole image), downscaling of oversized regions, padding, and the paste-back through a mask feathered inwards, so
unmasked pixels come back bit-identical.
"""
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np
import torch
from PIL import Image

from .. import runtime
from ..hub import Progress
from ..loaders import load_model
from ..models.smooth_fill import biharmonic_fill, harmonic_fill, tension_fill
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .images import checked_image
from .settings import checked, knob
from .task import Output, Task, method_for

MAX_REGION = 2048  # longest side a model works on; bigger regions are downscaled and the fill scaled back
MARGIN = 64  # context kept around the mask's bounding box in "fill only the masked region"


@dataclass(frozen=True)
class Inpainter:
    """fill(image (H, W, 3) float32 in [0, 1], mask (H, W) float32 with 1 = fill) -> (H, W, 3) in [0, 1];
    H and W are multiples of pad_multiple and at least min_size."""
    fill: Callable[[np.ndarray, np.ndarray], np.ndarray]
    pad_multiple: int = 1
    min_size: int = 1
    provenance: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InpaintSettings:
    grow: int = knob(0, "Mask grow", "Pixels: above 0 grows the mask, below 0 shrinks it.", -64, 64, 1,
                     label_zh="遮罩扩展", help_zh="像素：大于 0 扩大遮罩，小于 0 缩小遮罩。")
    feather: int = knob(4, "Feather", "Pixels, inwards: the fill fades into the picture over this width.", 0, 64, 1,
                        label_zh="羽化", help_zh="像素，向内：填充内容在这个宽度内渐渐融入画面。")
    crop: bool = knob(True, "Fill only the masked region", "Work on a crop around the mask at full resolution; the "
                      "rest stays untouched. Untick for a model that copies from the whole picture.",
                      label_zh="只填充遮罩区域", help_zh="以全分辨率处理遮罩周围的裁切区域；其余部分不变。对需要从整幅画面复制内容的模型，请取消勾选。")


def classical(flag: int) -> Inpainter:
    def fill(image, mask):
        pixels = (image * 255).round().astype(np.uint8)
        return cv2.inpaint(pixels, (mask > 0.5).astype(np.uint8) * 255, 3, flag).astype(np.float32) / 255

    return Inpainter(fill)


def smooth(fill: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]) -> Inpainter:
    """A smooth fill of smooth_fill.py, (x, known) -> x filled, as an Inpainter."""
    def run(image, mask):
        x = torch.from_numpy(image).permute(2, 0, 1)[None]  # (1, 3, H, W)
        known = torch.from_numpy(mask < 0.5)[None, None].float()  # (1, 1, H, W)
        with torch.inference_mode():
            return fill(x, known)[0].permute(1, 2, 0).clamp(0, 1).numpy()

    return Inpainter(run)


def mean_fill(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The unmasked pixels' mean colour in the hole: the floor every method should beat."""
    known = mask < 0.5
    colour = image[known].mean(0) if known.any() else np.full(3, 0.5, np.float32)
    return np.where(mask[..., None] > 0.5, colour, image).astype(np.float32)


def network(spec: ModelSpec, progress: Progress | None) -> Inpainter:
    """A torch inpainting module called as module(image (1, 3, H, W), mask (1, 1, H, W)) -> (1, 3, H, W)."""
    loaded = load_model(spec, progress)
    module = loaded.module

    def fill(image, mask):
        x = torch.from_numpy(image).permute(2, 0, 1)[None].to(loaded.device, loaded.dtype)  # (1, 3, H, W)
        m = torch.from_numpy(mask)[None, None].to(loaded.device, loaded.dtype)  # (1, 1, H, W)
        with torch.inference_mode(), runtime.oom_guard("a smaller image or the crop option"):
            out = module(x, m)
        return out[0].float().permute(1, 2, 0).clamp(0, 1).cpu().numpy()

    return Inpainter(fill, module.pad_multiple, module.pad_multiple, loaded.provenance)


def baseline(inpainter: Inpainter) -> Callable[[ModelSpec, Progress | None], Inpainter]:
    return lambda spec, progress: inpainter


# architecture -> (spec, progress) -> its Inpainter
METHODS: dict[str, Callable[[ModelSpec, Progress | None], Inpainter]] = {
    "telea": baseline(classical(cv2.INPAINT_TELEA)),
    "navier-stokes": baseline(classical(cv2.INPAINT_NS)),
    "harmonic": baseline(smooth(harmonic_fill)),
    "biharmonic": baseline(smooth(biharmonic_fill)),
    "tension": baseline(smooth(tension_fill)),
    "mean-fill": baseline(Inpainter(mean_fill)),
    "inpaint-net": network,
    "lama": network,
    "torchscript": network,
}


def normalise_mask(mask: Image.Image | np.ndarray | None, size: tuple[int, int]) -> np.ndarray:
    """Any mask image -> (H, W) bool, True = fill: alpha when it has one (painted strokes), else brightness."""
    if mask is None:
        return np.zeros(size[::-1], bool)
    if isinstance(mask, np.ndarray):
        mask = Image.fromarray(mask.astype(np.uint8) * 255 if mask.dtype == bool else mask)
    if mask.mode in ("RGBA", "LA", "PA") or "transparency" in mask.info:
        values = mask.convert("RGBA").getchannel("A")
    else:
        values = mask.convert("L")
    if values.size != size:
        values = values.resize(size, Image.Resampling.NEAREST)
    return np.asarray(values) > 127


def grow_mask(mask: np.ndarray, pixels: int) -> np.ndarray:
    if pixels == 0:
        return mask
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * abs(pixels) + 1,) * 2)
    op = cv2.dilate if pixels > 0 else cv2.erode
    return op(mask.astype(np.uint8), kernel) > 0


def feathered(mask: np.ndarray, pixels: int) -> np.ndarray:
    """(H, W) float weights: 1 deep inside the hole, ramping down to 0 at its edge; 0 everywhere outside it."""
    if pixels == 0:
        return mask.astype(np.float32)
    distance = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)  # pixels to the nearest unmasked one
    return np.clip(distance / pixels, 0, 1).astype(np.float32)


def region_of(mask: np.ndarray, crop: bool) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the part of the image to work on."""
    H, W = mask.shape
    if not crop:
        return 0, 0, H, W
    rows, cols = np.nonzero(mask)
    return (max(0, rows.min() - MARGIN), max(0, cols.min() - MARGIN),
            min(H, rows.max() + 1 + MARGIN), min(W, cols.max() + 1 + MARGIN))


def run_model(model: Inpainter, image: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, str]:
    """Downscale an oversized region, pad for the model, fill, undo both."""
    H, W = mask.shape
    notice = ""
    scale = min(1.0, MAX_REGION / max(H, W))
    if scale < 1:
        size = (round(W * scale), round(H * scale))
        notice = f"The region to fill ({W}x{H}) was processed at {size[0]}x{size[1]} and scaled back."
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask.astype(np.float32), size, interpolation=cv2.INTER_NEAREST)
    h, w = mask.shape
    th = max(model.min_size, -(-h // model.pad_multiple) * model.pad_multiple)
    tw = max(model.min_size, -(-w // model.pad_multiple) * model.pad_multiple)
    # Padding split between both sides keeps the image's centre where it was (inpaint-art's mirrors turn about it).
    top, left = (th - h) // 2, (tw - w) // 2
    pads = ((top, th - h - top), (left, tw - w - left))
    padded = np.pad(image, (*pads, (0, 0)), mode="reflect" if min(h, w) > 1 else "edge")
    padded_mask = np.pad(mask.astype(np.float32), pads)
    out = model.fill(padded.astype(np.float32), padded_mask)[top:top + h, left:left + w]
    if scale < 1:
        out = cv2.resize(out, (W, H), interpolation=cv2.INTER_CUBIC)
    return out, notice


def inpaint(model: str, image: Image.Image | None, mask, settings: InpaintSettings = InpaintSettings(),
            progress: Progress | None = None) -> tuple[Artwork, str]:
    """-> (the filled image with its replay record, a notice or "")."""
    spec, s = get_spec(model, task="inpaint"), checked(settings)
    image = checked_image(image, "inpaint")
    drawn = normalise_mask(mask, image.size)
    hole = grow_mask(drawn, s.grow)
    inputs = {"image": image, "mask": Image.fromarray(drawn.astype(np.uint8) * 255, "L")}
    record = make_record("inpaint", spec.name, {}, **asdict(s), size=list(image.size),
                         hole_share=round(float(hole.mean()), 4))
    if not hole.any():
        return Artwork(image, record, inputs), "The mask is empty: paint the area to fill. The image is unchanged."
    filler = method_for(spec, METHODS, progress)(spec, progress)
    record |= filler.provenance
    pixels = np.asarray(image, dtype=np.float32) / 255
    top, left, bottom, right = region_of(hole, s.crop)
    filled, notice = run_model(filler, pixels[top:bottom, left:right], hole[top:bottom, left:right])
    weight = feathered(hole, s.feather)[top:bottom, left:right, None]
    original = np.asarray(image)
    result = original.copy()
    blended = (filled * weight + pixels[top:bottom, left:right] * (1 - weight)) * 255
    result[top:bottom, left:right] = np.where(weight > 0, blended.round().clip(0, 255), original[top:bottom, left:right])
    return Artwork(Image.fromarray(result.astype(np.uint8), "RGB"), record, inputs), notice


def run(model: str, s: InpaintSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    art, notice = inpaint(model, inputs.get("image"), inputs.get("mask"), s, progress)
    return [Output(art.record, art.image, inputs=art.inputs, notice=notice)]


TASK = Task("inpaint", InpaintSettings, METHODS, run, inputs=("image", "mask"), batch_over="image")
