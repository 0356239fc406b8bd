"""Image generation: GAN samples, latent interpolation, and the procedural renderer as a reference 'model'."""
import torch
from PIL import Image

from .. import runtime
from ..data import procedural
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import get_spec
from ..replay import Animation, Artwork, make_record
from .checks import check_float, check_int, check_seed

MAX_BATCH = 64
MAX_FRAMES = 120
TRUNCATION_RANGE = (0.1, 4.0)


def latents(seed: int, n: int, dim: int) -> torch.Tensor:
    """(n, dim) standard normal latents; latent i is the same for any n >= i + 1, and on every device."""
    g = torch.Generator().manual_seed(seed)
    return torch.stack([torch.randn(dim, generator=g) for _ in range(n)])  # one row at a time: batched randn is not prefix-stable


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation of (dim,) latents at fractions t (frames,) -> (frames, dim)."""
    cos = torch.dot(a / a.norm(), b / b.norm()).clamp(-1.0, 1.0)
    omega = torch.acos(cos)
    if omega.abs() < 1e-4:  # (nearly) parallel latents: linear is exact enough
        return a[None] + (b - a)[None] * t[:, None]
    s = torch.sin(omega)
    return (torch.sin((1 - t) * omega) / s)[:, None] * a[None] + (torch.sin(t * omega) / s)[:, None] * b[None]


def to_images(batch: torch.Tensor) -> list[Image.Image]:
    """(B, C, H, W) in [-1, 1] -> PIL images."""
    pixels = ((batch.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu()  # (B, H, W, C)
    mode = "L" if pixels.shape[-1] == 1 else "RGB"
    return [Image.fromarray(p.squeeze(-1).numpy() if mode == "L" else p.numpy(), mode) for p in pixels]


def class_names(model: LoadedModel) -> list[str]:
    """Named classes when the checkpoint names them, else their numbers."""
    config = model.module.config
    return list(config.class_names) or [str(i) for i in range(config.num_classes)]


def model_classes(model: str, progress: Progress | None = None) -> list[str]:
    """The classes a generate model can be asked for; [] for an unconditional GAN."""
    spec = get_spec(model, task="generate")
    if spec.arch == "procedural":
        return list(procedural.CLASSES)
    return class_names(load_model(spec, progress))


def label_index(model: LoadedModel, label: str | None) -> int | None:
    names = class_names(model)
    if not model.module.config.num_classes:
        if label:
            raise GenartError(f"{model.spec.name} is not class-conditional; leave the class empty.")
        return None
    if label not in names:
        raise GenartError(f"{model.spec.name} makes these classes: {', '.join(names)}; got {label!r}.")
    return names.index(label)


def run_generator(model: LoadedModel, z: torch.Tensor, label: int | None, truncation: float) -> list[Image.Image]:
    z = z.clamp(-truncation, truncation).to(model.device, model.dtype)  # (B, latent_dim)
    labels = None if label is None else torch.full((z.shape[0],), label, dtype=torch.long, device=model.device)
    with torch.inference_mode(), runtime.oom_guard():
        return to_images(model.module(z, labels))


def generate(model: str, seed: int, n: int = 1, label: str | None = None, truncation: float = 2.0, size: int = 64,
             progress: Progress | None = None) -> list[Artwork]:
    """n images from `model`; image i of a seed is the same whatever n is."""
    seed, n = check_seed(seed), check_int("Batch size", n, 1, MAX_BATCH)
    spec = get_spec(model, task="generate")
    if spec.arch == "procedural":
        return procedural_art(seed, n, label or spec.defaults["label"], size)
    truncation = check_float("Truncation", truncation, *TRUNCATION_RANGE)
    loaded = load_model(spec, progress)
    index = label_index(loaded, label)
    images = run_generator(loaded, latents(seed, n, loaded.module.config.latent_dim), index, truncation)
    params = {"label": label if index is not None else None, "truncation": truncation, "n": n}
    return [Artwork(img, make_record("generate", spec.name, loaded.provenance, seed=seed, index=i, **params))
            for i, img in enumerate(images)]


def procedural_art(seed: int, n: int, label: str, size: int) -> list[Artwork]:
    size = check_int("Size", size, procedural.MIN_SIZE, procedural.MAX_SIZE)
    if label not in procedural.CLASSES:
        raise GenartError(f"procedural-art draws these classes: {', '.join(procedural.CLASSES)}; got {label!r}.")
    return [Artwork(procedural.render(label, seed + i, size),
                    make_record("generate", "procedural-art", {}, seed=seed, index=i, label=label, size=size, n=n))
            for i in range(n)]


def interpolate(model: str, seed_a: int, seed_b: int, frames: int = 16, label: str | None = None,
                truncation: float = 2.0, fps: int = 12, progress: Progress | None = None) -> Animation:
    """An animation along the great circle from seed_a's first latent to seed_b's (slerp), and back if looping."""
    seed_a, seed_b = check_seed(seed_a), check_seed(seed_b)
    frames = check_int("Frames", frames, 2, MAX_FRAMES)
    fps = check_int("Frames per second", fps, 1, 60)
    truncation = check_float("Truncation", truncation, *TRUNCATION_RANGE)
    spec = get_spec(model, task="generate")
    if spec.arch == "procedural":
        raise GenartError("procedural-art has no latent space to interpolate; pick a GAN such as dcgan-art-64.")
    loaded = load_model(spec, progress)
    index = label_index(loaded, label)
    dim = loaded.module.config.latent_dim
    path = slerp(latents(seed_a, 1, dim)[0], latents(seed_b, 1, dim)[0], torch.linspace(0, 1, frames))  # (frames, dim)
    images = run_generator(loaded, path, index, truncation)
    record = make_record("interpolate", spec.name, loaded.provenance, seed_a=seed_a, seed_b=seed_b, frames=frames,
                         label=label if index is not None else None, truncation=truncation, fps=fps)
    return Animation(images, record, fps)

