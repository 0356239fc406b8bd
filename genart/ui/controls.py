"""A tab's controls made from its task's settings dataclass (label, help, range, step, default all from the field),
and the settings made back from the controls' values: one list of names wires an event and fills a replay."""
from collections.abc import Sequence

import gradio as gr

from ..pipelines.settings import setting, settings_of
from .language import tr


def control(cls: type, name: str, **extra) -> gr.components.Component:
    """The control for one setting: a slider where the field has a step, a number box where it has none, a checkbox
    for a flag, a dropdown when `choices` are given, a number box for one item of a list of numbers, else a text box.
    `extra` adds layout (scale, lines, elem_id) and, where a tab starts elsewhere than the default, `value`."""
    s = setting(cls, name)
    k = s.knob
    value = extra.pop("value", s.default)
    kw = {"label": tr(k.label), "info": tr(k.help) if k.help else None} | extra
    if "choices" in extra:
        return gr.Dropdown(value=value, **kw)
    if s.kind is bool:
        return gr.Checkbox(value, **kw)
    if s.kind in (int, float) and k.step is not None:
        return gr.Slider(k.low, k.high, value=value, step=k.step, **kw)
    if s.kind in (int, float):
        return gr.Number(value, minimum=k.low, maximum=k.high, precision=0 if s.kind is int else None, **kw)
    if s.item is float:  # one item of a list of numbers (a style image's weight)
        return gr.Number(value, minimum=k.low, **kw)
    if s.kind is list:  # text items, one per line
        return gr.Textbox("\n".join(value), **kw)
    return gr.Textbox("" if value is None else value, **kw)


def controls(cls: type, names: Sequence[str], **per_name) -> dict[str, gr.components.Component]:
    """Controls for several settings, in order; per_name: each one's `extra`."""
    return {name: control(cls, name, **per_name.get(name, {})) for name in names}


def settings_from(cls: type, names: Sequence[str], values: Sequence):
    """The settings from the controls' values (in the order of `names`), the dataclass's defaults for the rest."""
    return cls(**dict(zip(names, values)))


def recorded(cls: type, record: dict) -> dict:
    """A replay record's settings by name: what a tab puts back into its controls."""
    return {s.name: record[s.name] for s in settings_of(cls) if s.name in record}
