"""A walk between two prompts: text2art's caption embedding moved in a straight line from one prompt's to the
other's, one latent throughout, as an animation whose record remakes it."""
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch

from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import AUTO_ARCH, get_spec
from ..replay import Animation, make_record
from .imagine import MAX_PROMPT, ImagineSettings, caption_ids, in_english, noise_for
from .latent_models import to_images
from .settings import checked, knob, same_as
from .task import Task, method_for


@dataclass(frozen=True)
class ImagineWalkSettings:
    prompt: str = same_as(ImagineSettings, "prompt")
    prompt_b: str = knob("a mandala with eight petals in red and yellow", "To prompt", "Where the walk ends.",
                         high=MAX_PROMPT, label_zh="终点提示词", help_zh="漫游的终点。")
    seed: int = same_as(ImagineSettings, "seed")
    frames: int = knob(24, "Frames", low=2, high=120, step=1, label_zh="帧数")
    fps: int = knob(12, "Frames per second", low=1, high=60, step=1, label_zh="每秒帧数")
    truncation: float = same_as(ImagineSettings, "truncation")


def text2art_walk(loaded: LoadedModel, s: ImagineWalkSettings) -> list:
    module, config = loaded.module, loaded.module.config
    ends = []
    for prompt in (s.prompt, s.prompt_b):
        if not prompt.strip():
            raise GenartError("Write both prompts: where the walk starts and where it ends.")
        ends.append(caption_ids(config, in_english(prompt)[0])[0].to(loaded.device))
    t = torch.linspace(0, 1, s.frames, device=loaded.device)[:, None]  # (frames, 1)
    with torch.inference_mode():
        a, b = (module.text(ids) for ids in ends)  # (1, text_dim) each
        noise = noise_for(config, s.seed, 1, s.truncation).to(loaded.device).expand(s.frames, -1)
        return to_images(module(noise, a + (b - a) * t))  # (frames, text_dim) -> frames images


# architecture -> (loaded model, settings) -> the frames
METHODS: dict[str, Callable[[LoadedModel, ImagineWalkSettings], list]] = {"text2art": text2art_walk}


def imagine_walk(model: str, settings: ImagineWalkSettings = ImagineWalkSettings(),
                 progress: Progress | None = None) -> Animation:
    spec = get_spec(model, task="imagine")
    if spec.arch not in (*METHODS, AUTO_ARCH):
        raise GenartError(f"{spec.name} cannot walk between prompts; pick text2art-64, whose captions have an "
                          "embedding to walk along.")
    walk, s = method_for(spec, METHODS, progress), checked(settings)
    loaded = load_model(spec, progress)
    return Animation(walk(loaded, s), make_record("imagine_walk", spec.name, loaded.provenance, **asdict(s)), s.fps)


def run(model: str, s: ImagineWalkSettings, inputs: dict, progress: Progress | None) -> list[Animation]:
    return [imagine_walk(model, s, progress)]


TASK = Task("imagine_walk", ImagineWalkSettings, METHODS, run, model_task="imagine")
