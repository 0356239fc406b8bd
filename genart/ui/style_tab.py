"""The Style tab: a content image, up to four style images, one of three methods; Gatys streams as it optimises."""
import time

import gradio as gr
from gradio.media import get_image

from ..pipelines import style as pipeline
from ..pipelines.checks import MAX_SEED
from ..registry import get_spec, list_models
from . import uploads
from .common import BRUSH, MODEL_RUN, forward_progress, output_dir, painted_layer, painted_mask, procedural_example, stoppable, user_errors
from .gpu import on_gpu

DEFAULT_MODEL = "fast-stained-glass"
EXAMPLE_STYLES = [("stained_glass", 7), ("flow_field", 3), ("mandala", 5), ("geometric", 2)]


def status_line(update: pipeline.StyleUpdate, seconds_note: str = "", stopped: bool = False) -> str:
    progress = f"step {update.step}/{update.steps}" if update.steps > 1 else ""
    state = "done" if update.done else "stopped" if stopped else "optimising"
    words = [w for w in (progress, state, seconds_note) if w]
    return " · ".join(words) + (f"\n\n{update.notice}" if update.notice else "")


@user_errors
@on_gpu(lambda *args, **kwargs: 20 + 0.2 * args[13])  # args[13]: Gatys steps (the fast methods are one step)
def run_stylize(model, content, style1, style2, style3, style4, w1, w2, w3, w4, size, strength, preserve, steps,
                content_weight, style_weight, tv_weight, seed, editor, stop_request, progress=gr.Progress()):
    """Streams the result and its status line; Gatys shows each step it keeps, and Stop keeps the last one."""
    pairs = [(s, w) for s, w in zip((style1, style2, style3, style4), (w1, w2, w3, w4)) if s is not None]
    settings = pipeline.StyleSettings(size=size, strength=strength, preserve_colors=preserve,
                                      style_weights=[w for _, w in pairs] or None, steps=steps,
                                      content_weight=content_weight, style_weight=style_weight, tv_weight=tv_weight,
                                      seed=seed)
    folder, start = output_dir(), time.perf_counter()
    for update in pipeline.stylize(model, content, [s for s, _ in pairs], settings, painted_mask(editor),
                                   forward_progress(progress)):
        path = update.artwork().save(folder / f"stylized-{update.step}.png")
        size = f"{update.image.width}x{update.image.height}"
        stopped = stop_request.pressed and not update.done
        yield str(path), status_line(update, f"{size} in {time.perf_counter() - start:.1f} s", stopped)
        if stopped:
            return


@user_errors
def on_model_change(model: str):
    spec = get_spec(model, task="style")
    gatys = spec.arch in ("vgg19", "random-features")
    return (gr.update(visible=gatys), gr.update(visible=spec.arch == "adain"), gr.update(visible=spec.arch != "transformer-net"),
            about(spec))


def about(spec) -> str:
    features = {"vgg19": "Features in use: **VGG-19** (ImageNet weights from the Hub).",
                "random-features": "Features in use: a **random** fixed-seed network (no trained weights; works offline).",
                "transformer-net": "One style, baked into the network: the style images are not used.",
                "adain": "Any style image, in one pass; two styles with a painted mask put each where you choose."}
    return f"{spec.description}\n\n{features[spec.arch]}"


def replayed(record: dict, inputs: dict, image_path: str) -> dict:
    weights = record.get("style_weights") or []
    values = {"model": record["model"], "content": inputs["content"], "result": image_path,
              **{f"style{i + 1}": inputs.get(f"style{i + 1}") for i in range(pipeline.MAX_STYLES)},
              **{f"weight{i + 1}": w for i, w in enumerate(weights)}}
    if "mask" in inputs:
        values["editor"] = {"background": inputs["content"], "layers": [painted_layer(inputs["mask"])], "composite": None}
    names = ("size", "strength", "preserve_colors", "seed", "steps", "content_weight", "style_weight", "tv_weight")
    return values | {k: record[k] for k in names if k in record}


def build() -> tuple[gr.Image, dict]:
    """-> the content image, which receives images sent here from other tabs, and the fields by name (for replay)."""
    names = [s.name for s in list_models("style")]
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label="Model", elem_id="style-model",
                                info="Fast networks: instant, one style. AdaIN: any style. Gatys: optimisation, slow.")
            info = gr.Markdown(about(get_spec(DEFAULT_MODEL)))
            content = uploads.image(type="pil", label="Content", elem_id="style-content", height=240)
            with gr.Group(visible=False) as style_group:
                with gr.Row():
                    styles = [uploads.image(type="pil", label=f"Style {i + 1}", height=140, min_width=100,
                                       elem_id=f"style-style-{i}") for i in range(pipeline.MAX_STYLES)]
                with gr.Row():
                    weights = [gr.Number(1.0, label=f"Weight {i + 1}", minimum=0, min_width=60)
                               for i in range(pipeline.MAX_STYLES)]
            size = gr.Slider(*pipeline.SIZE_RANGE, value=512, step=16, label="Output size (longest side, px)")
            strength = gr.Slider(0, 1, value=1.0, step=0.05, label="Strength", info="0 = the content, 1 = full style")
            preserve = gr.Checkbox(False, label="Preserve the content's colours")
            seed = gr.Number(0, label="Seed", precision=0, minimum=0, maximum=MAX_SEED)
            with gr.Group(visible=False) as gatys_group:
                steps = gr.Slider(1, pipeline.MAX_STEPS, value=200, step=1, label="Steps (Gatys)")
                with gr.Row():
                    content_weight = gr.Number(1.0, label="Content weight", minimum=0)
                    style_weight = gr.Number(10.0, label="Style weight", minimum=0)
                    tv_weight = gr.Number(1.0, label="Total-variation weight", minimum=0)
            with gr.Accordion("Spatial control (AdaIN, two styles)", open=False, visible=False) as spatial:
                editor = uploads.image_editor(type="pil", label="Paint where style 1 goes; style 2 fills the rest",
                                        brush=gr.Brush(colors=[BRUSH], default_size=24), layers=False, height=320)
            with gr.Row():
                button = gr.Button("Stylize", variant="primary", elem_id="style-run")
                stop = gr.Button("Stop", variant="stop", elem_id="style-stop")
        with gr.Column(scale=2):
            result = uploads.image(type="filepath", label="Result", format="png", elem_id="style-result", height=560,
                              interactive=False)
            status = gr.Markdown(elem_id="style-status")

    photos = [get_image(name) for name in ("cheetah.jpg", "lion.jpg", "tower.jpg")]
    gr.Examples([[DEFAULT_MODEL, photos[0], None], ["fast-flow-field", photos[2], None],
                 ["gatys-random", photos[1], procedural_example("stained_glass", 7)],
                 ["adain", photos[0], procedural_example("flow_field", 3)]],
                inputs=[model, content, styles[0]], label="Try a pair")
    gr.Examples([[procedural_example(name, seed)] for name, seed in EXAMPLE_STYLES], inputs=[styles[0]],
                label="Procedural art as style")

    model.change(on_model_change, model, [gatys_group, spatial, style_group, info], api_name=False)
    # The content becomes the canvas for painting the spatial mask.
    content.change(lambda image: {"background": image, "layers": [], "composite": image}, content, editor, api_name=False)
    # The progress bar sits on the status line; the image stays in view.
    stoppable(button, stop, run_stylize, [model, content, *styles, *weights, size, strength, preserve, steps,
                                          content_weight, style_weight, tv_weight, seed, editor], [result, status],
              api_name="stylize", show_progress_on=status, **MODEL_RUN)
    fields = {"model": model, "content": content, "size": size, "strength": strength, "preserve_colors": preserve,
              "seed": seed, "steps": steps, "content_weight": content_weight, "style_weight": style_weight,
              "tv_weight": tv_weight, "editor": editor, "result": result, "status": status,
              **{f"style{i + 1}": s for i, s in enumerate(styles)}, **{f"weight{i + 1}": w for i, w in enumerate(weights)}}
    return content, fields
