"""ZeroGPU: every event that runs a model asks for a GPU through `on_gpu`, for about as long as its request needs.

On a ZeroGPU Space (the `spaces` package is installed and SPACES_ZERO_GPU is set) a decorated function runs with a
GPU attached for at most its estimate, capped at the server's time limit; elsewhere spaces.GPU returns the function
itself, and without the package on_gpu does too. The estimate takes the function's own arguments (spaces.GPU's
dynamic duration); a shorter one puts a visitor earlier in ZeroGPU's queue.
"""
import importlib.util
from typing import Callable

from .limits import current_limits


def on_gpu(seconds: float | Callable[..., float]):
    """A decorator: spaces.GPU with this duration (seconds, or a function of the call's arguments)."""
    estimate = seconds if callable(seconds) else (lambda *args, **kwargs: seconds)

    def duration(*args, **kwargs) -> float:
        limit = current_limits().event_seconds
        try:
            value = float(estimate(*args, **kwargs))
        except (TypeError, ValueError, IndexError):  # a hostile argument: the event refuses it itself
            value = limit
        return min(value, limit) if value >= 0 else limit

    def decorate(fn):
        fn.gpu_seconds = duration  # what the tests read: the event asks for a GPU for this long
        if importlib.util.find_spec("spaces") is None:
            return fn
        import spaces

        return spaces.GPU(fn, duration=duration)

    return decorate
