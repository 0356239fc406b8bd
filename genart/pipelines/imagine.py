"""Text to image: a prompt in, images out, by one of two methods behind one table. text2art-64 draws genart's
procedural art from a caption in one pass (a StackGAN trained here); BigGAN-deep is steered toward any prompt by CLIP
(clip_guidance.py), streaming its image as it optimises. Each image carries its CLIP score when a CLIP is here."""
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace

import torch

from .. import catalog
from ..data.captions import word_ids, words
from ..data.captions_zh import english_caption, has_chinese
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..models.text2art import padded
from ..registry import ModelSpec, get_spec
from ..replay import Artwork, make_record
from .checks import MAX_SEED
from .clip import DEFAULT_CLIP, clip_model, clip_scores
from .clip_guidance import GUIDED_ARCHS, guide
from .latent_models import latents, to_images
from .settings import checked, knob
from .task import Output, Task, method_for

MAX_PROMPT = 1000  # characters
EXAMPLES = ("a mandala with twelve petals in teal and pink", "a mondrian of seven rectangles in red and yellow",
            "a landscape at dusk with three mountain ranges and a lake", "a stained glass window of many small panes in "
            "blue and green", "a flow field of pink and purple strokes on black", "a lighthouse on a cliff at sunset")
# The same art described in Chinese (in_english reads them as the captions above).
EXAMPLES_ZH = ("一幅有十二片花瓣的青色和粉色曼陀罗", "蒙德里安：七个红色和黄色的矩形", "黄昏时有三重山脉和湖的风景",
               "许多小窗格的蓝色和绿色彩色玻璃窗", "黑底上粉色和紫色的流场")


@dataclass(frozen=True)
class ImagineSettings:
    prompt: str = knob("a mandala with twelve petals in teal and pink", "Prompt",
                       "What to draw, in English (genart's own art may be described in Chinese too).", high=MAX_PROMPT,
                       label_zh="提示词", help_zh="要画什么，用英文写（描述 genart 自己的艺术时也可以用中文，见示例）。")
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED, label_zh="种子")
    n: int = knob(4, "Batch size", "Images from one seed; image i is the same whatever the batch.", 1, 16, 1,
                  sweep=False, label_zh="批量大小", help_zh="同一个种子生成的图像数；无论批量多大，第 i 张都相同。")
    truncation: float = knob(2.0, "Truncation", "Lower is more typical, higher more varied: text2art's latents are "
                             "clamped to ±this; BigGAN's (at most 1) scaled by it.", 0.1, 4.0, 0.1,
                             label_zh="截断", help_zh="越低越典型，越高越多样：text2art 的潜向量被限制在 ±此值之内；"
                             "BigGAN 的（最多 1）按它缩放。")
    steps: int = knob(40, "Steps", "BigGAN + CLIP: optimisation steps (0: the starting image).", 0, 1000, 1,
                      label_zh="步数", help_zh="BigGAN + CLIP：优化步数（0：起始图像）。")
    learning_rate: float = knob(0.05, "Learning rate", "BigGAN + CLIP: Adam's step size on the latent and class.",
                                0.001, 1.0, 0.001, label_zh="学习率", help_zh="BigGAN + CLIP：Adam 在潜向量和类别上的步长。")
    cutouts: int = knob(16, "Cutouts", "BigGAN + CLIP: augmented crops CLIP sees each step; more is steadier and "
                        "slower.", 1, 64, 1, label_zh="裁切数", help_zh="BigGAN + CLIP：CLIP 每步看到的增强裁切数；越多越稳，也越慢。")
    clip: str = knob(DEFAULT_CLIP, "CLIP", "BigGAN + CLIP: the CLIP model that guides, and the one that scores.",
                     high=300, sweep=False, label_zh="CLIP", help_zh="BigGAN + CLIP：用来引导和打分的 CLIP 模型。")


@dataclass(frozen=True)
class ImagineUpdate:
    artworks: list[Artwork]
    step: int
    steps: int
    notice: str = ""

    @property
    def done(self) -> bool:
        return self.step == self.steps


@dataclass(frozen=True)
class ImagineMethod:
    # (spec, settings, progress) -> updates, the last one done
    run: Callable[[ModelSpec, ImagineSettings, Progress | None], Iterator[ImagineUpdate]]
    about: str


def caption_ids(config, prompt: str) -> tuple[torch.Tensor, str]:
    """-> (1, max_words) ids of the words text2art knows, and a notice naming the words it skipped."""
    known = word_ids(config.vocab, prompt, config.max_words)
    if not known:
        examples = ", ".join(w for w in ("mandala", "mondrian", "landscape", "red", "teal", "petals") if w in config.vocab)
        raise GenartError(f"text2art knows none of the words in {prompt[:40]!r}; describe art with words such as "
                          f"{examples}.")
    unknown = dict.fromkeys(w for w in words(prompt) if w not in config.vocab)
    notice = f"Words text2art does not know were left out: {', '.join(unknown)[:200]}." if unknown else ""
    return padded([known], config.max_words), notice


def noise_for(config, seed: int, n: int, truncation: float) -> torch.Tensor:
    """(n, latent_dim + cond_dim): the latent clamped to ±truncation (as a DCGAN's), then conditioning augmentation's
    eps; row i is the same whatever n is."""
    noise = latents(seed, n, config.latent_dim + config.cond_dim)
    z, eps = noise.split([config.latent_dim, config.cond_dim], dim=1)
    return torch.cat([z.clamp(-truncation, truncation), eps], dim=1)


def text2art_run(spec: ModelSpec, s: ImagineSettings, progress: Progress | None) -> Iterator[ImagineUpdate]:
    loaded = load_model(spec, progress)
    module, config = loaded.module, loaded.module.config
    ids, notice = caption_ids(config, s.prompt)
    noise = noise_for(config, s.seed, s.n, s.truncation).to(loaded.device, loaded.dtype)
    with torch.inference_mode():
        embedding = module.text(ids.to(loaded.device)).expand(s.n, -1)  # (n, text_dim)
        images = to_images(module(noise, embedding))
    record = {k: v for k, v in asdict(s).items() if k not in GUIDANCE_ONLY}
    yield ImagineUpdate([Artwork(image, make_record("imagine", spec.name, loaded.provenance, **record, index=i))
                         for i, image in enumerate(images)], 1, 1, notice)


def guided(spec: ModelSpec, s: ImagineSettings, progress: Progress | None) -> Iterator[ImagineUpdate]:
    for artworks, step, notice in guide(spec, s, progress):
        yield ImagineUpdate(artworks, step, s.steps, notice)


GUIDANCE_ONLY = ("steps", "learning_rate", "cutouts", "clip")  # settings text2art does not read

METHODS: dict[str, ImagineMethod] = {
    "text2art": ImagineMethod(text2art_run, "A StackGAN trained here on captioned procedural art: one pass, instant; "
                                            "it knows the words of its captions (classes, colours, counts)."),
    **{arch: ImagineMethod(guided, "BigGAN-deep steered by CLIP toward any prompt: starts from the ImageNet classes "
                                  "nearest the prompt, then optimises the latent and class (slow on a CPU).")
       for arch in GUIDED_ARCHS},
}


def scored(artworks: list[Artwork], prompt: str, clip_name: str, progress: Progress | None) -> str:
    """Adds each image's CLIP score to its record when that CLIP is on this machine; -> a notice when it is not."""
    spec = get_spec(clip_name, task="clip")
    if catalog.files_on_disk(spec) is None:
        notice = f"CLIP scores need {spec.name}, which is not downloaded (python -m genart models download {spec.name})."
        return notice
    scores = clip_scores(clip_model(spec.name, progress), [a.image for a in artworks], prompt)
    for art, score in zip(artworks, scores):
        art.record["clip_score"] = round(score, 2)
    return ""


def check_prompt(s: ImagineSettings) -> ImagineSettings:
    s = checked(s)
    if not s.prompt.strip():
        raise GenartError("Write a prompt: a sentence that describes the picture.")
    return s


def in_english(prompt: str) -> tuple[str, str]:
    """Every model here reads English. A prompt in Chinese that describes genart's own art is read as the English
    caption that says the same (data.captions_zh); -> (the prompt to use, a notice saying how it was read). Other
    Chinese prompts are refused."""
    if not has_chinese(prompt):
        return prompt, ""
    english = english_caption(prompt)
    if english is None:
        raise GenartError("The models here read English; in Chinese they read only descriptions of genart's own art "
                          "(a mandala, mondrian, landscape, stained glass, flow field or geometric composition, with "
                          "its colours and counts), so write this prompt in English.")
    notice = f"Read as: {english}."
    return english, notice


def imagine(model: str, settings: ImagineSettings = ImagineSettings(),
            progress: Progress | None = None) -> Iterator[ImagineUpdate]:
    """Updates as the images form (one for text2art); the last has the finished images with their records."""
    spec, s = get_spec(model, task="imagine"), check_prompt(settings)
    english, read_as = in_english(s.prompt)
    s = replace(s, prompt=english)
    method = method_for(spec, METHODS, progress)
    get_spec(s.clip, task="clip")  # a bad CLIP name is refused before any work
    for update in method.run(spec, s, progress):
        scores = scored(update.artworks, s.prompt, s.clip, progress) if update.done else ""
        yield ImagineUpdate(update.artworks, update.step, update.steps,
                            " ".join(filter(None, [read_as, update.notice, scores])))


def run(model: str, s: ImagineSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    *_, last = imagine(model, s, progress)
    return [Output(art.record, art.image, notice=last.notice) for art in last.artworks]


TASK = Task("imagine", ImagineSettings, METHODS, run, batch_over="prompt")
