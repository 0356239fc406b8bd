"""Image generation: GAN samples, and the procedural renderer as a reference 'model', behind one method table."""
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
from PIL import Image

from .. import runtime
from ..data import procedural
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .checks import MAX_SEED
from .settings import checked, knob
from .task import Output, Task, method_for

TRUNCATION_HELP = "Latents are clamped to ±this: lower is more typical, higher more varied."


def truncation_knob():
    return knob(2.0, "Truncation", TRUNCATION_HELP, 0.1, 4.0, 0.1)


def label_knob():
    return knob(None, "Class", "For class-conditional models; empty: the model's default class.", high=100)


@dataclass(frozen=True)
class GenerateSettings:
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED)
    n: int = knob(1, "Batch size", "Images from one seed; image i is the same whatever the batch.", 1, 64, 1,
                  sweep=False)
    label: str | None = label_knob()
    truncation: float = truncation_knob()
    size: int = knob(64, "Size", "Pixels; procedural-art only: the renderer draws at any size.",
                     procedural.MIN_SIZE, procedural.MAX_SIZE, 1)


@dataclass(frozen=True)
class GenerateMethod:
    classes: Callable[[ModelSpec, Progress | None], list[str]]  # [] for an unconditional model
    # (spec, settings with a label that fits, progress) -> the batch
    sample: Callable[[ModelSpec, GenerateSettings, Progress | None], list[Artwork]]
    latent: bool  # has a latent space: truncation applies and it can be interpolated
    sized: bool  # draws at the size setting


def latents(seed: int, n: int, dim: int) -> torch.Tensor:
    """(n, dim) standard normal latents; latent i is the same for any n >= i + 1, and on every device."""
    g = torch.Generator().manual_seed(seed)
    return torch.stack([torch.randn(dim, generator=g) for _ in range(n)])  # one row at a time: batched randn is not prefix-stable


def to_images(batch: torch.Tensor) -> list[Image.Image]:
    """(B, C, H, W) in [-1, 1] -> PIL images."""
    pixels = ((batch.float().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).cpu()  # (B, H, W, C)
    mode = "L" if pixels.shape[-1] == 1 else "RGB"
    return [Image.fromarray(p.squeeze(-1).numpy() if mode == "L" else p.numpy(), mode) for p in pixels]


def class_names(model: LoadedModel) -> list[str]:
    """Named classes when the checkpoint names them, else their numbers; [] when unconditional."""
    config = model.module.config
    if not config.num_classes:
        return []
    return list(config.class_names) or [str(i) for i in range(config.num_classes)]


def run_generator(model: LoadedModel, z: torch.Tensor, label: str | None, truncation: float) -> list[Image.Image]:
    z = z.clamp(-truncation, truncation).to(model.device, model.dtype)  # (B, latent_dim)
    labels = None if label is None else \
        torch.full((z.shape[0],), class_names(model).index(label), dtype=torch.long, device=model.device)  # (B,)
    with torch.inference_mode(), runtime.oom_guard():
        return to_images(model.module(z, labels))


def gan_samples(spec: ModelSpec, s: GenerateSettings, progress: Progress | None) -> list[Artwork]:
    loaded = load_model(spec, progress)
    images = run_generator(loaded, latents(s.seed, s.n, loaded.module.config.latent_dim), s.label, s.truncation)
    return [Artwork(image, make_record("generate", spec.name, loaded.provenance, **asdict(s), index=i))
            for i, image in enumerate(images)]


def procedural_samples(spec: ModelSpec, s: GenerateSettings, progress: Progress | None) -> list[Artwork]:
    return [Artwork(procedural.render(s.label, s.seed + i, s.size),
                    make_record("generate", spec.name, {}, **asdict(s), index=i)) for i in range(s.n)]


METHODS: dict[str, GenerateMethod] = {
    "dcgan": GenerateMethod(lambda spec, progress: class_names(load_model(spec, progress)), gan_samples,
                            latent=True, sized=False),
    "procedural": GenerateMethod(lambda spec, progress: list(procedural.CLASSES), procedural_samples,
                                 latent=False, sized=True),
}


def model_classes(model: str, progress: Progress | None = None) -> list[str]:
    """The classes a generate model can be asked for; [] for an unconditional GAN."""
    spec = get_spec(model, task="generate")
    return method_for(spec, METHODS, progress).classes(spec, progress)


def fitting_label(spec: ModelSpec, classes: list[str], label: str | None) -> str | None:
    """The class to draw: the one asked for, else the registry's default for the model, else its first."""
    if not classes:
        if label:
            raise GenartError(f"{spec.name} is not class-conditional; leave the class empty.")
        return None
    label = label or spec.defaults.get("label") or classes[0]
    if label not in classes:
        raise GenartError(f"{spec.name} makes these classes: {', '.join(classes)}; got {label!r:.60}.")
    return label


def generate(model: str, settings: GenerateSettings = GenerateSettings(),
             progress: Progress | None = None) -> list[Artwork]:
    """settings.n images from `model`; image i of a seed is the same whatever n is."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    method = method_for(spec, METHODS, progress)
    s = GenerateSettings(**asdict(s) | {"label": fitting_label(spec, method.classes(spec, progress), s.label)})
    return method.sample(spec, s, progress)


def run(model: str, s: GenerateSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    return [Output(art.record, art.image) for art in generate(model, s, progress)]


def without_foreign_label(model: str, params: dict, progress: Progress | None) -> dict:
    """A class is asked only of models that draw classes: one comparison can hold a conditional and an
    unconditional GAN."""
    return params | {"label": None} if params.get("label") and not model_classes(model, progress) else params


TASK = Task("generate", GenerateSettings, METHODS, run, adapt=without_foreign_label)
