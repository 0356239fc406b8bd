"""Neural style transfer: Gatys et al. optimisation, AdaIN, and fast feed-forward networks, behind one method table.

stylize() yields StyleUpdates: Gatys streams an image every few steps, the others yield once. Strength blends the
result with the content (AdaIN in feature space, the others in pixels); "preserve colours" keeps the content's
chroma and takes only the luminance from the stylised image (Gatys et al. 2016, "Preserving Color in Neural
Artistic Style Transfer").
"""
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..models.adain import adain, mean_std
from ..models.random_features import RandomFeaturesConfig
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from . import gatys
from .checks import MAX_SEED
from .images import prepare, to_image, to_tensor
from .settings import checked, knob
from .task import Output, Task, method_for

MAX_STYLES = 4
STYLE_INPUTS = tuple(f"style{i + 1}" for i in range(MAX_STYLES))


@dataclass(frozen=True)
class StyleSettings:
    size: int = knob(512, "Size", "The output's longest side, px.", 64, 1024, 16, label_zh="尺寸", help_zh="输出图像最长边，像素。")
    strength: float = knob(1.0, "Strength", "0 = the content, 1 = full style", 0.0, 1.0, 0.05,
                           label_zh="强度", help_zh="0 = 内容图，1 = 完全风格化")
    preserve_colors: bool = knob(False, "Preserve the content's colours", label_zh="保留内容图的颜色")
    style_weights: list[float] | None = knob(None, "Style weights", "One per style image; equal when empty.", 0.0,
                                             MAX_STYLES, label_zh="风格权重", help_zh="每张风格图像一个；留空则相等。")
    steps: int = knob(200, "Steps", "Gatys: optimisation steps; it shows the image as it goes.", 1, 1000, 1,
                      label_zh="步数", help_zh="Gatys：优化步数；边算边显示图像。")
    content_weight: float = knob(1.0, "Content weight", "Gatys", 0.0, 1e6, sweep=False,
                                 label_zh="内容权重", help_zh="Gatys")
    style_weight: float = knob(10.0, "Style weight", "Gatys", 0.0, 1e6, label_zh="风格权重（Gatys）", help_zh="Gatys")
    tv_weight: float = knob(1.0, "Total-variation weight", "Gatys: against high-frequency noise", 0.0, 1e6,
                            sweep=False, label_zh="全变分权重", help_zh="Gatys：抑制高频噪声")
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED, label_zh="种子")


@dataclass(frozen=True)
class StyleJob:
    """One transfer's prepared inputs: tensors (1, 3, H, W) in [0, 1], the mask (1, 1, H, W) or None, and the
    settings with one normalised weight per style."""
    content: torch.Tensor
    styles: list[torch.Tensor]
    mask: torch.Tensor | None
    settings: StyleSettings


# (spec, job, progress) -> (image (1, 3, H, W), step, steps, additions to the record) as it goes; the last is final
Transfer = Callable[[ModelSpec, StyleJob, Progress | None], Iterator[tuple[torch.Tensor, int, int, dict]]]


@dataclass(frozen=True)
class StyleMethod:
    transfer: Transfer
    about: str  # what the Style tab says about the method
    needs_style: bool  # takes style images (else one style is baked into the network)
    optimises: bool  # Gatys: steps and loss weights apply, and it streams
    spatial: bool = False  # two styles placed by a painted mask
    pixel_strength: bool = True  # strength blends pixels (AdaIN blends features instead)
    about_zh: str = ""  # `about` in Simplified Chinese (genart/locale)
    # (spec, progress) -> what the record says about the weights used
    provenance: Callable[[ModelSpec, Progress | None], dict] = lambda spec, progress: \
        load_model(spec, progress).provenance


@dataclass
class StyleUpdate:
    image: Image.Image
    step: int
    steps: int
    notice: str = ""
    done: bool = False
    record: dict = field(default_factory=dict)
    inputs: dict[str, Image.Image] = field(default_factory=dict)  # with the record: content, styles, mask

    def artwork(self) -> Artwork:
        return Artwork(self.image, self.record, self.inputs)


def keep_content_colors(stylised: torch.Tensor, content: torch.Tensor) -> torch.Tensor:
    """(1, 3, H, W) each in [0, 1]: the stylised luminance with the content's chroma (YCbCr, BT.601)."""
    to_ycc = torch.tensor([[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]])
    s = torch.einsum("ij,bjhw->bihw", to_ycc.to(stylised), stylised)
    c = torch.einsum("ij,bjhw->bihw", to_ycc.to(content), content)
    ycc = torch.cat([s[:, :1], c[:, 1:]], 1)
    return torch.einsum("ij,bjhw->bihw", torch.linalg.inv(to_ycc).to(ycc), ycc).clamp(0, 1)


def finish(result: torch.Tensor, job: StyleJob, pixel_strength: bool) -> Image.Image:
    s = job.settings
    if pixel_strength:
        result = s.strength * result + (1 - s.strength) * job.content
    if s.preserve_colors:
        result = keep_content_colors(result, job.content)
    return to_image(result)


def image_digest(image: Image.Image) -> str:
    return hashlib.sha256(np.asarray(image).tobytes()).hexdigest()[:16]


def optimised(features: Callable[[ModelSpec, Progress | None], tuple]) -> Transfer:
    """Gatys over a feature network: (spec, progress) -> (module, device)."""
    def transfer(spec: ModelSpec, job: StyleJob, progress: Progress | None):
        net, device = features(spec, progress)
        steps = job.settings.steps
        for x, step, losses in gatys.gatys(net, device, job.content, job.styles, job.settings, progress):
            yield x.cpu(), step, steps, {"losses": losses}

    return transfer


# --- AdaIN (Huang & Belongie 2017) ------------------------------------------------------------------------------

def region_adain(content: torch.Tensor, style: torch.Tensor, region: torch.Tensor) -> torch.Tensor:
    """AdaIN with the content statistics taken inside `region` (1, 1, H, W) only, for spatial control."""
    w = region / region.sum().clamp_min(1e-6)
    c_mean = (content * w).sum((2, 3), keepdim=True)
    c_std = ((content - c_mean).pow(2) * w).sum((2, 3), keepdim=True).add(1e-5).sqrt()
    s_mean, s_std = mean_std(style)
    return (content - c_mean) / c_std * s_std + s_mean


def adain_transfer(spec: ModelSpec, job: StyleJob, progress: Progress | None):
    """Content -> stylised, once. Several styles blend by weight; with a mask the first style goes where it is 1
    and the second where it is 0."""
    loaded = load_model(spec, progress)
    net, device, s = loaded.module, loaded.device, job.settings
    layout = {"memory_format": torch.channels_last}  # as the loaded network's weights
    with torch.no_grad():
        c = net.encode(job.content.to(device, **layout))  # (1, 512, h, w)
        style_feats = [net.encode(x.to(device, **layout)) for x in job.styles]
        if job.mask is not None:
            if len(job.styles) != 2:
                raise GenartError("Spatial control takes exactly two style images: the first for the painted area, "
                                  "the second for the rest.")
            m = F.interpolate(job.mask.to(device), size=c.shape[-2:], mode="bilinear", align_corners=False)
            t = m * region_adain(c, style_feats[0], m) + (1 - m) * region_adain(c, style_feats[1], 1 - m)
        else:
            t = sum(w * adain(c, f) for w, f in zip(s.style_weights, style_feats))
        out = net.decode(s.strength * t + (1 - s.strength) * c)
    yield out[..., :job.content.shape[-2], :job.content.shape[-1]].clamp(0, 1).cpu(), 1, 1, {}


# --- Fast feed-forward networks (Johnson et al. 2016) -----------------------------------------------------------

def fast_transfer(spec: ModelSpec, job: StyleJob, progress: Progress | None):
    loaded = load_model(spec, progress)
    H, W = job.content.shape[-2:]
    padded = F.pad(job.content, (0, -W % 4, 0, -H % 4), mode="reflect")  # the network halves twice, then doubles twice
    with torch.no_grad():
        out = loaded.module(padded.to(loaded.device, loaded.dtype) * 255).float() / 255
    yield out[..., :H, :W].clamp(0, 1).cpu(), 1, 1, {}


METHODS: dict[str, StyleMethod] = {
    "vgg19": StyleMethod(optimised(gatys.FEATURES["vgg19"]), "Features in use: **VGG-19** (ImageNet weights from the "
                         "Hub).", needs_style=True, optimises=True,
                         about_zh="使用的特征：**VGG-19**（来自 Hub 的 ImageNet 权重）。"),
    "random-features": StyleMethod(optimised(gatys.FEATURES["random-features"]), "Features in use: a **random** fixed-seed "
                                   "network (no trained weights; works offline).", needs_style=True, optimises=True,
                                   about_zh="使用的特征：固定种子的**随机**网络（没有训练过的权重；可离线使用）。",
                                   provenance=lambda spec, progress: {"feature_seed": RandomFeaturesConfig().seed}),
    "transformer-net": StyleMethod(fast_transfer, "One style, baked into the network: the style images are not used.",
                                   needs_style=False, optimises=False,
                                   about_zh="一种风格，固化在网络中：不使用风格图像。"),
    "adain": StyleMethod(adain_transfer, "Any style image, in one pass; two styles with a painted mask put each where "
                         "you choose.", needs_style=True, optimises=False, spatial=True, pixel_strength=False,
                         about_zh="任意风格图像，一次完成；两种风格配合涂抹的遮罩，可以把每种风格放在你选的位置。"),
}


def normalised_weights(weights: list[float] | None, n_styles: int) -> list[float]:
    weights = weights or [1.0] * n_styles
    if len(weights) != n_styles:
        raise GenartError(f"Give one style weight per style image: {n_styles} images, {len(weights)} weights.")
    if sum(weights) <= 0:
        raise GenartError("At least one style weight must be above 0.")
    return [w / sum(weights) for w in weights]


def style_method(model: str, progress: Progress | None = None) -> StyleMethod:
    spec = get_spec(model, task="style")
    return method_for(spec, METHODS, progress)


def stylize(model: str, content: Image.Image | None, styles: list[Image.Image], settings: StyleSettings = StyleSettings(),
            mask: Image.Image | None = None, progress: Progress | None = None) -> Iterator[StyleUpdate]:
    spec = get_spec(model, task="style")
    method = method_for(spec, METHODS, progress)
    styles = [x for x in styles or [] if x is not None]
    if not styles and method.needs_style:
        raise GenartError(f"{spec.name} needs a style image; add one.")
    if len(styles) > MAX_STYLES:
        raise GenartError(f"Use at most {MAX_STYLES} style images; {len(styles)} were given.")
    s = checked(settings)
    s = replace(s, style_weights=normalised_weights(s.style_weights, max(1, len(styles))))
    # The content is painted at the asked size, a small one enlarged: a fast network paints strokes of a fixed size in
    # pixels, which hide the subject of a small image. A small style image stays as it is (enlarging only blurs it).
    content_image, notice = prepare(content, "content", s.size, enlarge=True)
    prepared = [prepare(x, "style", s.size)[0] for x in styles]
    if styles and not method.needs_style:
        unused_notice = f"{spec.name} paints one fixed style; the style images are not used."
        notice = " ".join(filter(None, [notice, unused_notice]))
    job = StyleJob(to_tensor(content_image), [to_tensor(p) for p in prepared],
                   painted_region(mask, content_image.size) if method.spatial else None, s)
    inputs = {"content": content_image, **dict(zip(STYLE_INPUTS, prepared)),
              **({"mask": mask.convert("L")} if mask is not None else {})}
    record = make_record("style", spec.name, method.provenance(spec, progress), **asdict(s),
                         content_sha=image_digest(content_image), style_shas=[image_digest(x) for x in prepared],
                         masked=mask is not None)
    with runtime.oom_guard("a smaller size"):
        for x, step, steps, extra in method.transfer(spec, job, progress):
            done = step == steps
            yield StyleUpdate(finish(x, job, method.pixel_strength), step, steps, notice, done,
                              record | extra if done else {}, inputs if done else {})


def painted_region(mask: Image.Image | None, size: tuple[int, int]) -> torch.Tensor | None:
    """A painted mask as (1, 1, H, W) weights in [0, 1] at the content's size."""
    if mask is None:
        return None
    gray = np.asarray(mask.convert("L").resize(size), dtype=np.float32) / 255
    return torch.from_numpy(gray)[None, None]


def run(model: str, s: StyleSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    styles = [inputs[k] for k in STYLE_INPUTS if k in inputs]
    *_, last = stylize(model, inputs.get("content"), styles, s, inputs.get("mask"), progress)
    return [Output(last.record, last.image, inputs=last.inputs, notice=last.notice)]


TASK = Task("style", StyleSettings, METHODS, run, inputs=("content", *STYLE_INPUTS, "mask"),
            batch_over="content")
