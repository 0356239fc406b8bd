"""Gatys et al. 2016, "Image Style Transfer Using Convolutional Neural Networks": optimise the pixels so that their
features match the content's and their Gram matrices the styles', over any feature network (VGG-19, or a random one)."""
from collections.abc import Iterator

import torch

from .. import runtime
from ..hub import Progress
from ..loaders import load_model
from ..models.random_features import RandomFeatures, RandomFeaturesConfig
from ..registry import ModelSpec

EVERY = 20  # the optimisation shows its image about this many times


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


def random_features(spec: ModelSpec, progress: Progress | None):
    """-> (module, device): the random network, built from its seed; no checkpoint."""
    device = runtime.pick_device()
    key = runtime.cache_key(spec.name, {"feature_seed": RandomFeaturesConfig().seed}, device)
    return runtime.MODELS.get(key, lambda: RandomFeatures(RandomFeaturesConfig()).to(device).eval()), device


def loaded_features(spec: ModelSpec, progress: Progress | None):
    """-> (module, device): a feature network loaded like any checkpoint (VGG-19)."""
    loaded = load_model(spec, progress)
    return loaded.module.float(), loaded.device


# The feature networks Gatys runs over, by architecture: (spec, progress) -> (module, device).
FEATURES = {"random-features": random_features, "vgg19": loaded_features}


def style_losses(net, x, content_targets, style_targets) -> dict[str, torch.Tensor]:
    """x (B, 3, H, W) in [0, 1]; targets from the same network: content features and style Gram matrices, by layer
    (the layers compared are the targets')."""
    feats = net(x, tuple(content_targets) + tuple(style_targets))
    content = sum(relative(feats[n], t) for n, t in content_targets.items())
    style = sum(relative(gram(feats[n]), t) for n, t in style_targets.items()) / len(style_targets)
    return {"content": content, "style": style, "tv": total_variation(x)}


def gatys(net, device: torch.device, content: torch.Tensor, styles: list[torch.Tensor], s,
          progress: Progress | None) -> Iterator[tuple[torch.Tensor, int, dict]]:
    """Yield (image (1, 3, H, W), step, losses) every few steps and at the end; Adam on the pixels from the content.
    s: the style settings (steps, weights, seed; style_weights normalised, one per style)."""
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
