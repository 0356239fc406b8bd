"""Argument checks shared by the pipelines: each failure is one GenartError sentence naming the allowed range."""
from ..errors import GenartError

MAX_SEED = 2**32 - 1


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


def check_seed(seed) -> int:
    return check_int("Seed", seed, 0, MAX_SEED)
