"""What a task is, in one declaration: its settings dataclass, its method table keyed by architecture, the input
images it reads, and how it runs. The CLI, the UI, Compare and Replay read these; none tests a model's name."""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PIL import Image

from ..audio.sound import Sound
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..registry import AUTO_ARCH, ModelSpec
from ..replay import Artwork, text_json


@dataclass
class Output:
    record: dict
    image: Image.Image | None = None  # image tasks
    texts: list[str] = field(default_factory=list)  # text
    sound: Sound | None = None  # melody and repair; a melody's image is its piano roll
    inputs: dict[str, Image.Image] = field(default_factory=dict)
    notice: str = ""
    continues_prompt: bool = True  # text: the completions follow on from the prompt (not chat replies)

    def artwork(self) -> Artwork:
        return Artwork(self.image, self.record, self.inputs)

    def shown_texts(self) -> list[str]:
        """The completions as a reader sees them: a continuation after its prompt, a chat reply alone."""
        return [self.record["prompt"] + t if self.continues_prompt else t for t in self.texts]

    def text_json(self) -> str:
        return text_json(self.record, self.texts)


@dataclass(frozen=True)
class Task:
    name: str
    settings: type  # the frozen settings dataclass (settings.knob fields)
    methods: Mapping[str, object]  # architecture -> what runs it; every registry spec's arch is a key
    # (model, settings, input images by name, progress) -> the outputs (a batch for generate, else one; an
    # interpolation's is an Animation)
    run: Callable[[str, object, dict[str, Image.Image], Progress | None], list]
    inputs: tuple[str, ...] = ()  # the input images it reads; the ones after the first are optional
    model_task: str = ""  # the registry task of its models, when not its own name (interpolate uses generate's)
    # (model, settings by name, progress) -> the settings as that model takes them: Compare gives every model one set
    adapt: Callable[[str, dict, Progress | None], dict] = lambda model, params, progress: params
    # what a batch varies, input by input: one of `inputs` (an image per file) or a text setting (one per line); ""
    # where the task takes no batch
    batch_over: str = ""

    @property
    def models_for(self) -> str:
        return self.model_task or self.name


def method_for(spec: ModelSpec, table: Mapping[str, object], progress: Progress | None = None):
    """The method table's entry for a model: its registry arch, or for a Hub repo the architecture detected from its
    checkpoint (which loads it)."""
    arch = load_model(spec, progress).arch if spec.arch == AUTO_ARCH else spec.arch
    if arch not in table:
        raise GenartError(f"{spec.name} holds a {arch} model, which the {spec.task} task does not run; pick one of "
                          f"these architectures: {', '.join(table)}.")
    return table[arch]
