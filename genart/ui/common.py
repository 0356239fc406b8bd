"""Helpers every tab uses: user errors as gr.Error, progress forwarding, a per-request output folder."""
import functools
import inspect
import tempfile
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from ..data.procedural import render
from ..errors import GenartError

OUTPUT_ROOT = Path(tempfile.gettempdir()) / "genart-outputs"
BRUSH = "#ff3366"  # the mask painters' colour


def user_errors(fn):
    """Show a GenartError as the sentence it carries; the app keeps serving. Generators stay generators, so Gradio
    still streams them."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except GenartError as err:
            raise gr.Error(str(err)) from None

    @functools.wraps(fn)
    def generator_wrapper(*args, **kwargs):
        try:
            yield from fn(*args, **kwargs)
        except GenartError as err:
            raise gr.Error(str(err)) from None

    return generator_wrapper if inspect.isgeneratorfunction(fn) else wrapper


def forward_progress(progress: gr.Progress):
    return lambda fraction, desc: progress(fraction, desc=desc)


def output_dir() -> Path:
    """A fresh folder for one request's files, so concurrent users never overwrite each other."""
    OUTPUT_ROOT.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=OUTPUT_ROOT))


def painted_mask(editor: dict | None) -> Image.Image | None:
    """The strokes painted on a gr.ImageEditor's layers as an L mask (255 = painted), or None if nothing is painted."""
    layers = [layer for layer in (editor or {}).get("layers") or [] if layer is not None]
    if not layers:
        return None
    alpha = np.maximum.reduce([np.asarray(layer.convert("RGBA"))[..., 3] for layer in layers])
    return Image.fromarray(alpha, "L") if alpha.any() else None


def api_file(file) -> str | None:
    """The local path of a file sent to a gr.api endpoint (FileData, or the dict it arrives as)."""
    if file is None:
        return None
    return file["path"] if isinstance(file, dict) else file.path


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
