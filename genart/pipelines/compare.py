"""Compare: several models on one input, optionally across the values of one swept parameter, as a labelled grid.

One column per model, one row per value. Each cell keeps its output (with its replay record), its wall time and peak
memory, or the sentence that says why it failed; one failing model does not stop the others.
"""
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from .. import runtime
from ..audio.sound import Clip
from ..errors import GenartError
from ..hub import Progress
from ..registry import MAX_NAME, TASKS, get_spec
from ..replay import make_record
from .checks import check_params, check_text, check_texts
from .clip import DEFAULT_CLIP, ClipModel, clip_model, clip_scores, token_ids
from .runner import run, task
from .settings import for_model, settings_of, sweepable
from .task import Output

MAX_MODELS = 6
INPUT_NAMES = {"image": "an image", "content": "a content image", "audio": "a recording"}  # the one input, in words
MAX_VALUES = 8
MAX_DESCRIPTION = 1000


@dataclass
class Cell:
    model: str
    value: object  # the swept parameter's value; None without a sweep
    output: Output | None
    usage: runtime.Usage
    error: str = ""
    described: float | None = None  # the CLIP score of the cell's image against the comparison's description

    def clip_score(self) -> float | None:
        """Against the comparison's description when it has one, else (text to image, when a CLIP is here) against
        the cell's own prompt."""
        if self.described is not None:
            return self.described
        return self.output.record.get("clip_score") if self.output is not None else None

    def summary(self, sweep: str | None) -> dict:
        row = {"model": self.model, **({sweep: self.value} if sweep else {}), "seconds": round(self.usage.seconds, 3),
               "peak_memory_mb": None if self.usage.peak_bytes is None else round(self.usage.peak_bytes / 2**20, 1)}
        if self.output and self.output.texts:
            row["texts"] = self.output.texts
        if (score := self.clip_score()) is not None:
            row["clip_score"] = score
        return row | ({"error": self.error} if self.error else {})


@dataclass
class Comparison:
    task: str
    models: list[str]
    params: dict
    sweep: str | None
    values: list
    inputs: dict[str, Image.Image] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    describe: str = ""  # what every image cell is scored against in CLIP; empty: no such score

    def record(self) -> dict:
        return make_record("compare", ",".join(self.models), {}, compared_task=self.task, models=self.models,
                           params=self.params, sweep=self.sweep, values=self.values, describe=self.describe,
                           cells=[c.summary(self.sweep) | {"record": c.output.record if c.output else None}
                                  for c in self.cells])


def compared_task(name: str):
    """A task Compare runs: one whose models are in the registry under its own name."""
    if name not in TASKS:
        raise GenartError(f"Compare runs these tasks: {', '.join(TASKS)}; not {name!r:.40}.")
    return task(name)


def task_inputs(task: str, image: Image.Image | None, mask: Image.Image | None, style: Image.Image | None,
                audio: Clip | None = None) -> dict:
    """A comparison's one image, mask, style image and recording by the names the task's pipeline reads."""
    return {"inpaint": {"image": image, "mask": mask}, "restore": {"image": image},
            "style": {"content": image, "style1": style}, "repair": {"audio": audio}}.get(task, {})


def parse_values(task: str, sweep: str | None, text: str) -> list:
    """'1, 2, 3' -> the swept parameter's values, in its type; texts (prompts, labels) are separated by '|', since
    a prompt may hold commas."""
    if not sweep:
        return []
    kinds = sweepable(compared_task(task).settings)
    if not isinstance(sweep, str) or sweep not in kinds:
        raise GenartError(f"{task} can sweep {', '.join(kinds)}; not {sweep!r:.40}.")
    kind = kinds[sweep]
    words = [w.strip() for w in (str(text).split("|") if kind is str else str(text).replace(";", ",").split(","))
             if w.strip()]
    if not words:
        example = "'|' (e.g. a red mandala | a blue mondrian)" if kind is str else "commas (e.g. 1, 2, 3)"
        raise GenartError(f"Give the values of {sweep} to sweep, separated by {example}.")
    if len(words) > MAX_VALUES:
        raise GenartError(f"Sweep at most {MAX_VALUES} values of {sweep}; {len(words)} were given.")
    try:
        return [kind(float(w)) if kind is int and float(w).is_integer() else kind(w) for w in words]
    except ValueError:
        raise GenartError(f"The values of {sweep} must be {kind.__name__} numbers; got {text!r}.") from None


def values_text(values: list) -> str:
    """A sweep's values as parse_values reads them back."""
    return " | ".join(values) if any(isinstance(v, str) for v in values) else ", ".join(map(str, values))


def checked_models(task: str, models: list[str]) -> list[str]:
    models = [m.strip() for m in check_texts("Models", models or [], 4 * MAX_MODELS, MAX_NAME) if m.strip()]
    if not models:
        raise GenartError("Pick at least one model to compare.")
    if len(models) > MAX_MODELS:
        raise GenartError(f"Compare at most {MAX_MODELS} models at a time; {len(models)} were picked.")
    for m in models:
        get_spec(m, task)  # an unknown model, or one for another task, is an error before anything runs
    return list(dict.fromkeys(models))


def description_judge(describe, progress: Progress | None) -> ClipModel | None:
    """The CLIP that scores image cells against a typed description (None without one); refuses a description
    CLIP reads no words of, or a CLIP this server cannot load, before any cell runs."""
    describe = check_text("Description", describe or "", MAX_DESCRIPTION)
    if not describe.strip():
        return None
    judge = clip_model(DEFAULT_CLIP, progress)
    token_ids(judge, [describe])
    return judge


def compare(task: str, models: list[str], params: dict, inputs: dict[str, Image.Image], sweep: str | None = None,
            values: list | None = None, progress: Progress | None = None, describe: str = "") -> Iterator[Comparison]:
    """Run every cell, row by row; yields the comparison after each cell (the last one is complete). Each model
    starts from its own registry defaults; `params` override them in every cell. With a description, each cell
    whose output is a picture (not a piano roll) gets its CLIP score against it."""
    declared = compared_task(task)
    names = {s.name for s in settings_of(declared.settings)}
    params = {k: v for k, v in check_params(params).items() if k in names}
    for_model(declared.settings, {}, params)  # a bad setting is an error before anything runs
    models = checked_models(task, models)
    if declared.inputs and inputs.get(declared.inputs[0]) is None:  # every cell would fail the same way
        raise GenartError(f"Add {INPUT_NAMES[declared.inputs[0]]} to compare {task} models on.")
    values = list(values or []) if sweep else []
    if sweep:
        parse_values(task, sweep, values_text(values))  # the same checks as typed values
    judge = description_judge(describe, progress)
    result = Comparison(task, models, params, sweep, values, {k: v for k, v in inputs.items() if v is not None},
                        describe=describe.strip() if judge else "")
    device = runtime.pick_device()
    for value in values or [None]:
        for model in models:
            p = params | ({sweep: value} if sweep else {})
            output, error = None, ""
            with runtime.measured(device) as usage:
                try:
                    output = run(task, model, declared.adapt(model, p, progress), result.inputs, progress)
                except GenartError as err:
                    error = str(err)
            described = None
            if judge is not None and output is not None and output.image is not None and output.sound is None:
                described = round(clip_scores(judge, [output.image], result.describe)[0], 2)
            result.cells.append(Cell(model, value, output, usage, error, described))
            yield result
