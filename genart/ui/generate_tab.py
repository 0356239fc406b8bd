"""The Generate tab: GAN samples in a gallery, latent interpolation, the procedural renderer for comparison."""
import random
import time
from pathlib import Path

import gradio as gr

from ..data.procedural import CLASSES, MAX_SIZE, MIN_SIZE
from ..pipelines import generate as pipeline
from ..pipelines.checks import MAX_SEED
from ..registry import get_spec, list_models
from . import uploads
from .common import MODEL_RUN, forward_progress, output_dir, user_errors
from .gpu import on_gpu
from .send_to import SendFrom

DEFAULT_MODEL = "dcgan-art-64"


@user_errors
def on_model_change(model: str, label: str, progress=gr.Progress()):
    classes = pipeline.model_classes(model, forward_progress(progress))
    procedural = get_spec(model, task="generate").arch == "procedural"
    # Set the class only when the current one does not fit: a reply must not undo a choice made while it ran.
    label_update = gr.update(choices=classes, visible=bool(classes))
    if label not in classes:
        label_update["value"] = classes[0] if classes else None
    return (label_update,
            gr.update(visible=procedural), gr.update(visible=not procedural), gr.update(interactive=not procedural))


@user_errors
@on_gpu(20)
def run_generate(model, label, seed, n, truncation, size, progress=gr.Progress()):
    start = time.perf_counter()
    artworks = pipeline.generate(model, seed, n, label or None, truncation, size, forward_progress(progress))
    seconds = time.perf_counter() - start
    folder = output_dir()
    items = [(str(art.save(folder / f"{seed}-{art.record['index']}.png")),
              f"#{art.record['index']}") for art in artworks]
    first = artworks[0].image
    what = f"{label} from {model}" if label else model
    return items, f"{len(items)} × {first.width}x{first.height} {what}, seed {seed}, in {seconds:.2f} s"


@user_errors
@on_gpu(30)
def run_interpolate(model, label, seed_a, seed_b, frames, fps, fmt, truncation, progress=gr.Progress()):
    animation = pipeline.interpolate(model, seed_a, seed_b, frames, label or None, truncation, fps,
                                     forward_progress(progress))
    return str(animation.save(output_dir() / f"{seed_a}-to-{seed_b}.{fmt}"))


def replayed(record: dict, image_path: str) -> dict:
    """The tab's fields for a remade image: its settings, and the image alone in the gallery."""
    values = {"model": record["model"], "seed": record["seed"], "n": record.get("n", 1),
              "gallery": [(image_path, f"#{record.get('index', 0)}")]}
    if record.get("label"):
        values["label"] = record["label"]
    values |= {k: record[k] for k in ("truncation", "size") if k in record}
    return values


def replayed_animation(record: dict, animation_path: str) -> dict:
    """The tab's fields for a remade interpolation: its settings, the animation, and its panel opened."""
    values = {"model": record["model"], "interpolation": gr.Accordion(open=True), "animation": animation_path,
              "format": Path(animation_path).suffix[1:]}
    if record.get("label"):
        values["label"] = record["label"]
    return values | {k: record[k] for k in ("seed_a", "seed_b", "frames", "fps", "truncation") if k in record}


def selected_index(event: gr.SelectData) -> int:
    return event.index


def build() -> tuple[SendFrom, dict]:
    """-> what this tab sends elsewhere, and its fields by name (replay fills them in)."""
    names = [s.name for s in list_models("generate")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label="Model", allow_custom_value=True,
                                info="A registry model, or any Hub DCGAN typed as hf-hub:org/name[@revision].")
            label = gr.Dropdown(list(CLASSES), value=CLASSES[0], label="Class")
            with gr.Row(equal_height=True):
                seed = gr.Number(0, label="Seed", precision=0, minimum=0, maximum=MAX_SEED, scale=4)
                dice = gr.Button("Random", scale=1, min_width=60)
            n = gr.Slider(1, pipeline.MAX_BATCH, value=8, step=1, label="Batch size")
            truncation = gr.Slider(*pipeline.TRUNCATION_RANGE, value=2.0, step=0.1, label="Truncation",
                                   info="Latents are clamped to ±this: lower is more typical, higher more varied.")
            size = gr.Slider(MIN_SIZE, MAX_SIZE, value=64, step=1, label="Size (px)", visible=False)
            button = gr.Button("Generate", variant="primary")
        with gr.Column(scale=2):
            gallery = uploads.gallery(label="Samples", columns=4, format="png", elem_classes=["pixelated"], height="auto",
                                 interactive=False)
            status = gr.Markdown()
            with gr.Row():
                to_inpaint = gr.Button("Send to Inpaint", size="sm", elem_id="generate-to-inpaint")
                to_style = gr.Button("Send to Style", size="sm", elem_id="generate-to-style")
            chosen = gr.State(0)  # the gallery item clicked last; the first one until then
    with gr.Accordion("Latent interpolation", open=False) as interpolation:
        with gr.Row():
            seed_a = gr.Number(0, label="From seed", precision=0, minimum=0, maximum=MAX_SEED)
            seed_b = gr.Number(1, label="To seed", precision=0, minimum=0, maximum=MAX_SEED)
            frames = gr.Slider(2, pipeline.MAX_FRAMES, value=24, step=1, label="Frames")
            fps = gr.Slider(1, 60, value=12, step=1, label="Frames per second")
            fmt = gr.Radio(["webp", "gif"], value="webp", label="Format")
        interp_button = gr.Button("Interpolate")
        animation = uploads.image(label="Interpolation", type="filepath", elem_classes=["pixelated", "enlarged"], height=320,
                             interactive=False)

    gr.Examples([[DEFAULT_MODEL, c, 7] for c in CLASSES] + [["procedural-art", "mandala", 7]],
                inputs=[model, label, seed], label="Try a class")

    # Progress (a Hub download) and errors show on the status line, not on the controls being updated.
    model.change(on_model_change, [model, label], [label, size, truncation, interp_button], api_name=False,
                 show_progress_on=status, **MODEL_RUN)  # it loads the model to read its classes
    dice.click(lambda: random.randint(0, MAX_SEED), None, seed, api_name=False)
    button.click(run_generate, [model, label, seed, n, truncation, size], [gallery, status], api_name="generate",
                 **MODEL_RUN)
    interp_button.click(run_interpolate, [model, label, seed_a, seed_b, frames, fps, fmt, truncation], animation,
                        api_name="interpolate", **MODEL_RUN)
    gallery.select(selected_index, None, chosen, api_name=False)
    fields = {"model": model, "label": label, "seed": seed, "n": n, "truncation": truncation, "size": size,
              "gallery": gallery, "status": status, "interpolation": interpolation, "seed_a": seed_a, "seed_b": seed_b,
              "frames": frames, "fps": fps, "format": fmt, "animation": animation}
    return SendFrom(gallery, chosen, to_inpaint, to_style), fields
