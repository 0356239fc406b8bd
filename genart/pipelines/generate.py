"""Image generation: GAN and VAE samples (latent_models.py says how each architecture samples), and the procedural
renderer as a reference 'model', behind one method table."""
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..data import procedural
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .checks import MAX_SEED
from .latent_models import LATENT_MODELS, LatentModel, one_class, run_generator
from .settings import checked, knob
from .task import Output, Task, method_for


@dataclass(frozen=True)
class GenerateSettings:
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED, label_zh="种子")
    n: int = knob(1, "Batch size", "Images from one seed; image i is the same whatever the batch.", 1, 64, 1,
                  sweep=False, label_zh="批量大小", help_zh="同一个种子生成的图像数；无论批量多大，第 i 张都相同。")
    label: str | None = knob(None, "Class", "For class-conditional models; empty: the model's default class.", high=100,
                             label_zh="类别", help_zh="用于类别条件模型；留空：模型的默认类别。")
    truncation: float = knob(2.0, "Truncation", "Lower is more typical, higher more varied: a DCGAN's latents are "
                             "clamped to ±this, BigGAN's (at most 1) scaled by it, a VAE's prior too (at most 2: a "
                             "temperature); StyleGAN's ψ (at most 1) pulls w toward its average.", 0.1, 4.0, 0.1,
                             label_zh="截断", help_zh="越低越典型，越高越多样：DCGAN 的潜向量被限制在 ±此值之内，"
                             "BigGAN 的（最多 1）按它缩放，VAE 的先验也是（最多 2：相当于温度）；StyleGAN 的 ψ"
                             "（最多 1）把 w 拉向它的平均值。")
    size: int = knob(64, "Size", "Pixels; procedural-art only: the renderer draws at any size.",
                     procedural.MIN_SIZE, procedural.MAX_SIZE, 1, label_zh="尺寸", help_zh="像素；仅用于程序化艺术：渲染器可画任意尺寸。")


@dataclass(frozen=True)
class GenerateMethod:
    classes: Callable[[ModelSpec, Progress | None], list[str]]  # [] for an unconditional model
    # (spec, settings with a label that fits, progress) -> the batch
    sample: Callable[[ModelSpec, GenerateSettings, Progress | None], list[Artwork]]
    sampler: LatentModel | None  # a latent space: truncation applies and it can be interpolated
    sized: bool  # draws at the size setting

    @property
    def latent(self) -> bool:
        return self.sampler is not None


def latent_method(arch: str) -> GenerateMethod:
    gan = LATENT_MODELS[arch]

    def classes(spec: ModelSpec, progress: Progress | None) -> list[str]:
        return gan.classes(load_model(spec, progress).module.config)

    def sample(spec: ModelSpec, s: GenerateSettings, progress: Progress | None) -> list[Artwork]:
        loaded = load_model(spec, progress)
        noise = gan.noise(s.seed, s.n, loaded.module.config.latent_dim)  # (n, latent_dim)
        images = run_generator(gan, loaded, noise, one_class(gan, loaded, s.label, s.n), s.truncation)
        return [Artwork(image, make_record("generate", spec.name, loaded.provenance, **asdict(s), index=i))
                for i, image in enumerate(images)]

    return GenerateMethod(classes, sample, gan, sized=False)


def procedural_samples(spec: ModelSpec, s: GenerateSettings, progress: Progress | None) -> list[Artwork]:
    return [Artwork(procedural.render(s.label, s.seed + i, s.size),
                    make_record("generate", spec.name, {}, **asdict(s), index=i)) for i in range(s.n)]


METHODS: dict[str, GenerateMethod] = {
    **{arch: latent_method(arch) for arch in LATENT_MODELS},
    "procedural": GenerateMethod(lambda spec, progress: list(procedural.CLASSES), procedural_samples, None,
                                 sized=True),
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
