"""File arguments from visitors: only files this server received as uploads (or its own bundled examples) are read.

Gradio checks a file payload against its upload folder only when the payload is marked as a file; a plain
{"path": ...} is not, and would make the server read any file it can. So every file-bearing component of the app is
made by the functions here (image, image_editor, ...), and every gr.api file argument goes through `upload_path`: a
path that resolves outside the allowed folders is refused with the same sentence whether or not it exists.
"""
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from ..errors import GenartError
from ..pipelines.images import check_image_file
from .common import OUTPUT_ROOT

NOT_AN_UPLOAD = ("genart reads only files uploaded to this server: upload the file first (gradio_client's "
                 "handle_file does it) and send the path the upload returned.")


def allowed_folders() -> list[Path]:
    return [Path(get_upload_folder()).resolve(), (OUTPUT_ROOT / "examples").resolve()]


def upload_path(path) -> str:
    """The path, when it names a file inside the upload folder or the bundled examples; a GenartError otherwise."""
    if not isinstance(path, str) or not path or "\0" in path or len(path) > 4096:
        raise GenartError(NOT_AN_UPLOAD)
    resolved = Path(path).resolve()
    if not any(resolved.is_relative_to(folder) for folder in allowed_folders()) or not resolved.is_file():
        raise GenartError(NOT_AN_UPLOAD)
    return str(resolved)


def api_file(file) -> str | None:
    """The checked local path of a file sent to a gr.api endpoint (FileData, or the dict it arrives as)."""
    if file is None:
        return None
    path = file.get("path") if isinstance(file, dict) else getattr(file, "path", None)
    return upload_path(path)


def payload_paths(data) -> list:
    """Every "path" in a component's payload (an image, an editor's layers, a gallery's items...)."""
    if isinstance(data, dict):
        own = [data["path"]] if "path" in data else []
        return own + [p for key, value in data.items() if key != "path" for p in payload_paths(value)]
    if isinstance(data, (list, tuple)):
        return [p for value in data for p in payload_paths(value)]
    return []


def uploads_only(component, images: bool = True):
    """The component, its payload's paths checked before Gradio opens any of them (and, for images, checked for being
    images of a size genart takes). Wraps the instance's preprocess: subclassing a Gradio component would make Gradio
    write a .pyi stub beside this file at import."""
    preprocess = component.preprocess

    def checked_preprocess(payload):
        if payload is not None:
            try:
                for path in payload_paths(payload.model_dump()):
                    checked = upload_path(path)
                    if images:
                        check_image_file(checked)
            except GenartError as err:
                raise gr.Error(str(err)) from None
        return preprocess(payload)

    component.preprocess = checked_preprocess
    component.uploads_only = True
    return component


def image(**kwargs) -> gr.Image:
    return uploads_only(gr.Image(**kwargs))


def image_editor(**kwargs) -> gr.ImageEditor:
    return uploads_only(gr.ImageEditor(**kwargs))


def image_slider(**kwargs) -> gr.ImageSlider:
    return uploads_only(gr.ImageSlider(**kwargs))


def gallery(**kwargs) -> gr.Gallery:
    return uploads_only(gr.Gallery(**kwargs))


def file(**kwargs) -> gr.File:
    return uploads_only(gr.File(**kwargs), images=False)


def audio(**kwargs) -> gr.Audio:
    return uploads_only(gr.Audio(**kwargs), images=False)
