"""The Generate tab's Encode panel: a user's image into a VAE's latent space, its reconstruction and nearest class."""
import gradio as gr

from ..data.procedural import CLASSES
from ..pipelines.encode import EncodeSettings, encode, square_input
from . import uploads
from .api_docs import documented
from .common import MODEL_RUN, Replayed, forward_progress, output_dir, user_errors
from .controls import control
from .gpu import on_gpu
from .language import tr
from .visitor import kept

SUMMARY = "Encode an image with a VAE and decode it again: -> the centre square the encoder saw, the " \
          "reconstruction (a PNG that carries its replay record), and a status line."

NEAREST = ("(the nearest)", "")


def saved_square(model: str, image, progress=None) -> str:
    """What the encoder saw of `image`, saved for the before/after slider."""
    path = output_dir() / "encoded-input.png"
    square_input(model, image, progress).save(path)
    return str(path)


@kept
@user_errors
@on_gpu(20)
def run_encode(model, image, label, progress=gr.Progress()):
    forward = forward_progress(progress)
    art, line = encode(model, image, EncodeSettings(label or None), forward)
    seen = saved_square(model, art.inputs["image"], forward)
    return seen, str(art.save(output_dir() / "reconstruction.png")), f"{model}: {line}"


def replayed(record: dict, output, image_path: str) -> dict:
    """The panel's fields for a remade reconstruction: the upload, the class asked for, the result, opened."""
    image = output.inputs["image"]
    return {"model": record["model"], "encode_image": image, "encode_label": record["label"] or "",
            "encode_seen": saved_square(record["model"], image), "encode_result": image_path,
            "encoding": gr.Accordion(open=True)}


def build(model: gr.Dropdown) -> dict:
    """-> the panel's fields by name."""
    with gr.Accordion(tr("Encode an image (a VAE)"), open=False, visible=False) as panel:
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                image = uploads.image(type="pil", label=tr("Your image (its centre square is encoded)"), height=260,
                                      elem_id="encode-image")
                label = control(EncodeSettings, "label", choices=[NEAREST, *CLASSES], value="")
                button = gr.Button(tr("Encode and reconstruct"), elem_id="encode-run")
            with gr.Column(scale=1, min_width=260):
                with gr.Row():
                    seen = uploads.image(label=tr("What the encoder sees"), type="filepath", interactive=False,
                                         elem_classes=["pixelated", "enlarged"], height=300, elem_id="encode-seen")
                    result = uploads.image(label=tr("Its reconstruction"), type="filepath", interactive=False,
                                           elem_classes=["pixelated", "enlarged"], height=300, elem_id="encode-result")
                status = gr.Markdown(elem_id="encode-status")
    button.click(run_encode, [model, image, label], [seen, result, status], api_name="encode",
                 api_description=documented(run_encode, EncodeSettings, SUMMARY), **MODEL_RUN)
    return {"encoding": panel, "encode_image": image, "encode_label": label, "encode_seen": seen,
            "encode_result": result, "encode_status": status}


REPLAYED = {"encode": Replayed("generate", "encode_status", replayed)}
