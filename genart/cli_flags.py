"""A task's command-line flags, made from its settings dataclass (help, range and default from each field), and the
settings read back: a flag that is not given leaves the model's registry default, or the dataclass's, in place."""
import argparse

from .pipelines.settings import Setting, settings_of


def flag_help(s: Setting) -> str:
    k = s.knob
    limits = f"{k.low:g} to {k.high:g}" if s.kind in (int, float) and k.low is not None else ""
    default = "" if s.default in (None, "", []) else f"default {s.default}"
    words = [w for w in (k.help, limits, default) if w]
    return f"{k.label}: " + "; ".join(words) if words else k.label


def add_settings(parser: argparse.ArgumentParser, cls: type):
    """--name-with-dashes for every field: --x/--no-x for a flag, repeatable for a list of text, several numbers
    after one flag for a list of numbers."""
    for s in settings_of(cls):
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
