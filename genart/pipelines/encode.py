"""Taking a user's image into a VAE's latent space: its reconstruction and the class it is nearest, and the latent
that interpolate.py walks from or to."""
from dataclasses import asdict, dataclass

import numpy as np
import torch
from PIL import Image, ImageOps

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .generate import METHODS, fitting_label
from .images import checked_image, psnr, to_tensor
from .latent_models import LatentModel, one_class, run_generator
from .settings import checked, knob
from .task import Output, Task, method_for


@dataclass(frozen=True)
class EncodeSettings:
    label: str | None = knob(None, "Class", "The class to decode with; empty: the class whose decoding is nearest "
                             "the image.", high=100, label_zh="类别", help_zh="用来解码的类别；留空：解码结果最接近图像的类别。")


def encoder_of(spec: ModelSpec, progress: Progress | None) -> LatentModel:
    """The latent model of a generate model that has an encoder; one sentence for one that has none."""
    sampler = method_for(spec, METHODS, progress).sampler
    if sampler is None or sampler.encode is None:
        raise GenartError(f"{spec.name} has no encoder to take an image into its latent space; pick a VAE such as "
                          "vae-art-64.")
    return sampler


def centre_square(model: LoadedModel, image: Image.Image) -> Image.Image:
    """What the encoder sees of an RGB image: its centre square at the model's size."""
    size = model.module.config.image_size
    return ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS)


def image_tensor(model: LoadedModel, image: Image.Image) -> torch.Tensor:
    """An RGB image's centre square -> (1, C, S, S) in [-1, 1] on the model's device."""
    return (to_tensor(centre_square(model, image)) * 2 - 1).to(model.device, model.dtype)


def encoded(sampler: LatentModel, model: LoadedModel, x: torch.Tensor, truncation: float) -> torch.Tensor:
    """(dim,) noise that `truncation` turns into the posterior mean of x (1, C, S, S), on the CPU in float32."""
    with torch.inference_mode(), runtime.oom_guard():
        return sampler.encode(model.module, x, truncation)[0].float().cpu()


def nearest_class(sampler: LatentModel, model: LoadedModel, x: torch.Tensor, z: torch.Tensor) -> str:
    """The class whose decoding of z (dim,) is nearest the image x (1, C, S, S), by mean squared error."""
    names = sampler.classes(model.module.config)
    labels = torch.arange(len(names), device=model.device)
    with torch.inference_mode(), runtime.oom_guard():
        decoded = sampler.call(model.module, z.to(model.device, model.dtype).expand(len(names), -1), labels, 1.0)
    errors = (decoded.float() - x.float()).square().mean(dim=(1, 2, 3)).tolist()  # (num_classes,)
    return names[min(range(len(names)), key=errors.__getitem__)]


def encode(model: str, image: Image.Image | None, settings: EncodeSettings = EncodeSettings(),
           progress: Progress | None = None) -> tuple[Artwork, str]:
    """-> (the image's reconstruction with its replay record, a sentence on it: the nearest class and the PSNR)."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    sampler = encoder_of(spec, progress)
    loaded = load_model(spec, progress)
    image = checked_image(image, "encode")
    x = image_tensor(loaded, image)  # (1, C, S, S)
    z = encoded(sampler, loaded, x, 1.0)  # (dim,)
    classes = sampler.classes(loaded.module.config)
    nearest = nearest_class(sampler, loaded, x, z) if classes else None
    label = fitting_label(spec, classes, s.label) if s.label else nearest
    reconstruction, = run_generator(sampler, loaded, z[None], one_class(sampler, loaded, label, 1), 1.0)
    size = reconstruction.size
    quality = round(psnr(np.asarray(centre_square(loaded, image)), np.asarray(reconstruction)), 2)
    record = make_record("encode", spec.name, loaded.provenance, **asdict(s), nearest_class=nearest,
                         psnr=quality)
    near = f"nearest class {nearest}; " if nearest else ""
    return Artwork(reconstruction, record, {"image": image}), f"{near}reconstruction PSNR {quality:.2f} dB at {size[0]} px"


def square_input(model: str, image: Image.Image, progress: Progress | None = None) -> Image.Image:
    """What the encoder sees of an image: its centre square at the model's size."""
    return centre_square(load_model(get_spec(model, task="generate"), progress), checked_image(image, "encode"))


def run(model: str, s: EncodeSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    art, notice = encode(model, inputs.get("image"), s, progress)
    return [Output(art.record, art.image, inputs=art.inputs, notice=notice)]


TASK = Task("encode", EncodeSettings, METHODS, run, inputs=("image",), model_task="generate")
