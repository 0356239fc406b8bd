"""Neural style transfer: Gatys et al. optimisation, AdaIN, and fast feed-forward networks, behind one call.

stylize() yields StyleUpdates: Gatys streams an image every few steps, the others yield once. Strength blends the
result with the content (AdaIN in feature space, the others in pixels); "preserve colours" keeps the content's
chroma and takes only the luminance from the stylised image (Gatys et al. 2016, "Preserving Color in Neural
Artistic Style Transfer").
"""
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..models.adain import adain, mean_std
from ..models.random_features import RandomFeatures, RandomFeaturesConfig
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .checks import check_bool, check_float, check_int, check_seed
from .images import prepare, to_image, to_tensor

MAX_STYLES = 4
SIZE_RANGE = (64, 1024)
MAX_STEPS = 1000
EVERY = 20  # Gatys shows its image about this many times


@dataclass
class StyleSettings:
    size: int = 512  # longest side of the output
    strength: float = 1.0  # 0 = the content, 1 = fully stylised
    preserve_colors: bool = False
    style_weights: list[float] | None = None  # one per style image; equal when None
    steps: int = 200  # Gatys
    content_weight: float = 1.0  # Gatys
    style_weight: float = 10.0  # Gatys
    tv_weight: float = 1.0  # Gatys: total variation, against high-frequency noise
    seed: int = 0


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


def checked(s: StyleSettings, n_styles: int) -> StyleSettings:
    weights = s.style_weights or [1.0] * n_styles
    if not isinstance(weights, (list, tuple)) or len(weights) != n_styles:
        raise GenartError(f"Give one style weight per style image: {n_styles} images, {weights!r:.40} as weights.")
    weights = [check_float("A style weight", w, 0.0, 1e6) for w in weights]
    if sum(weights) <= 0:
        raise GenartError("At least one style weight must be above 0.")
    return StyleSettings(size=check_int("Size", s.size, *SIZE_RANGE),
                         strength=check_float("Strength", s.strength, 0.0, 1.0),
                         preserve_colors=check_bool("Preserve the content's colours", s.preserve_colors),
                         style_weights=[w / sum(weights) for w in weights],
                         steps=check_int("Steps", s.steps, 1, MAX_STEPS),
                         content_weight=check_float("Content weight", s.content_weight, 0.0, 1e6),
                         style_weight=check_float("Style weight", s.style_weight, 0.0, 1e6),
                         tv_weight=check_float("Total-variation weight", s.tv_weight, 0.0, 1e6),
                         seed=check_seed(s.seed))


def keep_content_colors(stylised: torch.Tensor, content: torch.Tensor) -> torch.Tensor:
    """(1, 3, H, W) each in [0, 1]: the stylised luminance with the content's chroma (YCbCr, BT.601)."""
    to_ycc = torch.tensor([[0.299, 0.587, 0.114], [-0.168736, -0.331264, 0.5], [0.5, -0.418688, -0.081312]])
    s = torch.einsum("ij,bjhw->bihw", to_ycc.to(stylised), stylised)
    c = torch.einsum("ij,bjhw->bihw", to_ycc.to(content), content)
    ycc = torch.cat([s[:, :1], c[:, 1:]], 1)
    return torch.einsum("ij,bjhw->bihw", torch.linalg.inv(to_ycc).to(ycc), ycc).clamp(0, 1)


def finish(result: torch.Tensor, content: torch.Tensor, s: StyleSettings, pixel_strength: bool) -> Image.Image:
    if pixel_strength:
        result = s.strength * result + (1 - s.strength) * content
    if s.preserve_colors:
        result = keep_content_colors(result, content)
    return to_image(result)


def image_digest(image: Image.Image) -> str:
    return hashlib.sha256(np.asarray(image).tobytes()).hexdigest()[:16]


# --- Gatys et al. 2016: optimise the pixels ---------------------------------------------------------------------

def gram(feat: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, C, C) Gram matrices, normalised by the number of entries."""
    B, C, H, W = feat.shape
    flat = feat.reshape(B, C, H * W)
    return flat @ flat.transpose(1, 2) / (C * H * W)


def relative(a: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Squared error relative to the target's own size, so weights mean the same for any feature network.
    A target of batch 1 is compared with every item of `a`."""
    target = target.expand_as(a)
    return (a - target).pow(2).sum() / target.pow(2).sum().clamp_min(1e-12)


def total_variation(x: torch.Tensor) -> torch.Tensor:
    return (x[..., 1:, :] - x[..., :-1, :]).abs().mean() + (x[..., :, 1:] - x[..., :, :-1]).abs().mean()


def feature_network(spec: ModelSpec, progress: Progress | None):
    """-> (module, device); the random network is built from its seed, VGG-19 is loaded like any checkpoint."""
    if spec.arch == "random-features":
        device = runtime.pick_device()
        module = runtime.MODELS.get(f"{spec.name}|{device}", lambda: RandomFeatures(RandomFeaturesConfig()).to(device).eval())
        return module, device
    loaded = load_model(spec, progress)
    return loaded.module.float(), loaded.device


def style_losses(net, x, content_targets, style_targets) -> dict[str, torch.Tensor]:
    """x (B, 3, H, W) in [0, 1]; targets from the same network: content features, style Gram matrices."""
    cfg = net.config
    feats = net(x, tuple(cfg.content_layers) + tuple(cfg.style_layers))
    content = sum(relative(feats[n], content_targets[n]) for n in cfg.content_layers)
    style = sum(relative(gram(feats[n]), style_targets[n]) for n in cfg.style_layers) / len(cfg.style_layers)
    return {"content": content, "style": style, "tv": total_variation(x)}


def gatys(spec: ModelSpec, content: torch.Tensor, styles: list[torch.Tensor], s: StyleSettings,
          progress: Progress | None) -> Iterator[tuple[torch.Tensor, int, dict]]:
    """Yield (image (1, 3, H, W), step, losses) every few steps and at the end; Adam on the pixels from the content."""
    net, device = feature_network(spec, progress)
    content = content.to(device)
    cfg = net.config
    with torch.no_grad():
        content_targets = net(content, tuple(cfg.content_layers))
        style_targets = {n: sum(w * gram(net(x.to(device), (n,))[n]) for w, x in zip(s.style_weights, styles))
                         for n in cfg.style_layers}
    g = torch.Generator().manual_seed(s.seed)
    x = (content + 0.02 * torch.randn(content.shape, generator=g).to(device)).clamp(0, 1).requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.02)
    every = max(1, s.steps // EVERY)
    for step in range(1, s.steps + 1):
        losses = style_losses(net, x, content_targets, style_targets)
        loss = s.content_weight * losses["content"] + s.style_weight * losses["style"] + s.tv_weight * losses["tv"]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
        if progress:
            progress(step / s.steps, f"Step {step}/{s.steps}")
        if step % every == 0 or step == s.steps:
            yield x.detach(), step, {k: round(v.item(), 5) for k, v in losses.items()}


# --- AdaIN (Huang & Belongie 2017) ------------------------------------------------------------------------------

def region_adain(content: torch.Tensor, style: torch.Tensor, region: torch.Tensor) -> torch.Tensor:
    """AdaIN with the content statistics taken inside `region` (1, 1, H, W) only, for spatial control."""
    w = region / region.sum().clamp_min(1e-6)
    c_mean = (content * w).sum((2, 3), keepdim=True)
    c_std = ((content - c_mean).pow(2) * w).sum((2, 3), keepdim=True).add(1e-5).sqrt()
    s_mean, s_std = mean_std(style)
    return (content - c_mean) / c_std * s_std + s_mean


def adain_transfer(spec: ModelSpec, content: torch.Tensor, styles: list[torch.Tensor], s: StyleSettings,
                   mask: torch.Tensor | None, progress: Progress | None) -> torch.Tensor:
    """Content (1, 3, H, W) -> stylised (1, 3, H', W'). Several styles blend by weight; with a mask (1, 1, H, W)
    the first style goes where it is 1 and the second where it is 0."""
    loaded = load_model(spec, progress)
    net, device = loaded.module, loaded.device
    with torch.no_grad():
        c = net.encode(content.to(device))  # (1, 512, h, w)
        style_feats = [net.encode(x.to(device)) for x in styles]
        if mask is not None:
            if len(styles) != 2:
                raise GenartError("Spatial control takes exactly two style images: the first for the painted area, "
                                  "the second for the rest.")
            m = F.interpolate(mask.to(device), size=c.shape[-2:], mode="bilinear", align_corners=False)
            t = m * region_adain(c, style_feats[0], m) + (1 - m) * region_adain(c, style_feats[1], 1 - m)
        else:
            t = sum(w * adain(c, f) for w, f in zip(s.style_weights, style_feats))
        t = s.strength * t + (1 - s.strength) * c
        out = net.decode(t)
    return out[..., :content.shape[-2], :content.shape[-1]].clamp(0, 1).cpu()


# --- Fast feed-forward networks (Johnson et al. 2016) -----------------------------------------------------------

def fast_transfer(spec: ModelSpec, content: torch.Tensor, progress: Progress | None) -> torch.Tensor:
    loaded = load_model(spec, progress)
    H, W = content.shape[-2:]
    padded = F.pad(content, (0, -W % 4, 0, -H % 4), mode="reflect")  # the network halves twice, then doubles twice
    with torch.no_grad():
        out = loaded.module(padded.to(loaded.device, loaded.dtype) * 255).float() / 255
    return out[..., :H, :W].clamp(0, 1).cpu()


def stylize(model: str, content: Image.Image | None, styles: list[Image.Image], settings: StyleSettings = StyleSettings(),
            mask: Image.Image | None = None, progress: Progress | None = None) -> Iterator[StyleUpdate]:
    spec = get_spec(model, task="style")
    styles = [s for s in styles or [] if s is not None]
    fast = spec.arch == "transformer-net"
    if not styles and not fast:
        raise GenartError(f"{spec.name} needs a style image; add one.")
    if len(styles) > MAX_STYLES:
        raise GenartError(f"Use at most {MAX_STYLES} style images; {len(styles)} were given.")
    s = checked(settings, max(1, len(styles)))
    content_image, notice = prepare(content, "content", s.size)
    prepared = [prepare(x, "style", s.size)[0] for x in styles]
    x_content, x_styles = to_tensor(content_image), [to_tensor(p) for p in prepared]
    inputs = {"content": content_image, **{f"style{i + 1}": p for i, p in enumerate(prepared)},
              **({"mask": mask.convert("L")} if mask is not None else {})}
    provenance = ({"feature_seed": RandomFeaturesConfig().seed} if spec.arch == "random-features"
                  else load_model(spec, progress).provenance)
    record = make_record("style", spec.name, provenance, size=s.size, strength=s.strength, preserve_colors=s.preserve_colors,
                         style_weights=s.style_weights, seed=s.seed, content_sha=image_digest(content_image),
                         style_shas=[image_digest(x) for x in prepared], masked=mask is not None)
    if spec.arch in ("vgg19", "random-features"):
        record |= {"steps": s.steps, "content_weight": s.content_weight, "style_weight": s.style_weight,
                   "tv_weight": s.tv_weight}
        with runtime.oom_guard("a smaller size"):
            for x, step, losses in gatys(spec, x_content, x_styles, s, progress):
                done = step == s.steps
                yield StyleUpdate(finish(x.cpu(), x_content, s, True), step, s.steps, notice, done,
                                  record | {"losses": losses} if done else {}, inputs if done else {})
        return
    if fast:
        if styles:
            notice = " ".join(filter(None, [notice, f"{spec.name} paints one fixed style; the style images are not used."]))
        with runtime.oom_guard("a smaller size"):
            out = fast_transfer(spec, x_content, progress)
        yield StyleUpdate(finish(out, x_content, s, True), 1, 1, notice, True, record, inputs)
        return
    mask_tensor = None
    if mask is not None:
        gray = np.asarray(mask.convert("L").resize(content_image.size), dtype=np.float32) / 255
        mask_tensor = torch.from_numpy(gray)[None, None]  # (1, 1, H, W)
    with runtime.oom_guard("a smaller size"):
        out = adain_transfer(spec, x_content, x_styles, s, mask_tensor, progress)
    yield StyleUpdate(finish(out, x_content, s, False), 1, 1, notice, True, record, inputs)
