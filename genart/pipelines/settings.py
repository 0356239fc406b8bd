"""A task's settings, declared once: each field of a task's frozen settings dataclass carries its default, range and
help text (`knob`), and everything else reads them: the pipelines' checks (`checked`), the CLI flags, the UI controls,
the replay record and Compare's sweeps. A registry entry's `defaults` override the dataclass's per model (`for_model`).
"""
import dataclasses
import functools
import types
import typing
from dataclasses import dataclass

from ..errors import GenartError
from .checks import check_bool, check_float, check_int, check_params, check_text, check_texts


@dataclass(frozen=True)
class Knob:
    """What a control, a flag and a check need to know about one setting. For text, `high` is the most characters;
    for a list, the most items (and for a list of text, `item_chars` the most characters in each)."""
    label: str
    help: str = ""
    low: float | None = None
    high: float | None = None
    step: float | None = None
    sweep: bool = True  # Compare may vary it, one row per value (numbers and texts)
    item_chars: int = 200
    label_zh: str = ""  # the label and help in Simplified Chinese (genart/locale)
    help_zh: str = ""


_DECLARED: list[Knob] = []  # every knob declared, for the page's words in Chinese


def translated_knobs() -> dict[str, str]:
    """English -> Simplified Chinese for every declared setting's label and help."""
    return {english: chinese for k in _DECLARED for english, chinese in ((k.label, k.label_zh), (k.help, k.help_zh))
            if english and chinese}


def knob(default, label: str, help: str = "", low=None, high=None, step=None, sweep: bool = True,
         item_chars: int = 200, *, label_zh: str, help_zh: str = ""):
    """A settings field: its default and its Knob. Lists get a fresh copy per instance. The label starts the
    sentence that refuses a bad value ("Feather must be from 0 to 64"); label_zh and help_zh say the label and help
    in Simplified Chinese."""
    k = Knob(label, help, low, high, step, sweep, item_chars, label_zh, help_zh)
    _DECLARED.append(k)
    meta = {"knob": k}
    if isinstance(default, list):
        return dataclasses.field(default_factory=lambda: list(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type  # int, float, bool, str, list (of str or float)
    item: type | None  # a list's item type
    optional: bool  # None is allowed: "the model's default" (a class) or "equal" (style weights)
    default: object
    knob: Knob


@functools.cache
def settings_of(cls: type) -> tuple[Setting, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        kind, optional = hints[f.name], False
        if isinstance(kind, types.UnionType):  # `X | None`
            kind, optional = next(a for a in typing.get_args(kind) if a is not type(None)), True
        item = (typing.get_args(kind) or (None,))[0]
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        out.append(Setting(f.name, typing.get_origin(kind) or kind, item, optional, default, f.metadata["knob"]))
    return tuple(out)


def setting(cls: type, name: str) -> Setting:
    return next(s for s in settings_of(cls) if s.name == name)


def same_as(cls: type, name: str):
    """A field declared as `cls`'s field `name` is: the same default and knob, for a task that shares a setting
    with another (the declaration stays in `cls`)."""
    s = setting(cls, name)
    return knob(s.default, **dataclasses.asdict(s.knob))


def check_value(s: Setting, value):
    """One value checked against its field: type and range; one sentence that says what to change."""
    k = s.knob
    if value is None and s.optional:
        return None
    if s.kind is bool:
        return check_bool(k.label, value)
    if s.kind is int:
        return check_int(k.label, value, k.low, k.high)
    if s.kind is float:
        return check_float(k.label, value, k.low, k.high)
    if s.kind is str:
        return check_text(k.label, value, int(k.high))
    if s.item is str:
        return check_texts(k.label, value, int(k.high), k.item_chars)
    if not isinstance(value, (list, tuple)) or len(value) > k.high:
        raise GenartError(f"{k.label} must be a list of at most {k.high:g} numbers, got {value!r:.40}.")
    return [check_float(k.label, v, k.low, 1e6) for v in value]


def checked(settings):
    """The same settings with every field checked (ints from whole floats, a tuple as a list)."""
    values = {s.name: check_value(s, getattr(settings, s.name)) for s in settings_of(type(settings))}
    return type(settings)(**values)


def for_model(cls: type, defaults: dict, given: dict):
    """Settings from the dataclass's defaults, overridden by a model's registry defaults, overridden by what was given
    (other keys, a record's provenance say, are ignored). Checked."""
    names = {s.name for s in settings_of(cls)}
    values = {k: v for k, v in defaults.items() if k in names} | \
             {k: v for k, v in check_params(given).items() if k in names}
    return checked(cls(**values))


def sweepable(cls: type) -> dict[str, type]:
    """The settings Compare can vary, one row per value: the numbers and texts (prompts, labels) that change what a
    cell shows."""
    return {s.name: s.kind for s in settings_of(cls) if s.kind in (int, float, str) and s.knob.sweep}
