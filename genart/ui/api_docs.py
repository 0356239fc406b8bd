"""What an endpoint's parameters are called and what each does, from its task's settings declaration.

Gradio names an event's API parameters after its function's (`param_N` where the function takes `*values`) and gives
the API page and MCP tools the function's docstring. `documented` gives an event function a signature naming every
value it receives and a docstring with an `Args:` line per parameter (label, help, range and default from the
declaration), and returns the description the API page shows.
"""
import inspect
from collections.abc import Callable, Mapping, Sequence

import gradio as gr

from ..pipelines.settings import settings_of

# The inputs that are not settings, named alike in every task that takes them.
INPUTS = {
    "model": "A model of this task: a name from /models, or a Hub repo as hf-hub:org/name[@revision].",
    "image": "The input image (PNG, JPEG or WebP upload).",
    "editor": "The image with the painted region: an ImageEditor value (background and layers).",
    "mask": "A mask image, white where it applies.",
    "content": "The content image.",
    "audio": "The recording, a WAV upload.",
    "image_a": "An image to start from instead of the first seed (a model with an encoder).",
    "image_b": "An image to end at instead of the second seed (a model with an encoder).",
    "file_format": "webp or gif.",
    "source": "What a batch goes over: uploaded images or zips of them, or prompts one a line.",
    **{f"style{i}": f"Style image {i} (optional after the first)." for i in range(1, 5)},
    **{f"weight{i}": f"Style image {i}'s weight; the weights are relative (equal when all are alike)."
       for i in range(1, 5)},
}


def number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def parameter_line(settings: type, name: str) -> str:
    """One parameter as the API page and an MCP client read it: its declared label, help, range and default."""
    declared = {s.name: s for s in settings_of(settings)}
    if name not in declared:
        return f"{name}: {INPUTS[name]}"
    s = declared[name]
    k = s.knob
    span = f" From {number(k.low)} to {number(k.high)}." if k.low is not None and k.high is not None \
        and s.kind in (int, float) else (f" At most {number(k.high)} characters." if k.high and s.kind is str else "")
    default = "" if s.default is None else f" Default {s.default!r}."
    return f"{name}: {k.label}.{' ' + k.help.rstrip('.') + '.' if k.help else ''}{span}{default}"


def documented(fn: Callable, settings: type, summary: str, names: Sequence[str] = (),
               about: Mapping[str, str] | None = None) -> str:
    """fn(*named, *values) -> the API page's description of it: the summary (what a client gets) and a line per
    parameter. `names`: what the values of fn's `*values` are, in order; `about`: inputs this endpoint takes
    otherwise than INPUTS says."""
    signature, defaults = inspect.signature(fn), {s.name: s.default for s in settings_of(settings)}
    parameters = []
    for p in signature.parameters.values():
        if p.kind is p.VAR_POSITIONAL:  # each value optional: its declared default, else None (no image, say)
            parameters += [inspect.Parameter(n, p.POSITIONAL_OR_KEYWORD, default=defaults.get(n)) for n in names]
        else:
            parameters.append(p)
    fn.__signature__ = signature.replace(parameters=parameters)
    shown = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "stop_request"
             and not isinstance(p.default, gr.Progress)]
    lines = [f"{n}: {about[n]}" if about and n in about else parameter_line(settings, n) for n in shown]
    fn.__doc__ = "\n".join([summary, "", "Args:", *(f"    {line}" for line in lines)])
    return "\n".join([summary, *(f"- {line}" for line in lines)])
