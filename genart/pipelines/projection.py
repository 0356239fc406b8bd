"""Projecting a photo into a StyleGAN's W (GAN inversion), as NVlabs' projector does (Karras et al. 2020, section 5):
start at the average w, optimise w (or one w per layer, W+) and the noise maps with Adam against a perceptual
distance, the w jittered by noise that ramps down and the learning rate ramped up then down, the noise maps kept
unit-variance and their autocorrelation at every scale penalised. The result is drawn with the generator's own noise,
so its w, which the record keeps, remakes it like a seed."""
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..registry import get_spec
from ..replay import Artwork, make_record
from . import gatys
from .checks import MAX_SEED
from .generate import METHODS, GenerateSettings, fitting_label
from .images import checked_image, to_tensor
from .latent_models import one_class, to_images
from .settings import checked, knob, same_as
from .task import Output, Task, method_for

STREAM_EVERY = 5  # steps between the images shown while it optimises
W_AVG_SAMPLES = 10_000  # NVlabs': z samples whose ws give the start (their mean) and the jitter's scale
NOISE_WEIGHT = 1e5  # NVlabs' weight of the noise maps' autocorrelation penalty
COMPARED_SIDE = 256  # images bigger than this are compared at this side (NVlabs' too)
DISTANCE_MODELS = ("gatys-random", "gatys-vgg19")  # the style task's feature networks the distance is measured in


@dataclass(frozen=True)
class ProjectSettings:
    steps: int = knob(100, "Steps", "Adam steps; NVlabs' projector takes 1,000.", 1, 1000, 1, label_zh="步数",
                      help_zh="Adam 的步数；NVlabs 的投影器用 1,000 步。")
    learning_rate: float = knob(0.1, "Learning rate", "Adam's peak step size.", 0.001, 1.0, 0.001,
                                label_zh="学习率", help_zh="Adam 的最大步长。")
    w_plus: bool = knob(False, "W+ (one w per layer)", "Closer to the photo, less like the generator's own images.",
                        label_zh="W+（每层一个 w）", help_zh="更接近照片，但不那么像生成器自己画的图。")
    distance: str = knob("gatys-random", "Perceptual distance", "The feature network the distance is measured in: "
                         "gatys-vgg19 (VGG-19 from the Hub, as LPIPS uses VGG) or gatys-random (no download).",
                         high=100, label_zh="感知距离",
                         help_zh="衡量距离所用的特征网络：gatys-vgg19（Hub 上的 VGG-19，像 LPIPS 那样用 VGG）或 gatys-random（无需下载）。")
    seed: int = knob(0, "Seed", "Fixes the jitter of w while it optimises.", 0, MAX_SEED, label_zh="种子",
                     help_zh="固定优化时 w 的抖动。")
    label: str | None = same_as(GenerateSettings, "label")


@dataclass
class ProjectUpdate:
    artwork: Artwork
    step: int
    steps: int
    distance: float

    @property
    def done(self) -> bool:
        return self.step == self.steps


def target_tensor(image: Image.Image, side: int) -> torch.Tensor:
    """The photo's centre square at the generator's side -> (1, 3, side, side) in [0, 1]."""
    return to_tensor(ImageOps.fit(image.convert("RGB"), (side, side), Image.Resampling.LANCZOS))


def compared(images: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) in [0, 1] at most COMPARED_SIDE on a side (area-averaged, as NVlabs compares)."""
    return F.interpolate(images, size=(COMPARED_SIDE, COMPARED_SIDE), mode="area") if images.shape[-1] > COMPARED_SIDE else images


def unit_features(net, images: torch.Tensor) -> list[torch.Tensor]:
    """Each layer's features with every position's channel vector scaled to unit length (as LPIPS compares them)."""
    feats = net(images, net.config.style_layers)
    return [f / (f.square().sum(dim=1, keepdim=True).sqrt() + 1e-10) for f in feats.values()]


def perceptual(net, images: torch.Tensor, target: list[torch.Tensor]) -> torch.Tensor:
    """The mean squared distance of unit features, summed over the layers."""
    return sum((a - b).square().sum(dim=1).mean() for a, b in zip(unit_features(net, images), target))


def noise_penalty(noises: dict[str, torch.Tensor]) -> torch.Tensor | float:
    """Each map's autocorrelation one pixel across and down, squared, at every scale down to 8 px (NVlabs')."""
    total = 0.0
    for noise in noises.values():
        x = noise[None, None]  # (1, 1, R, R)
        while True:
            total = total + (x * x.roll(1, dims=3)).mean().square() + (x * x.roll(1, dims=2)).mean().square()
            if x.shape[2] <= 8:
                break
            x = F.avg_pool2d(x, 2)
    return total


def learning_rate(s: ProjectSettings, step: int) -> float:
    """NVlabs' schedule: up over the first 5 %, a cosine down over the last 25 %."""
    t = step / s.steps
    down = 0.5 - 0.5 * math.cos(min(1.0, (1.0 - t) / 0.25) * math.pi)
    return s.learning_rate * down * min(1.0, t / 0.05)


def distance_net(name: str, progress: Progress | None):
    if name not in DISTANCE_MODELS:
        raise GenartError(f"Perceptual distance must be one of {', '.join(DISTANCE_MODELS)}; got {name!r:.40}.")
    spec = get_spec(name, task="style")
    return gatys.FEATURES[spec.arch](spec, progress)


def project(model: str, image: Image.Image | None, settings: ProjectSettings = ProjectSettings(),
            progress: Progress | None = None) -> Iterator[ProjectUpdate]:
    """The generator's image of the w being optimised, every STREAM_EVERY steps; the last carries the record (its w)."""
    spec, s = get_spec(model, task="generate"), checked(settings)
    method = method_for(spec, METHODS, progress)
    styles = method.sampler.styles if method.sampler else None
    if styles is None:
        raise GenartError(f"{spec.name} has no W space to project a photo into; pick a StyleGAN such as "
                          "stylegan2-cifar10.")
    photo = checked_image(image, "project")
    s = ProjectSettings(**asdict(s) | {"label": fitting_label(spec, method.classes(spec, progress), s.label)})
    loaded, gan = load_model(spec, progress), method.sampler
    net, net_device = distance_net(s.distance, progress)
    module, device = loaded.module, loaded.device
    with torch.no_grad():  # not inference mode: w starts from these tensors and autograd records it
        g = torch.Generator().manual_seed(123)
        z = torch.randn(W_AVG_SAMPLES, module.config.latent_dim, generator=g)  # NVlabs' seed for these
        labels = one_class(gan, loaded, s.label, W_AVG_SAMPLES)
        w_samples = styles.ws(module, z.to(device), None if labels is None else labels.to(device), 1.0)[:, :1].float()
        w_avg = w_samples.mean(dim=0, keepdim=True)  # (1, 1, w_dim)
        w_std = float((w_samples - w_avg).square().sum() / W_AVG_SAMPLES) ** 0.5
        side = module.config.img_resolution
        target = unit_features(net, compared(target_tensor(photo, side).to(net_device)))
    rows = module.config.num_ws if s.w_plus else 1
    w = w_avg.repeat(1, rows, 1).clone().requires_grad_(True)  # (1, rows, w_dim)
    noises = {name.removesuffix(".noise_const"): torch.randn(buf.shape, generator=torch.Generator().manual_seed(s.seed))
              .to(device).requires_grad_(True) for name, buf in module.synthesis.named_buffers()
              if name.endswith(".noise_const")}
    opt = torch.optim.Adam([w, *noises.values()], betas=(0.9, 0.999), lr=s.learning_rate)
    jitter = torch.Generator().manual_seed(s.seed)
    distance = float("nan")
    with runtime.oom_guard("fewer steps or a smaller model"):
        for step in range(s.steps + 1):
            if step == s.steps or step % STREAM_EVERY == 0:
                yield shown(spec, loaded, styles, s, w, step, distance, photo)
            if step == s.steps:
                return
            t = step / s.steps
            scale = w_std * 0.05 * max(0.0, 1.0 - t / 0.75) ** 2  # NVlabs' initial noise factor and ramp
            for group in opt.param_groups:
                group["lr"] = learning_rate(s, step)
            ws = (w + torch.randn(w.shape, generator=jitter).to(device) * scale).expand(1, module.config.num_ws, -1)
            images = (styles.draw(module, ws, noises).float() + 1) / 2  # (1, C, H, W) in [0, 1]
            loss = perceptual(net, compared(images.expand(-1, 3, -1, -1)).to(net_device), target)
            opt.zero_grad(set_to_none=True)
            (loss + NOISE_WEIGHT * noise_penalty(noises)).backward()
            opt.step()
            distance = float(loss.detach())
            with torch.no_grad():
                for noise in noises.values():
                    noise -= noise.mean()
                    noise *= noise.square().mean().rsqrt()


def shown(spec, loaded, styles, s: ProjectSettings, w: torch.Tensor, step: int, distance: float,
          photo: Image.Image) -> ProjectUpdate:
    """The image of w as it stands (with the generator's own noise); at the last step with the record."""
    with torch.no_grad():
        ws = w.detach().expand(1, loaded.module.config.num_ws, -1)
        image, = to_images(styles.draw(loaded.module, ws, None))
    record = {}
    if step == s.steps:
        record = make_record("project", spec.name, loaded.provenance, **asdict(s), w=w.detach()[0].cpu().tolist(),
                             perceptual_distance=round(distance, 5))
    return ProjectUpdate(Artwork(image, record, {"image": photo}), step, s.steps, distance)


def run(model: str, s: ProjectSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    *_, last = project(model, inputs.get("image"), s, progress)
    return [Output(last.artwork.record, last.artwork.image, inputs=last.artwork.inputs)]


TASK = Task("project", ProjectSettings, METHODS, run, inputs=("image",), model_task="generate")
