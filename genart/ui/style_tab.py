"""The Style tab: a content image, up to four style images, one of three methods; Gatys streams as it optimises."""
import time

import gradio as gr
from gradio.media import get_image

from ..locale import say
from ..pipelines import style as pipeline
from ..pipelines.style import MAX_STYLES, StyleSettings
from ..registry import get_spec, list_models
from . import batch_panel, uploads
from .api_docs import documented
from .common import (
    BRUSH,
    MODEL_RUN,
    Replayed,
    forward_progress,
    output_dir,
    painted_layer,
    painted_mask,
    procedural_example,
    stoppable,
    user_errors,
)
from .controls import control, controls, recorded
from .gpu import on_gpu
from .language import tr
from .visitor import kept

DEFAULT_MODEL = "fast-stained-glass"
SUMMARY = "An image in the style of one or more others (or of the style a fast network learned): -> (streamed, " \
          "for Gatys each step it keeps) the image, a PNG that carries its replay record, and a status line."
WEIGHTS = tuple(f"weight{i + 1}" for i in range(MAX_STYLES))
MASK = "AdaIN with two styles: an ImageEditor value whose strokes mark where style 1 goes; style 2 fills the rest."
EXAMPLE_STYLES = [("stained_glass", 7), ("flow_field", 3), ("mandala", 5), ("geometric", 2)]
# The event's arguments: model, content, the style images, their weights, these settings, the mask editor.
SHARED_FIELDS = ("size", "strength", "preserve_colors", "seed")
GATYS_FIELDS = ("steps", "content_weight", "style_weight", "tv_weight")
FIELDS = ("size", "strength", "preserve_colors", "steps", "content_weight", "style_weight", "tv_weight", "seed")


STEPS_AT = 2 * MAX_STYLES + FIELDS.index("steps")  # where the Gatys steps are among the arguments after the content


def event_arguments(args: tuple) -> tuple[list, list, StyleSettings, dict]:
    """run_stylize's arguments after model and content -> (style images, their weights, the settings, the editor),
    the weights of empty style slots dropped."""
    styles, weights = args[:MAX_STYLES], args[MAX_STYLES:2 * MAX_STYLES]
    *values, editor = args[2 * MAX_STYLES:]
    pairs = [(image, w) for image, w in zip(styles, weights) if image is not None]
    settings = StyleSettings(**dict(zip(FIELDS, values)), style_weights=[w for _, w in pairs] or None)
    return [image for image, _ in pairs], [w for _, w in pairs], settings, editor


def batch_inputs(values: dict) -> tuple[dict, dict]:
    """A style batch's shared style images and settings, read as event_arguments reads the tab's (no spatial mask:
    it is painted on one content image)."""
    styles, weights = [values[k] for k in pipeline.STYLE_INPUTS], [values[k] for k in WEIGHTS]
    images, _, settings, _ = event_arguments((*styles, *weights, *(values[k] for k in FIELDS), None))
    return dict(zip(pipeline.STYLE_INPUTS, images)), {k: getattr(settings, k) for k in (*FIELDS, "style_weights")}


def stylize_seconds(model, content, *args, **kwargs) -> float:
    """GPU time to ask for: Gatys steps (the fast methods are one step)."""
    return 20 + 0.2 * args[STEPS_AT]


def status_line(update: pipeline.StyleUpdate, seconds_note: str = "", stopped: bool = False) -> str:
    progress = f"step {update.step}/{update.steps}" if update.steps > 1 else ""
    state = "done" if update.done else "stopped" if stopped else "optimising"
    words = [w for w in (progress, state, seconds_note) if w]
    return say(" · ".join(words) + (f"\n\n{update.notice}" if update.notice else ""))


@kept
@user_errors
@on_gpu(stylize_seconds)
def run_stylize(model, content, *args, progress=gr.Progress()):
    """Streams the result and its status line; Gatys shows each step it keeps, and Stop keeps the last one. The last
    argument is the session's StopRequest."""
    *args, stop_request = args
    styles, _, settings, editor = event_arguments(tuple(args))
    folder, start = output_dir(), time.perf_counter()
    for update in pipeline.stylize(model, content, styles, settings, painted_mask(editor),
                                   forward_progress(progress)):
        path = update.artwork().save(folder / f"stylized-{update.step}.png")
        size = f"{update.image.width}x{update.image.height}"
        stopped = stop_request.pressed and not update.done
        yield str(path), status_line(update, f"{size} in {time.perf_counter() - start:.1f} s", stopped)
        if stopped:
            return


@user_errors
def on_model_change(model: str, progress=gr.Progress()):
    method = pipeline.style_method(model, forward_progress(progress))
    return (gr.update(visible=method.optimises), gr.update(visible=method.spatial),
            gr.update(visible=method.needs_style), about(model, method))


def about(model: str, method: pipeline.StyleMethod) -> str:
    """The model's description and what its method does, in the request's language."""
    return f"{say(get_spec(model, task='style').description)}\n\n{say(method.about)}"


def replayed(record: dict, output, image_path: str) -> dict:
    inputs = output.inputs
    weights = record.get("style_weights") or []
    values = {"model": record["model"], "content": inputs["content"], "result": image_path,
              **{name: inputs.get(name) for name in pipeline.STYLE_INPUTS},
              **dict(zip(WEIGHTS, weights))}
    if "mask" in inputs:
        values["editor"] = {"background": inputs["content"], "layers": [painted_layer(inputs["mask"])], "composite": None}
    return values | {k: v for k, v in recorded(StyleSettings, record).items() if k != "style_weights"}


REPLAYED = {"style": Replayed("style", "status", replayed)}


def build() -> tuple[gr.Image, dict]:
    """-> the content image, which receives images sent here from other tabs, and the fields by name (for replay)."""
    names = [s.name for s in list_models("style")]
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), elem_id="style-model",
                                info=tr("Fast networks: instant, one style. AdaIN: any style. Gatys: optimisation, slow."))
            info = gr.Markdown(tr("{description}\n\n{method}", description=get_spec(DEFAULT_MODEL).description,
                                  method=pipeline.style_method(DEFAULT_MODEL).about))
            content = uploads.image(type="pil", label=tr("Content"), elem_id="style-content", height=240)
            with gr.Group(visible=False) as style_group:
                with gr.Row():
                    styles = [uploads.image(type="pil", label=tr("Style {n}", n=i + 1), height=140, min_width=100,
                                       elem_id=f"style-style-{i}") for i in range(MAX_STYLES)]
                with gr.Row():
                    weights = [control(StyleSettings, "style_weights", value=1.0, label=tr("Weight {n}", n=i + 1),
                                       info=None, min_width=60) for i in range(MAX_STYLES)]
            knobs = controls(StyleSettings, SHARED_FIELDS)
            with gr.Group(visible=False) as gatys_group:
                knobs |= controls(StyleSettings, GATYS_FIELDS[:1])
                with gr.Row():
                    knobs |= controls(StyleSettings, GATYS_FIELDS[1:], **{k: {"info": None} for k in GATYS_FIELDS})
            with gr.Accordion(tr("Spatial control (AdaIN, two styles)"), open=False, visible=False) as spatial:
                editor = uploads.image_editor(type="pil", label=tr("Paint where style 1 goes; style 2 fills the rest"),
                                        brush=gr.Brush(colors=[BRUSH], default_size=24), layers=False, height=320)
            with gr.Row():
                button = gr.Button(tr("Stylize"), variant="primary", elem_id="style-run")
                stop = gr.Button(tr("Stop"), variant="stop", elem_id="style-stop")
        with gr.Column(scale=2):
            result = uploads.image(type="filepath", label=tr("Result"), format="png", elem_id="style-result", height=560,
                              interactive=False)
            status = gr.Markdown(elem_id="style-status")

    photos = [get_image(name) for name in ("cheetah.jpg", "lion.jpg", "tower.jpg")]
    gr.Examples([[DEFAULT_MODEL, photos[1], None], ["fast-flow-field", photos[2], None],
                 ["gatys-random", photos[0], procedural_example("stained_glass", 7)],
                 ["adain", photos[0], procedural_example("flow_field", 3)]],
                inputs=[model, content, styles[0]], label=tr("Try a pair"))
    gr.Examples([[procedural_example(name, seed)] for name, seed in EXAMPLE_STYLES], inputs=[styles[0]],
                label=tr("Procedural art as style"))

    batch_fields = batch_panel.build("style", model, {**dict(zip(pipeline.STYLE_INPUTS, styles)),
                                                      **dict(zip(WEIGHTS, weights)), **knobs}, batch_inputs)
    model.change(on_model_change, model, [gatys_group, spatial, style_group, info], api_name=False,
                 show_progress_on=info)
    # The content becomes the canvas for painting the spatial mask.
    content.change(lambda image: {"background": image, "layers": [], "composite": image}, content, editor, api_name=False)
    # The progress bar sits on the status line; the image stays in view.
    stoppable(button, stop, run_stylize, [model, content, *styles, *weights, *(knobs[k] for k in FIELDS), editor],
              [result, status], api_name="stylize", show_progress_on=status, **MODEL_RUN,
              api_description=documented(run_stylize, StyleSettings, SUMMARY,
                                         [*pipeline.STYLE_INPUTS, *WEIGHTS, *FIELDS, "mask", "stop_request"],
                                         about={"mask": MASK}))
    fields = {"model": model, "content": content, **knobs, "editor": editor, "result": result, "status": status,
              **dict(zip(pipeline.STYLE_INPUTS, styles)), **dict(zip(WEIGHTS, weights)), **batch_fields}
    return content, fields
