"""One call for every task: a model, its parameters and its input images -> the output with its replay record.

Compare runs this once per cell; replay runs it from a saved record, whose keys are these parameters' names.
"""
import dataclasses
from dataclasses import dataclass, field

from PIL import Image

from ..errors import GenartError
from ..hub import Progress
from ..registry import TASKS
from ..replay import Artwork, text_json
from .checks import check_params
from .generate import generate
from .inpaint import InpaintSettings, inpaint
from .restore import restore
from .sampling import SamplingSettings
from .style import StyleSettings, stylize
from .text import generate_text

# Every parameter a task takes, with its default.
PARAMS: dict[str, dict] = {
    "generate": {"seed": 0, "label": None, "truncation": 2.0, "size": 64, "n": 1, "index": 0},
    "inpaint": {f.name: f.default for f in dataclasses.fields(InpaintSettings)},
    "restore": {"noise_level": 25.0},
    "style": {f.name: f.default for f in dataclasses.fields(StyleSettings)},
    "text": {"prompt": "", "chat": True, "seed": 0, "max_new_tokens": 64, "stop": [], "n": 1,
             **{f.name: f.default for f in dataclasses.fields(SamplingSettings)}},
}
STYLE_INPUTS = ("style1", "style2", "style3", "style4")
# The input images a task needs; the ones after the first are optional.
INPUTS = {"generate": (), "inpaint": ("image", "mask"), "restore": ("image",), "style": ("content", *STYLE_INPUTS, "mask"),
          "text": ()}
assert set(PARAMS) == set(INPUTS) == set(TASKS)


@dataclass
class Output:
    record: dict
    image: Image.Image | None = None  # image tasks
    texts: list[str] = field(default_factory=list)  # text
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


def settings(task: str, params: dict) -> dict:
    """The task's parameters: defaults, overridden by those in `params` (other keys, a record's provenance say, are
    ignored)."""
    if not isinstance(task, str) or task not in PARAMS:
        raise GenartError(f"Unknown task {task!r:.40}; use one of: {', '.join(TASKS)}.")
    return PARAMS[task] | {k: v for k, v in check_params(params).items() if k in PARAMS[task]}


def run(task: str, model: str, params: dict, inputs: dict[str, Image.Image], progress: Progress | None = None) -> Output:
    p = settings(task, params)
    if task == "generate":
        arts = generate(model, p["seed"], p["n"], p["label"], p["truncation"], p["size"], progress)
        if not 0 <= p["index"] < len(arts):
            raise GenartError(f"Image index {p['index']} is outside the batch of {len(arts)}.")
        art = arts[p["index"]]
        return Output(art.record, art.image)
    if task == "inpaint":
        art, notice = inpaint(model, inputs.get("image"), inputs.get("mask"), InpaintSettings(**p), progress)
        return Output(art.record, art.image, inputs=art.inputs, notice=notice)
    if task == "restore":
        art, notice = restore(model, inputs.get("image"), p["noise_level"], progress)
        return Output(art.record, art.image, inputs=art.inputs, notice=notice)
    if task == "style":
        styles = [inputs[k] for k in STYLE_INPUTS if k in inputs]
        *_, last = stylize(model, inputs.get("content"), styles, StyleSettings(**p), inputs.get("mask"), progress)
        return Output(last.record, last.image, inputs=last.inputs, notice=last.notice)
    sampling = SamplingSettings(**{f.name: p[f.name] for f in dataclasses.fields(SamplingSettings)})
    *_, last = generate_text(model, p["prompt"], p["max_new_tokens"], sampling, p["seed"], p["stop"], p["n"], p["chat"],
                             progress)
    return Output(last.record, texts=last.texts, notice=last.notice, continues_prompt=last.continues_prompt)
