"""How each architecture with a latent space (the GANs, the VAE's decoder) turns a seed into images: the noise it is
sampled from, how truncation (a VAE's temperature) applies to it, how the network is called, what its classes are
called, and for a VAE how an image is taken back into the latent space. generate.py, encode.py and interpolate.py
read these."""
from collections.abc import Callable
from dataclasses import dataclass

import torch
from PIL import Image

from .. import runtime
from ..data import imagenet
from ..errors import GenartError
from ..loaders import LoadedModel


def latents(seed: int, n: int, dim: int) -> torch.Tensor:
    """(n, dim) standard normal latents; latent i is the same for any n >= i + 1, and on every device."""
    g = torch.Generator().manual_seed(seed)
    return torch.stack([torch.randn(dim, generator=g) for _ in range(n)])  # one row at a time: batched randn is not prefix-stable


def truncated_latents(seed: int, n: int, dim: int, bound: float = 2.0) -> torch.Tensor:
    """(n, dim) normal latents truncated to [-bound, bound] by redrawing the values outside (BigGAN's truncated
    normal before its scale); prefix-stable like latents()."""
    g = torch.Generator().manual_seed(seed)
    rows = []
    for _ in range(n):
        z = torch.randn(dim, generator=g)
        while (outside := z.abs() > bound).any():
            z[outside] = torch.randn(int(outside.sum()), generator=g)
        rows.append(z)
    return torch.stack(rows)


def to_images(batch: torch.Tensor) -> list[Image.Image]:
    """(B, C, H, W) in [-1, 1] -> PIL images."""
    pixels = ((batch.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu()  # (B, H, W, C)
    mode = "L" if pixels.shape[-1] == 1 else "RGB"
    return [Image.fromarray(p.squeeze(-1).numpy() if mode == "L" else p.numpy(), mode) for p in pixels]


def named_or_numbered(config) -> list[str]:
    """The class names a checkpoint's config gives, else their numbers; [] when unconditional."""
    if not config.num_classes:
        return []
    return list(getattr(config, "class_names", None) or []) or [str(i) for i in range(config.num_classes)]


def imagenet_or_numbered(config) -> list[str]:
    return list(imagenet.CLASSES) if config.num_classes == len(imagenet.CLASSES) else named_or_numbered(config)


@dataclass(frozen=True)
class StyleSpace:
    """A generator that draws from one w per layer (StyleGAN), so layers can take their w from different seeds."""
    ws: Callable  # (module, z (B, dim), labels (B,) or None, truncation) -> ws (B, num_ws, w_dim)
    # (module, ws (B, num_ws, w_dim), noise maps in place of the generator's own or None) -> (B, C, H, W) in [-1, 1]
    draw: Callable
    sides: Callable  # module -> for each row of ws, the side in pixels of the layer that reads it
    truncated: Callable  # (module, w (B, 1 or num_ws, w_dim) as a projection finds it, truncation) -> ws


@dataclass(frozen=True)
class LatentModel:
    noise: Callable[[int, int, int], torch.Tensor]  # (seed, n, dim) -> (n, dim), before truncation
    truncate: Callable[[torch.Tensor, float], torch.Tensor]  # applied after any interpolation of the noise
    call: Callable  # (module, z (B, dim), labels (B,) or None, truncation) -> (B, C, H, W) in [-1, 1]
    classes: Callable[[object], list[str]]  # config -> class names
    max_truncation: float = float("inf")
    # (module, images (B, C, H, W) in [-1, 1], truncation) -> noise (B, dim) that this truncation turns into the
    # posterior's mean, so an encoded image walks beside a seed's noise; None: no encoder (a GAN)
    encode: Callable | None = None
    styles: StyleSpace | None = None  # None: one latent drives every layer


# Latents clamped to ±truncation: the DCGAN, and the Progressive GAN (whose pixel norm rescales the clamped latent).
CLAMPED = LatentModel(latents, lambda z, t: z.clamp(-t, t), lambda m, z, y, t: m(z, y), named_or_numbered)

# StyleGAN's truncation in W: ψ pulls each w toward the checkpoint's average w; the noise stays as drawn.
STYLE_BASED = LatentModel(latents, lambda z, t: z, lambda m, z, y, t: m(z, y, t), named_or_numbered, max_truncation=1.0,
                          styles=StyleSpace(lambda m, z, y, t: m.ws(z, y, t),
                                            lambda m, ws, noises=None: m.synthesis(ws, noises=noises),
                                            lambda m: m.w_resolutions(), lambda m, w, t: m.truncated(w, t)))

LATENT_MODELS: dict[str, LatentModel] = {
    "dcgan": CLAMPED,
    "progan": CLAMPED,
    # Brock et al.'s truncation trick: a normal truncated at ±2, scaled by the truncation, which also picks the
    # batch-norm statistics recorded for it.
    "biggan": LatentModel(truncated_latents, lambda z, t: z * t, lambda m, z, y, t: m(z, y, t), imagenet_or_numbered,
                          max_truncation=1.0),
    "stylegan2": STYLE_BASED,
    "stylegan3": STYLE_BASED,
    # A VAE's prior scaled by a temperature; its encoder gives the posterior's mean.
    "vae": LatentModel(latents, lambda z, t: z * t, lambda m, z, y, t: one_at_a_time(m.decode, z, y),
                       named_or_numbered, max_truncation=2.0, encode=lambda m, x, t: m.encode(x)[0] / t),
}


def one_at_a_time(decode: Callable, z: torch.Tensor, labels: torch.Tensor | None) -> torch.Tensor:
    """decode(z, labels) a row at a time: on an AVX2 CPU (no AVX-512) the VAE decoded in a batch gave image i a
    level off here and there from the same latent decoded alone, so image i changed with the batch size. The VAE is
    small enough that its rows cost little apart. -> (B, C, H, W)"""
    return torch.cat([decode(z[i:i + 1], None if labels is None else labels[i:i + 1]) for i in range(len(z))])


def one_class(gan: LatentModel, model: LoadedModel, label: str | None, n: int) -> torch.Tensor | None:
    """(n,) indices of one class, or None for an unconditional model."""
    return None if label is None else torch.full((n,), gan.classes(model.module.config).index(label), dtype=torch.long)


def class_morph(gan: LatentModel, model: LoadedModel, label_a: str, label_b: str, t: torch.Tensor) -> torch.Tensor:
    """(frames, num_classes) weights moving from class a to class b at fractions t (frames,)."""
    names = gan.classes(model.module.config)
    weights = torch.zeros(len(t), len(names))
    weights[:, names.index(label_a)] += 1 - t
    weights[:, names.index(label_b)] += t
    return weights


def check_truncation(gan: LatentModel, name: str, truncation: float):
    """One sentence for a truncation above what the architecture takes (BigGAN's and StyleGAN's 1, a VAE's 2)."""
    if truncation > gan.max_truncation:
        raise GenartError(f"{name} takes a truncation of at most {gan.max_truncation:g}; got {truncation:g}.")


def run_generator(gan: LatentModel, model: LoadedModel, noise: torch.Tensor, labels: torch.Tensor | None,
                  truncation: float) -> list[Image.Image]:
    """Images from noise (B, latent_dim) and classes (one_class or class_morph), truncated as the architecture
    does."""
    check_truncation(gan, model.spec.name, truncation)
    z = gan.truncate(noise, truncation).to(model.device, model.dtype)  # (B, latent_dim)
    labels = None if labels is None else labels.to(model.device)
    with torch.inference_mode(), runtime.oom_guard():
        return to_images(gan.call(model.module, z, labels, truncation))
