"""A task's command-line flags, made from its settings dataclass (help, range and default from each field), and the
settings read back: a flag that is not given leaves the model's registry default, or the dataclass's, in place."""
import argparse

from .pipelines.settings import Setting, settings_of


def limits(s: Setting) -> str:
    """'0 to 64' for a number's range (whole numbers written out, others as %g); '' for the rest."""
    if s.kind is int:
        return f"{int(s.knob.low)} to {int(s.knob.high)}"
    return f"{s.knob.low:g} to {s.knob.high:g}" if s.kind is float else ""


def flag_help(s: Setting) -> str:
    """'Feather: Pixels, inwards: ... (0 to 64; default 4)'."""
    default = "" if s.default in (None, "", []) else f"default {s.default}"
    bounds = "; ".join(w for w in (limits(s), default) if w)
    return " ".join(w for w in (f"{s.knob.label}:" if s.knob.help else s.knob.label, s.knob.help,
                                f"({bounds})" if bounds else "") if w)


def add_settings(parser: argparse.ArgumentParser, cls: type, leave_out: tuple[str, ...] = ()):
    """--name-with-dashes for every field of `cls` (add_setting) but those left out."""
    for s in settings_of(cls):
        if s.name not in leave_out:
            add_setting(parser, s)


def add_setting(parser: argparse.ArgumentParser, s: Setting):
    """--name-with-dashes for one field: --x/--no-x for a flag, repeatable for a list of text, several numbers after
    one flag for a list of numbers. A flag not given takes the model's registry default, else the one shown."""
    name = "--" + s.name.replace("_", "-")
    kw = {"dest": s.name, "default": argparse.SUPPRESS, "help": flag_help(s)}
    if s.kind is bool:
        parser.add_argument(name, action=argparse.BooleanOptionalAction, **kw)
    elif s.kind is list and s.item is str:
        parser.add_argument(name, action="append", **kw)
    elif s.kind is list:
        parser.add_argument(name, type=s.item, nargs="+", **kw)
    else:
        parser.add_argument(name, type=s.kind, **kw)


def given_settings(args: argparse.Namespace, cls: type) -> dict:
    """The settings given on the command line, by field name."""
    return {s.name: getattr(args, s.name) for s in settings_of(cls) if hasattr(args, s.name)}
