"""The Inpaint tab: paint over what should go and pick a model to fill it; a Restore mode for noisy images."""
import time

import gradio as gr
import numpy as np
from gradio.media import get_image
from PIL import Image

from ..data.damage import gaussian_noise, salt_and_pepper
from ..errors import GenartError
from ..locale import say
from ..pipelines import inpaint as pipeline
from ..pipelines import restore as restoring
from ..pipelines.inpaint import InpaintSettings
from ..pipelines.restore import RestoreSettings
from ..registry import get_spec, list_models
from ..replay import Artwork
from . import batch_panel, uploads
from .api_docs import documented
from .common import BRUSH, MODEL_RUN, Replayed, forward_progress, output_dir, painted_mask, procedural_example, user_errors
from .controls import control, controls, recorded, settings_from
from .gpu import on_gpu
from .language import tr
from .send_to import SendFrom
from .visitor import kept

DEFAULT_MODEL = "inpaint-art"
DEFAULT_RESTORER = "denoise-art"
FILL_FIELDS = ("grow", "feather", "crop")  # the settings the Fill event reads, in its API's order
FILL_SUMMARY = "Fill the masked region of an image: -> the image before and the filled one (a PNG that carries its " \
               "replay record), and a status line."
FILL_INPUTS = {"image": "The image and the strokes painted over what should go: an ImageEditor value "
                        "({background, layers, composite}); with only a background, pass a mask.",
               "mask": "Optional: a mask image, white where to fill, instead of painted strokes."}
RESTORE_SUMMARY = "Restore a damaged image (noise, salt and pepper): -> the image before and the restored one (a " \
                  "PNG that carries its replay record), and a status line."


def example_image(name: str) -> str:
    """Example files: gradio's sample photos, or a procedural artwork rendered once per process."""
    return get_image(name) if name.endswith(".jpg") else procedural_example(name, 11)


def save(art: Artwork, name: str) -> str:
    return str(art.save(output_dir() / name))


@kept
@user_errors
@on_gpu(60)
def run_inpaint(model, image, mask, *values, progress=gr.Progress()):
    """image: the editor's value (the picture and the strokes painted on it); mask: an uploaded mask instead of
    the strokes."""
    mask = mask if mask is not None else painted_mask(image)
    image = (image or {}).get("background")
    start = time.perf_counter()
    art, notice = pipeline.inpaint(model, image, mask, settings_from(InpaintSettings, FILL_FIELDS, values),
                                   forward_progress(progress))
    before = image.convert("RGB") if image is not None else None
    line = f"{model}: {art.image.width}x{art.image.height}, {art.record['hole_share']:.1%} filled, in " \
           f"{time.perf_counter() - start:.2f} s"
    return (before, save(art, "inpainted.png")), say("\n\n".join(filter(None, [line, notice])))


@kept
@user_errors
@on_gpu(30)
def run_restore(model, image, noise_level, progress=gr.Progress()):
    start = time.perf_counter()
    art, notice = restoring.restore(model, image, RestoreSettings(noise_level), forward_progress(progress))
    line = f"{model}: {art.image.width}x{art.image.height} in {time.perf_counter() - start:.2f} s"
    return (image.convert("RGB"), save(art, "restored.png")), say("\n\n".join(filter(None, [line, notice])))


@user_errors
def damage(image, kind: str, amount: float):
    """Noise added on purpose, to try the restorers on an image you know."""
    if image is None:
        raise gr.Error("Add an image to damage first.")
    pixels = np.asarray(image.convert("RGB"))
    out = gaussian_noise(pixels, amount, 0) if kind == "Gaussian noise" else salt_and_pepper(pixels, amount / 100, 0)
    return Image.fromarray(out)


def about(model: str) -> str:
    """The model's description, in the request's language."""
    return say(get_spec(model).description)


def replayed_fill(record: dict, output, image_path: str) -> dict:
    inputs = output.inputs
    # The mask comes back as an uploaded mask: an editor set from the server shows its background but not its layers.
    editor = {"background": inputs["image"], "layers": [], "composite": inputs["image"]}
    return {"mode": "fill", "model": record["model"], "editor": editor, "mask_image": inputs.get("mask"),
            **recorded(InpaintSettings, record), "result": (inputs["image"], image_path)}


def replayed_restore(record: dict, output, image_path: str) -> dict:
    inputs = output.inputs
    return {"mode": "restore", "restore_model": record["model"], "restore_image": inputs["image"],
            **recorded(RestoreSettings, record), "restore_result": (inputs["image"], image_path)}


REPLAYED = {"inpaint": Replayed("inpaint", "status", replayed_fill),
            "restore": Replayed("inpaint", "restore_status", replayed_restore)}


def build() -> tuple[SendFrom, gr.ImageEditor, dict]:
    """-> what this tab sends elsewhere, the editor that receives images sent here, and the fields by name (replay
    fills them in; "mode" picks Fill or Restore)."""
    with gr.Tabs() as mode:
        with gr.Tab(tr("Fill"), id="fill"):
            sends, editor, fill_fields = build_fill()
        with gr.Tab(tr("Restore"), id="restore"):
            restore_fields = build_restore()
    return sends, editor, {"mode": mode, **fill_fields, **restore_fields}


def build_fill() -> tuple[SendFrom, gr.ImageEditor, dict]:
    names = [s.name for s in list_models("inpaint")]
    with gr.Row():
        with gr.Column(scale=3):
            editor = uploads.image_editor(type="pil", label=tr("Image: paint over what should go"), elem_id="inpaint-editor",
                                    brush=gr.Brush(colors=[BRUSH], default_size=28, color_mode="fixed"),
                                    eraser=gr.Eraser(default_size=28), layers=False, height=460)
        with gr.Column(scale=2):
            result = uploads.image_slider(label=tr("Before / after"), type="filepath", elem_id="inpaint-result", height=460,
                                    interactive=False)
            status = gr.Markdown(elem_id="inpaint-status")
            to_style = gr.Button(tr("Send to Style"), size="sm", elem_id="inpaint-to-style")
    with gr.Row():
        with gr.Column():
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), elem_id="inpaint-model",
                                info=tr("The mask stays when you switch: try one mask on every model."))
            info = gr.Markdown(tr(get_spec(DEFAULT_MODEL).description))
        with gr.Column():
            knobs = controls(InpaintSettings, FILL_FIELDS)
        with gr.Column():
            mask_image = uploads.image(type="pil", label=tr("Or upload a mask (white = fill)"), height=160)
            button = gr.Button(tr("Fill"), variant="primary", elem_id="inpaint-run")
    gr.Examples([[example_image(n)] for n in ("cheetah.jpg", "lion.jpg", "tower.jpg", "mandala", "stained_glass")],
                inputs=[editor], label=tr("Try an image"))
    batch_fields = batch_panel.build("inpaint", model, {"editor": editor, "mask": mask_image, **knobs}, batch_mask)
    model.change(about, model, info, api_name=False)
    button.click(run_inpaint, [model, editor, mask_image, *knobs.values()], [result, status], api_name="inpaint",
                 api_description=documented(run_inpaint, InpaintSettings, FILL_SUMMARY, FILL_FIELDS, about=FILL_INPUTS),
                 **MODEL_RUN)
    fields = {"model": model, "editor": editor, "mask_image": mask_image, **knobs, "result": result, "status": status,
              **batch_fields}
    return SendFrom(result, None, None, to_style), editor, fields


def batch_mask(values: dict) -> tuple[dict, dict]:
    """A Fill batch's one mask: the uploaded mask, else the strokes painted in the editor (scaled to each image)."""
    mask, painted = values.pop("mask"), values.pop("editor")
    mask = mask if mask is not None else painted_mask(painted)
    if mask is None:
        raise GenartError("A Fill batch fills one region in every image: paint over it in the editor above, or "
                          "upload a mask (white = fill).")
    return {"mask": mask}, values


def build_restore():
    names = [s.name for s in list_models("restore")]
    with gr.Row():
        with gr.Column(scale=3):
            image = uploads.image(type="pil", label=tr("Damaged image"), elem_id="restore-image", height=400)
            with gr.Row():
                kind = gr.Radio([(tr("Gaussian noise"), "Gaussian noise"), (tr("Salt and pepper"), "Salt and pepper")],
                                value="Gaussian noise", label=tr("Try: add damage"))
                amount = gr.Slider(1, 60, value=25, step=1, label=tr("Sigma (Gaussian) or % of pixels (salt and pepper)"))
                add = gr.Button(tr("Damage it"), min_width=80)
        with gr.Column(scale=2):
            result = uploads.image_slider(label=tr("Before / after"), type="filepath", elem_id="restore-result", height=400,
                                    interactive=False)
            status = gr.Markdown(elem_id="restore-status")
    with gr.Row():
        model = gr.Dropdown(names, value=DEFAULT_RESTORER, label=tr("Method"), elem_id="restore-model")
        noise_level = control(RestoreSettings, "noise_level")
        button = gr.Button(tr("Restore"), variant="primary", elem_id="restore-run")
    info = gr.Markdown(tr(get_spec(DEFAULT_RESTORER).description))
    gr.Examples([[example_image(n)] for n in ("lion.jpg", "landscape", "geometric")], inputs=[image],
                label=tr("Try an image (then damage it)"))
    batch_fields = batch_panel.build("restore", model, {"noise_level": noise_level})
    add.click(damage, [image, kind, amount], image, api_name=False)
    model.change(about, model, info, api_name=False)
    button.click(run_restore, [model, image, noise_level], [result, status], api_name="restore",
                 api_description=documented(run_restore, RestoreSettings, RESTORE_SUMMARY), **MODEL_RUN)
    return {"restore_model": model, "restore_image": image, "noise_level": noise_level, "restore_result": result,
            "restore_status": status, **batch_fields}
