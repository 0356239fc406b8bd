"""The Text to image tab, the first a visitor sees: a prompt, text2art-64 (instant) or BigGAN-deep steered by CLIP (streams
as it optimises, Stop keeps the last image), a gallery with each image's CLIP score."""
import time
from pathlib import Path

import gradio as gr

from ..locale import say
from ..pipelines import imagine as pipeline
from ..pipelines.imagine import ImagineSettings
from ..pipelines.imagine_walk import ImagineWalkSettings, imagine_walk
from ..pipelines.runner import settings_for
from ..registry import get_spec, list_models
from . import batch_panel, uploads
from .api_docs import documented
from .common import MODEL_PICK, MODEL_RUN, Replayed, forward_progress, output_dir, stoppable, user_errors
from .controls import control, recorded
from .gpu import on_gpu
from .language import tr
from .send_to import SendFrom
from .visitor import kept

DEFAULT_MODEL = "text2art-64"
SUMMARY = "Images from a prompt (text2art-64 in one pass; biggan-clip streams them as CLIP steers BigGAN-deep): " \
          "-> the gallery (PNG files that carry their replay records; a caption with each CLIP score) and a " \
          "status line."
WALK_SUMMARY = "An animation walking from one prompt's caption embedding to another's (text2art): -> the WebP or " \
               "GIF file, which carries its replay record."
GUIDANCE_FIELDS = ("steps", "learning_rate", "cutouts", "clip")


def caption(art, index: int) -> str:
    score = art.record.get("clip_score")
    return say(f"#{index}" + (f" · CLIP score {score:.1f}" if score is not None else ""))


def status_line(update: pipeline.ImagineUpdate, seconds: float, stopped: bool) -> str:
    state = "done" if update.done else "stopped" if stopped else "optimising"
    progress = f"step {update.step}/{update.steps} · " if update.steps > 1 else ""
    return say(f"{progress}{state} · {seconds:.1f} s" + (f"\n\n{update.notice}" if update.notice else ""))


def imagine_seconds(model, prompt, seed, n, truncation, steps, *args, **kwargs) -> float:
    """GPU time to ask for: the guided steps (text2art is one pass)."""
    return 20 + 0.5 * steps


@kept
@user_errors
@on_gpu(imagine_seconds)
def run_imagine(model, prompt, seed, n, truncation, steps, learning_rate, cutouts, clip, stop_request=None,
                progress=gr.Progress()):
    """Streams the gallery and the status line; the last update's images carry their records and CLIP scores."""
    settings = ImagineSettings(prompt=prompt, seed=seed, n=n, truncation=truncation, steps=steps,
                               learning_rate=learning_rate, cutouts=cutouts, clip=clip)
    folder, start = output_dir(), time.perf_counter()
    for update in pipeline.imagine(model, settings, forward_progress(progress)):
        stopped = stop_request is not None and stop_request.pressed and not update.done
        items = [(str(art.save(folder / f"imagine-{update.step}-{i}.png")), caption(art, i))
                 for i, art in enumerate(update.artworks)]
        yield items, status_line(update, time.perf_counter() - start, stopped)
        if stopped:
            return


@kept
@user_errors
@on_gpu(20)
def run_imagine_walk(model, prompt, prompt_b, seed, frames, fps, truncation, file_format, progress=gr.Progress()):
    settings = ImagineWalkSettings(prompt=prompt, prompt_b=prompt_b, seed=seed, frames=frames, fps=fps,
                                   truncation=truncation)
    if file_format not in ("webp", "gif"):
        raise gr.Error("Format must be webp or gif.")
    animation = imagine_walk(model, settings, forward_progress(progress))
    return str(animation.save(output_dir() / f"walk.{file_format}"))


def replayed(record: dict, output, image_path: str) -> dict:
    return {"imagine_model": record["model"], **{f"imagine_{k}": v for k, v in recorded(ImagineSettings, record).items()},
            "imagine_gallery": [(image_path, f"#{record.get('index', 0)}")]}


def replayed_walk(record: dict, output, animation_path: str) -> dict:
    return {"imagine_model": record["model"],
            **{f"imagine_{k}": v for k, v in recorded(ImagineWalkSettings, record).items()},
            "imagine_walk": gr.Accordion(open=True), "imagine_animation": animation_path,
            "imagine_format": Path(animation_path).suffix[1:]}


REPLAYED = {"imagine": Replayed("imagine", "imagine_status", replayed),
            "imagine_walk": Replayed("imagine", "imagine_status", replayed_walk)}


@user_errors
def on_model_change(model: str):
    """The guidance settings show for a guided model only."""
    return gr.update(visible=get_spec(model, task="imagine").arch in pipeline.GUIDED_ARCHS)


@user_errors
def on_model_pick(model: str):
    """A model the user picks brings its own batch, truncation and steps (BigGAN + CLIP: one image, fewer steps)."""
    s = settings_for("imagine", model, {})
    return s.n, s.truncation, s.steps


def selected_index(event: gr.SelectData) -> int:
    return event.index


def build() -> tuple[SendFrom, dict]:
    """-> what the tab sends to other tabs, and its fields by name."""
    names = [s.name for s in list_models("imagine")]
    with gr.Column():
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                prompt = control(ImagineSettings, "prompt", lines=2, elem_id="imagine-prompt")
                model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), elem_id="imagine-model",
                                    info=tr("text2art-64: instant, genart's own art. biggan-clip: any prompt, seconds a "
                                           "step on a CPU (2.4 s a step at 128 px with 16 cutouts on 2 cores: 40 "
                                           "steps take about 1.5 minutes)."))
                with gr.Row():
                    seed = control(ImagineSettings, "seed", scale=3)
                    n = control(ImagineSettings, "n", value=8, scale=2)
                truncation = control(ImagineSettings, "truncation")
                with gr.Group(visible=False) as guidance:
                    knobs = {k: control(ImagineSettings, k) for k in GUIDANCE_FIELDS[:-1]}
                    knobs["clip"] = control(ImagineSettings, "clip", choices=[s.name for s in list_models("clip")],
                                            allow_custom_value=True)
                with gr.Row():
                    button = gr.Button(tr("Draw"), variant="primary", elem_id="imagine-run")
                    stop = gr.Button(tr("Stop"), variant="stop", elem_id="imagine-stop")
            with gr.Column(scale=2):
                gallery = uploads.gallery(label=tr("Drawn from the prompt"), columns=4, format="png", height="auto",
                                          elem_classes=["pixelated"], interactive=False, elem_id="imagine-gallery")
                status = gr.Markdown(elem_id="imagine-status")
                with gr.Row():
                    to_inpaint = gr.Button(tr("Send to Inpaint"), size="sm", elem_id="imagine-to-inpaint")
                    to_style = gr.Button(tr("Send to Style"), size="sm", elem_id="imagine-to-style")
                chosen = gr.State(0)
        gr.Examples([[e] for e in (*pipeline.EXAMPLES, *pipeline.EXAMPLES_ZH)], inputs=[prompt],
                    label=tr("Try a prompt"))
        with gr.Accordion(tr("Walk between two prompts (text2art)"), open=False) as walk:
            with gr.Row():
                prompt_b = control(ImagineWalkSettings, "prompt_b", scale=3, elem_id="imagine-prompt-b")
                frames = control(ImagineWalkSettings, "frames", scale=1)
                fps = control(ImagineWalkSettings, "fps", scale=1)
                fmt = gr.Radio(["webp", "gif"], value="webp", label=tr("Format"), scale=1)
            walk_button = gr.Button(tr("Walk"), elem_id="imagine-walk-run")
            animation = uploads.image(label=tr("From the prompt to the other"), type="filepath", height=320,
                                      elem_classes=["pixelated", "enlarged"], interactive=False,
                                      elem_id="imagine-animation")
        batch_fields = batch_panel.build("imagine", model, {"seed": seed, "n": n, "truncation": truncation, **knobs})
    model.change(on_model_change, model, guidance, api_name=False)
    model.input(on_model_pick, model, [n, truncation, knobs["steps"]], **MODEL_PICK)
    gallery.select(selected_index, None, chosen, api_name=False)
    fields = {"imagine_model": model, "imagine_prompt": prompt, "imagine_seed": seed, "imagine_n": n,
              "imagine_truncation": truncation, **{f"imagine_{k}": v for k, v in knobs.items()},
              "imagine_gallery": gallery, "imagine_status": status, "imagine_prompt_b": prompt_b,
              "imagine_frames": frames, "imagine_fps": fps, "imagine_format": fmt, "imagine_walk": walk,
              "imagine_animation": animation, **batch_fields}
    walk_button.click(run_imagine_walk, [model, prompt, prompt_b, seed, frames, fps, truncation, fmt], animation,
                      api_name="imagine_walk",
                      api_description=documented(run_imagine_walk, ImagineWalkSettings, WALK_SUMMARY), **MODEL_RUN)
    stoppable(button, stop, run_imagine, [model, prompt, seed, n, truncation, *knobs.values()], [gallery, status],
              api_name="imagine", api_description=documented(run_imagine, ImagineSettings, SUMMARY),
              show_progress_on=status, **MODEL_RUN)
    return SendFrom(gallery, chosen, to_inpaint, to_style), fields
