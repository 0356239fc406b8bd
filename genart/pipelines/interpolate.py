"""Latent interpolation: an animation along the great circle between two latents, for any model whose generate
method has a latent space. An end is a seed's noise, or for a model with an encoder (a VAE) an uploaded image's
latent, which the record keeps so that the file alone remakes the animation."""
from dataclasses import asdict, dataclass, replace

import torch
from PIL import Image

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import ModelSpec, get_spec
from ..replay import Animation, make_record
from .checks import MAX_SEED
from .encode import encoded, encoder_of, image_tensor
from .generate import METHODS, GenerateSettings, fitting_label
from .images import checked_image
from .latent_models import LatentModel, check_truncation, class_morph, one_class, run_generator, to_images
from .settings import checked, knob, same_as
from .task import Task, method_for


@dataclass(frozen=True)
class InterpolateSettings:
    seed_a: int = knob(0, "From seed", low=0, high=MAX_SEED, label_zh="起点种子")
    seed_b: int = knob(1, "To seed", low=0, high=MAX_SEED, label_zh="终点种子")
    frames: int = knob(24, "Frames", low=2, high=120, step=1, label_zh="帧数")
    fps: int = knob(12, "Frames per second", low=1, high=60, step=1, label_zh="每秒帧数")
    label: str | None = same_as(GenerateSettings, "label")
    label_b: str | None = knob(None, "To class", "Morph into this class along the way (a class-conditional GAN); "
                               "empty: one class all the way.", high=100,
                               label_zh="终点类别", help_zh="途中渐变为这个类别（类别条件 GAN）；留空：始终同一类别。")
    truncation: float = same_as(GenerateSettings, "truncation")
    latent_a: list[float] | None = knob(None, "From latent", "Noise to start from instead of the first seed's (an "
                                        "encoded image's, before truncation); empty: the seed's.", -100.0, 1024,
                                        sweep=False, label_zh="起点潜向量", help_zh="用来代替第一个种子的起点噪声（编码图像的噪声，截断之前）；留空：用种子的。")
    in_w: bool = knob(False, "Walk in W", "A StyleGAN: a straight line between the ends' w (each a seed's, mapped and "
                      "truncated) instead of the great circle between their z.", label_zh="在 W 中漫游",
                      help_zh="StyleGAN：在两端的 w（各自由种子映射并截断而来）之间走直线，而不是在它们的 z 之间走大圆。")
    latent_b: list[float] | None = knob(None, "To latent", "Noise to end at instead of the second seed's; empty: the "
                                        "seed's.", -100.0, 1024, sweep=False,
                                        label_zh="终点潜向量", help_zh="用来代替第二个种子的终点噪声；留空：用种子的。")


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Spherical interpolation of (dim,) latents at fractions t (frames,) -> (frames, dim)."""
    cos = torch.dot(a / a.norm(), b / b.norm()).clamp(-1.0, 1.0)
    omega = torch.acos(cos)
    if omega.abs() < 1e-4:  # (nearly) parallel latents: linear is exact enough
        return a[None] + (b - a)[None] * t[:, None]
    s = torch.sin(omega)
    return (torch.sin((1 - t) * omega) / s)[:, None] * a[None] + (torch.sin(t * omega) / s)[:, None] * b[None]


def end_noise(given: list[float] | None, seed: int, noise, dim: int, name: str) -> torch.Tensor:
    """(dim,) noise of one end: the latent given, else the seed's first."""
    if given is None:
        return noise(seed, 1, dim)[0]
    if len(given) != dim:
        raise GenartError(f"{name} has {len(given)} numbers; this model's latent has {dim}.")
    return torch.tensor(given, dtype=torch.float32)


def interpolate(model: str, settings: InterpolateSettings = InterpolateSettings(),
                progress: Progress | None = None, image_a: Image.Image | None = None,
                image_b: Image.Image | None = None) -> Animation:
    """An animation from one end's latent to the other's (slerp), and from one class to another when label_b is
    given (the classes' embeddings mixed linearly). An image given for an end (a model with an encoder) takes the
    place of its seed: its latent goes into the record."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    s = with_encoded_ends(spec, s, image_a, image_b, progress)
    method = method_for(spec, METHODS, progress)
    if not method.latent:
        raise GenartError(f"{spec.name} has no latent space to interpolate; pick a GAN such as dcgan-art-64.")
    classes = method.classes(spec, progress)
    label = fitting_label(spec, classes, s.label)
    label_b = fitting_label(spec, classes, s.label_b) if s.label_b else None
    s = InterpolateSettings(**asdict(s) | {"label": label, "label_b": label_b})
    loaded, gan = load_model(spec, progress), method.sampler
    dim, t = loaded.module.config.latent_dim, torch.linspace(0, 1, s.frames)  # t: (frames,)
    ends = [end_noise(s.latent_a, s.seed_a, gan.noise, dim, "From latent"),
            end_noise(s.latent_b, s.seed_b, gan.noise, dim, "To latent")]  # (dim,) each, before truncation
    if s.in_w:
        images = walk_in_w(gan, loaded, ends, [label, label_b or label], s.truncation, t)
    else:
        labels = class_morph(gan, loaded, label, label_b, t) if label_b else one_class(gan, loaded, label, s.frames)
        images = run_generator(gan, loaded, slerp(*ends, t), labels, s.truncation)
    return Animation(images, make_record("interpolate", spec.name, loaded.provenance, **asdict(s)), s.fps)


def walk_in_w(gan: LatentModel, loaded: LoadedModel, ends: list[torch.Tensor], labels: list[str | None],
              truncation: float, t: torch.Tensor) -> list[Image.Image]:
    """Frames on the straight line between the ends' ws (each end's z mapped with its own class), drawn one at a
    time so frame i is the same whatever the number of frames."""
    if gan.styles is None:
        raise GenartError(f"{loaded.spec.name} has no W space; clear Walk in W to walk between its latents.")
    check_truncation(gan, loaded.spec.name, truncation)
    names = gan.classes(loaded.module.config)
    classes = None if labels[0] is None else torch.tensor([names.index(n) for n in labels], device=loaded.device)
    with torch.inference_mode(), runtime.oom_guard():
        ws = gan.styles.ws(loaded.module, torch.stack(ends).to(loaded.device, loaded.dtype), classes, truncation)
        frames = ws[:1].lerp(ws[1:], t.to(ws.device, ws.dtype)[:, None, None])  # (frames, num_ws, w_dim)
        return to_images(torch.cat([gan.styles.draw(loaded.module, frame[None]) for frame in frames]))


def with_encoded_ends(spec: ModelSpec, s: InterpolateSettings, image_a: Image.Image | None, image_b: Image.Image | None,
                      progress: Progress | None) -> InterpolateSettings:
    """The settings with each given image's latent as its end's."""
    if image_a is None and image_b is None:
        return s
    sampler, loaded = encoder_of(spec, progress), load_model(spec, progress)
    latents = {name: [float(v) for v in encoded(sampler, loaded, image_tensor(loaded, checked_image(image, "encode")),
                                                s.truncation)]
               for name, image in (("latent_a", image_a), ("latent_b", image_b)) if image is not None}
    return replace(s, **latents)


def run(model: str, s: InterpolateSettings, inputs: dict, progress: Progress | None) -> list[Animation]:
    return [interpolate(model, s, progress)]  # an encoded image's latent is in the settings


TASK = Task("interpolate", InterpolateSettings, METHODS, run, model_task="generate")
