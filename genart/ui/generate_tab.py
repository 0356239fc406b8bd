"""The Generate tab: GAN and VAE samples in a gallery, latent interpolation (between seeds, or a VAE's encoded
images), a VAE's Encode panel, the procedural renderer for comparison."""
import random
import time
from pathlib import Path

import gradio as gr

from ..data.procedural import CLASSES
from ..locale import say
from ..pipelines import generate as pipeline
from ..pipelines.checks import MAX_SEED
from ..pipelines.generate import GenerateSettings
from ..pipelines.interpolate import InterpolateSettings, interpolate
from ..pipelines.settings import setting
from ..pipelines.task import method_for
from ..registry import get_spec, list_models
from . import encode_panel, mixing_panel, projection_panel, uploads
from .api_docs import documented
from .common import MODEL_PICK, MODEL_RUN, Replayed, forward_progress, output_dir, user_errors
from .controls import control, controls, recorded, settings_from
from .gpu import on_gpu
from .language import tr
from .send_to import SendFrom
from .visitor import kept

DEFAULT_MODEL = "dcgan-art-64"
# The settings each event reads, in the order of its API's arguments (after the model).
GENERATE_FIELDS = ("label", "seed", "n", "truncation", "size")
INTERPOLATE_FIELDS = ("label", "seed_a", "seed_b", "frames", "fps", "format", "truncation", "label_b")  # format: the file's
STARTING_BATCH = 8  # the gallery starts with a page of samples; the API and CLI make one unless asked
NO_MORPH = ("(one class)", "")
GENERATE_SUMMARY = "A batch of images from a generative model: -> the gallery (PNG files that carry their replay " \
                   "records, each with its index) and a status line."
INTERPOLATE_SUMMARY = "An animation walking from one latent to another (a seed's, or an encoded image's): -> the " \
                      "WebP or GIF file, which carries its replay record."


@user_errors
def on_model_change(model: str, label: str, label_b: str, progress=gr.Progress()):
    """The controls the model takes: its classes, truncation's range, size for the renderer, images for an encoder."""
    spec, forward = get_spec(model, task="generate"), forward_progress(progress)
    method = method_for(spec, pipeline.METHODS, forward)
    classes = method.classes(spec, forward)
    # Set the class only when the current one does not fit: a reply must not undo a choice made while it ran.
    label_update = gr.update(choices=classes, visible=bool(classes))
    if label not in classes:
        label_update["value"] = pipeline.fitting_label(spec, classes, None)
    morph_update = gr.update(choices=[NO_MORPH, *classes], visible=bool(classes))
    if label_b not in classes:
        morph_update["value"] = NO_MORPH[1]
    highest = setting(GenerateSettings, "truncation").knob.high
    truncation = gr.update(visible=method.latent, maximum=min(highest, method.sampler.max_truncation) if method.sampler else highest)
    encoder = gr.update(visible=method.latent and method.sampler.encode is not None)
    styles = gr.update(visible=method.latent and method.sampler.styles is not None)
    return (label_update, gr.update(visible=method.sized), truncation, gr.update(interactive=method.latent), morph_update,
            encoder, encoder, styles, styles, styles)


@user_errors
def on_model_pick(model: str):
    """A model the user picks brings its own truncation (BigGAN's is lower than a DCGAN's); a replayed record
    sets its own."""
    return get_spec(model, task="generate").defaults.get("truncation", GenerateSettings.truncation)


@kept
@user_errors
@on_gpu(20)
def run_generate(model, *values, progress=gr.Progress()):
    settings = settings_from(GenerateSettings, GENERATE_FIELDS, values)
    start = time.perf_counter()
    artworks = pipeline.generate(model, settings, forward_progress(progress))
    seconds = time.perf_counter() - start
    folder = output_dir()
    items = [(str(art.save(folder / f"{settings.seed}-{art.record['index']}.png")),
              f"#{art.record['index']}") for art in artworks]
    first, label = artworks[0].image, artworks[0].record["label"]
    what = f"{label} from {model}" if label else model
    return items, say(f"{len(items)} × {first.width}x{first.height} {what}, seed {settings.seed}, in {seconds:.2f} s")


@kept
@user_errors
@on_gpu(30)
def run_interpolate(model, label, seed_a, seed_b, frames, fps, file_format, truncation, label_b, image_a=None, image_b=None,
                    in_w=False, progress=gr.Progress()):
    """The arguments: INTERPOLATE_FIELDS, then an image for each end (None: its seed's latent) and Walk in W, optional
    for API clients written before images could be ends or walks could be in W."""
    settings = InterpolateSettings(label=label, seed_a=seed_a, seed_b=seed_b, frames=frames, fps=fps,
                                   truncation=truncation, label_b=label_b, in_w=in_w)
    animation = interpolate(model, settings, forward_progress(progress), image_a, image_b)
    ends = ["image" if image is not None else str(seed) for image, seed in ((image_a, settings.seed_a),
                                                                          (image_b, settings.seed_b))]
    return str(animation.save(output_dir() / f"{ends[0]}-to-{ends[1]}.{file_format}"))


def replayed(record: dict, output, image_path: str) -> dict:
    """The tab's fields for a remade image: its settings, and the image alone in the gallery."""
    return {"model": record["model"], **recorded(GenerateSettings, record),
            "gallery": [(image_path, f"#{record.get('index', 0)}")]}


def replayed_animation(record: dict, output, animation_path: str) -> dict:
    """The tab's fields for a remade interpolation: its settings, the animation, and its panel opened."""
    return {"model": record["model"], **recorded(InterpolateSettings, record), "interpolation": gr.Accordion(open=True),
            "animation": animation_path, "format": Path(animation_path).suffix[1:]}


REPLAYED = {"generate": Replayed("generate", "status", replayed),
            "interpolate": Replayed("generate", "status", replayed_animation), **encode_panel.REPLAYED,
            **mixing_panel.REPLAYED, **projection_panel.REPLAYED}


def selected_index(event: gr.SelectData) -> int:
    return event.index


def build() -> tuple[SendFrom, dict]:
    """-> what this tab sends elsewhere, and its fields by name (replay fills them in)."""
    names = [s.name for s in list_models("generate")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), allow_custom_value=True, elem_id="generate-model",
                                info=tr("A registry model, or any Hub DCGAN, BigGAN, ProGAN, StyleGAN2/3 (.pkl) or genart VAE "
                                        "typed as hf-hub:org/name[@revision]."))
            label = control(GenerateSettings, "label", choices=list(CLASSES), value=CLASSES[0], info=None)
            with gr.Row(equal_height=True):
                seed = control(GenerateSettings, "seed", scale=4)
                dice = gr.Button(tr("Random"), scale=1, min_width=60)
            n = control(GenerateSettings, "n", value=STARTING_BATCH)
            truncation = control(GenerateSettings, "truncation")
            size = control(GenerateSettings, "size", visible=False)
            button = gr.Button(tr("Generate"), variant="primary")
        with gr.Column(scale=2):
            gallery = uploads.gallery(label=tr("Samples"), columns=4, format="png", elem_classes=["pixelated"], height="auto",
                                 interactive=False)
            status = gr.Markdown()
            with gr.Row():
                to_inpaint = gr.Button(tr("Send to Inpaint"), size="sm", elem_id="generate-to-inpaint")
                to_style = gr.Button(tr("Send to Style"), size="sm", elem_id="generate-to-style")
            chosen = gr.State(0)  # the gallery item clicked last; the first one until then
    with gr.Accordion(tr("Latent interpolation"), open=False) as interpolation:
        with gr.Row():
            walk = controls(InterpolateSettings, ("seed_a", "seed_b", "frames", "fps"))
            walk["label_b"] = control(InterpolateSettings, "label_b", choices=[NO_MORPH, *CLASSES], value="")
            fmt = gr.Radio(["webp", "gif"], value="webp", label=tr("Format"))
            walk["in_w"] = control(InterpolateSettings, "in_w", visible=False)
        with gr.Row(visible=False) as ends:
            image_a = uploads.image(type="pil", label=tr("From image (instead of the first seed)"), height=200,
                                    elem_id="interpolate-image-a")
            image_b = uploads.image(type="pil", label=tr("To image (instead of the second seed)"), height=200,
                                    elem_id="interpolate-image-b")
        interp_button = gr.Button(tr("Interpolate"))
        animation = uploads.image(label=tr("Interpolation"), type="filepath", elem_classes=["pixelated", "enlarged"], height=320,
                                  elem_id="interpolate-animation",
                             interactive=False)

    encoding = encode_panel.build(model)
    mixing = mixing_panel.build(model, label)
    projecting = projection_panel.build(model, label)
    projecting["project_to_mix"].click(mixing_panel.to_mix, projecting["project_w"], [mixing["mix_row_w"], mixing["mixing"]],
                                       api_name=False)

    gr.Examples([[DEFAULT_MODEL, c, 7] for c in CLASSES] + [["procedural-art", "mandala", 7], ["vae-art-64", "mandala", 7]],
                inputs=[model, label, seed], label=tr("Try a class"))

    # Progress (a Hub download) and errors show on the status line, not on the controls being updated.
    model.change(on_model_change, [model, label, walk["label_b"]],
                 [label, size, truncation, interp_button, walk["label_b"], encoding["encoding"], ends, mixing["mixing"],
                  projecting["projecting"], walk["in_w"]],
                 api_name=False,
                 show_progress_on=status, **MODEL_RUN)  # it loads the model to read its classes
    model.input(on_model_pick, model, truncation, show_progress_on=status, **MODEL_PICK)
    dice.click(lambda: random.randint(0, MAX_SEED), None, seed, api_name=False)
    fields = {"model": model, "label": label, "seed": seed, "n": n, "truncation": truncation, "size": size, **walk,
              "gallery": gallery, "status": status, "interpolation": interpolation, "format": fmt,
              "animation": animation, **encoding, **mixing, **projecting}
    button.click(run_generate, [model, *(fields[k] for k in GENERATE_FIELDS)], [gallery, status], api_name="generate",
                 api_description=documented(run_generate, GenerateSettings, GENERATE_SUMMARY, GENERATE_FIELDS),
                 **MODEL_RUN)
    interp_button.click(run_interpolate, [model, *(fields[k] for k in INTERPOLATE_FIELDS), image_a, image_b, walk["in_w"]],
                        animation,
                        api_name="interpolate",
                        api_description=documented(run_interpolate, InterpolateSettings, INTERPOLATE_SUMMARY),
                        **MODEL_RUN)
    gallery.select(selected_index, None, chosen, api_name=False)
    return SendFrom(gallery, chosen, to_inpaint, to_style), fields
