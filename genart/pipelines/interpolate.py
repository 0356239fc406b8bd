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
from .generate import METHODS, fitting_label, label_knob, latents, run_generator, truncation_knob
from .settings import checked, knob
from .task import Task, method_for


@dataclass(frozen=True)
class InterpolateSettings:
    seed_a: int = knob(0, "From seed", low=0, high=MAX_SEED)
    seed_b: int = knob(1, "To seed", low=0, high=MAX_SEED)
    frames: int = knob(24, "Frames", low=2, high=120, step=1)
    fps: int = knob(12, "Frames per second", low=1, high=60, step=1)
    label: str | None = label_knob()
    truncation: float = truncation_knob()


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
    """An animation from seed_a's first latent to seed_b's (slerp)."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    method = method_for(spec, METHODS, progress)
    if not method.latent:
        raise GenartError(f"{spec.name} has no latent space to interpolate; pick a GAN such as dcgan-art-64.")
    label = fitting_label(spec, method.classes(spec, progress), s.label)
    s = InterpolateSettings(**asdict(s) | {"label": label})
    loaded = load_model(spec, progress)
    dim = loaded.module.config.latent_dim
    path = slerp(latents(s.seed_a, 1, dim)[0], latents(s.seed_b, 1, dim)[0], torch.linspace(0, 1, s.frames))  # (frames, dim)
    images = run_generator(loaded, path, label, s.truncation)
    return Animation(images, make_record("interpolate", spec.name, loaded.provenance, **asdict(s)), s.fps)


def run(model: str, s: InterpolateSettings, inputs: dict, progress: Progress | None) -> list[Animation]:
    return [interpolate(model, s, progress)]


TASK = Task("interpolate", InterpolateSettings, METHODS, run, model_task="generate")
