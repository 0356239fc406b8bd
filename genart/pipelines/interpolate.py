"""Latent interpolation: an animation along the great circle between two seeds' latents, for any model whose
generate method has a latent space."""
from dataclasses import asdict, dataclass

import torch

from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..registry import get_spec
from ..replay import Animation, make_record
from .checks import MAX_SEED
from .gans import class_morph, one_class, run_generator
from .generate import METHODS, GenerateSettings, fitting_label
from .settings import checked, knob, same_as
from .task import Task, method_for


@dataclass(frozen=True)
class InterpolateSettings:
    seed_a: int = knob(0, "From seed", low=0, high=MAX_SEED)
    seed_b: int = knob(1, "To seed", low=0, high=MAX_SEED)
    frames: int = knob(24, "Frames", low=2, high=120, step=1)
    fps: int = knob(12, "Frames per second", low=1, high=60, step=1)
    label: str | None = same_as(GenerateSettings, "label")
    label_b: str | None = knob(None, "To class", "Morph into this class along the way (a class-conditional GAN); "
                               "empty: one class all the way.", high=100)
    truncation: float = same_as(GenerateSettings, "truncation")


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation of (dim,) latents at fractions t (frames,) -> (frames, dim)."""
    cos = torch.dot(a / a.norm(), b / b.norm()).clamp(-1.0, 1.0)
    omega = torch.acos(cos)
    if omega.abs() < 1e-4:  # (nearly) parallel latents: linear is exact enough
        return a[None] + (b - a)[None] * t[:, None]
    s = torch.sin(omega)
    return (torch.sin((1 - t) * omega) / s)[:, None] * a[None] + (torch.sin(t * omega) / s)[:, None] * b[None]


def interpolate(model: str, settings: InterpolateSettings = InterpolateSettings(),
                progress: Progress | None = None) -> Animation:
    """An animation from seed_a's first latent to seed_b's (slerp), and from one class to another when label_b is
    given (the classes' embeddings mixed linearly)."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    method = method_for(spec, METHODS, progress)
    if not method.latent:
        raise GenartError(f"{spec.name} has no latent space to interpolate; pick a GAN such as dcgan-art-64.")
    classes = method.classes(spec, progress)
    label = fitting_label(spec, classes, s.label)
    label_b = fitting_label(spec, classes, s.label_b) if s.label_b else None
    s = InterpolateSettings(**asdict(s) | {"label": label, "label_b": label_b})
    loaded, gan = load_model(spec, progress), method.gan
    dim, t = loaded.module.config.latent_dim, torch.linspace(0, 1, s.frames)  # t: (frames,)
    ends = [gan.noise(seed, 1, dim)[0] for seed in (s.seed_a, s.seed_b)]  # (dim,) each, before truncation
    labels = class_morph(gan, loaded, label, label_b, t) if label_b else one_class(gan, loaded, label, s.frames)
    images = run_generator(gan, loaded, slerp(*ends, t), labels, s.truncation)
    return Animation(images, make_record("interpolate", spec.name, loaded.provenance, **asdict(s)), s.fps)


def run(model: str, s: InterpolateSettings, inputs: dict, progress: Progress | None) -> list[Animation]:
    return [interpolate(model, s, progress)]


TASK = Task("interpolate", InterpolateSettings, METHODS, run, model_task="generate")
