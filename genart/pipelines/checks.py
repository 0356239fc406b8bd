"""Argument checks shared by the pipelines: each failure is one GenartError sentence naming the allowed range."""
from ..errors import GenartError

MAX_SEED = 2**32 - 1  # every seed field's upper bound


def check_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise GenartError(f"{name} must be a whole number from {low} to {high}, got {value!r}.")
    if not low <= value <= high:
        raise GenartError(f"{name} must be from {low} to {high}, got {value}.")
    return value


def check_float(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise GenartError(f"{name} must be a number from {low} to {high}, got {value!r}.")
    if not low <= value <= high:
        raise GenartError(f"{name} must be from {low} to {high}, got {value}.")
    return float(value)


def check_bool(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise GenartError(f"{name} must be true or false, got {value!r:.40}.")
    return value


def check_text(name: str, value, max_chars: int) -> str:
    if not isinstance(value, str):
        raise GenartError(f"{name} must be text, got {type(value).__name__}.")
    if len(value) > max_chars:
        raise GenartError(f"{name} is {len(value):,} characters; use at most {max_chars:,}.")
    return value


def check_texts(name: str, values, max_items: int, max_chars: int) -> list[str]:
    """A list of strings (stop strings, model names), each checked."""
    if not isinstance(values, (list, tuple)):
        raise GenartError(f"{name} must be a list of text, got {type(values).__name__}.")
    if len(values) > max_items:
        raise GenartError(f"Give at most {max_items} {name.lower()}; {len(values)} were given.")
    for v in values:
        if not isinstance(v, str):
            raise GenartError(f"{name} must be a list of text; one of them is {type(v).__name__}.")
        if len(v) > max_chars:
            raise GenartError(f"Each of the {name.lower()} may be at most {max_chars:,} characters; one is {len(v):,}.")
    return list(values)


def check_params(value) -> dict:
    """A task's settings by name, as a JSON object."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise GenartError(f"The settings must be an object of names and values (e.g. {{\"seed\": 1}}), got "
                          f"{type(value).__name__}.")
    return value
