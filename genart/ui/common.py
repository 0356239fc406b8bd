"""Helpers every tab uses: user errors as gr.Error, the time limit, progress forwarding, Stop, a per-request output
folder that is cleaned."""
import functools
import inspect
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from ..data.procedural import render
from ..errors import GenartError
from .limits import current_limits

OUTPUT_ROOT = Path(tempfile.gettempdir()) / "genart-outputs"
BRUSH = "#ff3366"  # the mask painters' colour
MODEL_RUN = {"concurrency_id": "models"}  # every event that runs a model shares one queue and its concurrency limit
# A picked model's suggested settings come from the registry alone, so that event skips the queue, where it waits its
# turn behind other visitors' picks (one at a time) and can land after the user has typed values of their own.
MODEL_PICK = {"queue": False, "api_name": False}
log = logging.getLogger("genart")



@dataclass(frozen=True)
class Replayed:
    """How a tab shows a remade output of one task: the tab's id, its status field, and (record, remade output, the
    remade file or None) -> the values of the tab's fields by name."""
    tab: str
    status: str
    fields: Callable[[dict, object, str | None], dict]

def time_limit() -> Callable[[], None]:
    """A check for one request: from when it is made, it raises the time-limit sentence once the limit has passed."""
    seconds = current_limits().event_seconds
    deadline = time.monotonic() + seconds

    def check():
        if time.monotonic() > deadline:
            raise GenartError(f"This request reached the server's limit of {seconds:g} s and was stopped; ask for less "
                              "(fewer steps, tokens, models or values, or a smaller image) and run it again.")

    return check


def _as_user_error(err: Exception) -> gr.Error:
    """A GenartError's own sentence; anything else is a fault of genart's, logged here and told as one sentence."""
    if isinstance(err, GenartError):
        return gr.Error(str(err))
    log.exception("request failed")
    return gr.Error(f"genart failed on this request ({type(err).__name__}) and logged it; the server keeps serving, "
                    "so try other settings or another input.")


def user_errors(fn):
    """Show a GenartError as the sentence it carries, anything unexpected as one sentence too; the app keeps serving.
    Generators stay generators, so Gradio still streams them, and stop at the server's time limit."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as err:
            raise _as_user_error(err) from None

    @functools.wraps(fn)
    def generator_wrapper(*args, **kwargs):
        check_time = time_limit()
        try:
            with closing(fn(*args, **kwargs)) as items:  # closing ends the work (a model's lock, a stream) at once
                for item in items:
                    yield item
                    check_time()
        except gr.Error:
            raise
        except Exception as err:
            raise _as_user_error(err) from None

    return generator_wrapper if inspect.isgeneratorfunction(fn) else wrapper


def forward_progress(progress: gr.Progress):
    """Pipelines report progress through this; past the time limit it stops them."""
    check_time = time_limit()

    def forward(fraction: float, desc: str):
        check_time()
        progress(fraction, desc=desc)

    return forward


class StopRequest:
    """A session's Stop press, read between a stream's updates. The stream then ends itself with a "stopped" status,
    so no update still on its way can overwrite that status, as one could when Stop cancelled the event."""

    def __init__(self):
        self.pressed = False


def arm(request: StopRequest) -> None:
    request.pressed = False


def press_stop(request: StopRequest) -> None:
    request.pressed = True


def stoppable(run: gr.Button, stop: gr.Button, fn, inputs: list, outputs: list, **kwargs):
    """run.click streams fn(*inputs, stop_request); stop.click asks it to end. Arming and Stop skip the queue, so a
    press lands at once even while this session's stream holds it."""
    request = gr.State(StopRequest())
    run.click(arm, request, None, api_name=False, queue=False).then(fn, [*inputs, request], outputs, **kwargs)
    stop.click(press_stop, request, None, api_name=False, queue=False)


def output_dir() -> Path:
    """A fresh folder for one request's files, so concurrent users never overwrite each other. Gradio copies what a
    request returns into its own cache, so a folder no longer written to (for twice the time limit, or for the output
    age if that is shorter) is not needed and goes."""
    OUTPUT_ROOT.mkdir(parents=True, exist_ok=True)
    prune_old_outputs()
    return Path(tempfile.mkdtemp(dir=OUTPUT_ROOT))


def prune_old_outputs():
    """The request folders no longer needed go (at most once a minute): on each new request, and from the cache
    sweep while the server is idle."""
    limits = current_limits()
    prune_outputs(min(limits.event_seconds * 2, limits.output_minutes * 60))


_pruned_at = [0.0]


def prune_outputs(age_seconds: float):
    """Remove request folders older than age_seconds; at most once a minute (the bundled examples stay)."""
    now = time.time()
    if now - _pruned_at[0] < 60:
        return
    _pruned_at[0] = now
    for folder in OUTPUT_ROOT.iterdir() if OUTPUT_ROOT.is_dir() else ():
        try:
            if folder.name != "examples" and now - folder.stat().st_mtime > age_seconds:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:  # another request removed it first
            pass


def painted_mask(editor: dict | None) -> Image.Image | None:
    """The strokes painted on a gr.ImageEditor's layers as an L mask (255 = painted), or None if nothing is painted."""
    layers = [layer for layer in (editor or {}).get("layers") or [] if layer is not None]
    if not layers:
        return None
    alpha = np.maximum.reduce([np.asarray(layer.convert("RGBA"))[..., 3] for layer in layers])
    return Image.fromarray(alpha, "L") if alpha.any() else None


def painted_layer(mask: Image.Image) -> Image.Image:
    """A mask as an editor's brush strokes: the brush colour where the mask is white, transparent elsewhere."""
    layer = Image.new("RGBA", mask.size, BRUSH)
    layer.putalpha(mask.convert("L"))
    return layer


def procedural_example(name: str, seed: int, size: int = 256) -> str:
    """A procedural artwork as an example file, rendered once per machine."""
    path = OUTPUT_ROOT / "examples" / f"{name}-{seed}-{size}.png"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        render(name, seed, size).save(path)
    return str(path)
