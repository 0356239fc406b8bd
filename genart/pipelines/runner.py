"""Every task's declaration by name, and one call that runs any of them from plain parameters: a model, its settings
by name and its input images -> the output with its replay record.

Compare runs this once per cell; replay runs it from a saved record, whose keys are the settings' field names.
"""
from PIL import Image

from ..errors import GenartError
from ..hub import Progress
from ..registry import TASKS as MODEL_TASKS
from ..registry import get_spec
from . import (
    chat,
    encode,
    generate,
    imagine,
    imagine_walk,
    inpaint,
    interpolate,
    melody,
    projection,
    repair,
    restore,
    sentence_vae,
    style,
    style_mixing,
    text,
)
from .settings import for_model
from .task import Output, Task

TASKS: dict[str, Task] = {t.name: t for t in (imagine.TASK, imagine_walk.TASK, generate.TASK, interpolate.TASK, encode.TASK,
                                              style_mixing.TASK, projection.TASK, inpaint.TASK,
                                              restore.TASK, style.TASK, text.TASK, chat.TASK, sentence_vae.RECONSTRUCT,
                                              sentence_vae.BETWEEN, melody.TASK, repair.TASK)}


def task(name: str) -> Task:
    if not isinstance(name, str) or name not in TASKS:
        raise GenartError(f"Unknown task {name!r:.40}; use one of: {', '.join(MODEL_TASKS)}.")
    return TASKS[name]


def settings_for(task_name: str, model: str, params: dict):
    """The task's settings for a model: the dataclass's defaults, the registry's for the model, then `params` (other
    keys, a record's provenance say, are ignored)."""
    t = task(task_name)
    return for_model(t.settings, get_spec(model, t.models_for).defaults, params)


def run(task_name: str, model: str, params: dict, inputs: dict[str, Image.Image], progress: Progress | None = None,
        index: int = 0) -> Output:
    """One output: for a batch (generate), image `index` of it."""
    outputs = task(task_name).run(model, settings_for(task_name, model, params), inputs, progress)
    if not isinstance(index, int) or not 0 <= index < len(outputs):
        raise GenartError(f"Image index {index!r:.20} is outside the batch of {len(outputs)}.")
    return outputs[index]
