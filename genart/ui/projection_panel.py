"""The Generate tab's Project a photo panel (a StyleGAN): a photo into the generator's W, streamed as it optimises;
Stop keeps the last image. The w found can then be mixed like a seed's (the Style mixing panel's first row)."""
import json
import time

import gradio as gr

from ..locale import say
from ..pipelines.projection import DISTANCE_MODELS, ProjectSettings, project
from . import uploads
from .api_docs import documented
from .common import MODEL_RUN, Replayed, forward_progress, output_dir, stoppable, user_errors
from .controls import control, controls, recorded
from .gpu import on_gpu
from .language import tr
from .visitor import kept

FIELDS = ("steps", "learning_rate", "w_plus", "distance", "seed", "label")  # the API's arguments after model and image
SUMMARY = "Project a photo into a StyleGAN's W (NVlabs' projector): streams the generator's image of the w being " \
          "optimised -> that image (the last a PNG that carries its replay record, with the w found), a status " \
          "line, and the w as JSON (what the Style mixing panel takes as its first row)."


def status_line(update, seconds: float, stopped: bool) -> str:
    state = "done" if update.done else "stopped" if stopped else "optimising"
    distance = f" · distance {update.distance:.4f}" if update.step else ""
    return say(f"step {update.step}/{update.steps}{distance} · {state} · {seconds:.1f} s")


def project_seconds(model, image, steps, *args, **kwargs) -> float:
    """GPU time to ask for: a step is a forward and a backward pass of the generator."""
    return 30 + steps


@kept
@user_errors
@on_gpu(project_seconds)
def run_project(model, image, steps, learning_rate, w_plus, distance, seed, label, stop_request=None,
                progress=gr.Progress()):
    """Streams the image and the status line; the last update's image carries the record, and the w goes out as JSON."""
    settings = ProjectSettings(steps=steps, learning_rate=learning_rate, w_plus=w_plus, distance=distance, seed=seed,
                               label=label or None)
    folder, start = output_dir(), time.perf_counter()
    for update in project(model, image, settings, forward_progress(progress)):
        stopped = stop_request is not None and stop_request.pressed and not update.done
        w = json.dumps(update.artwork.record["w"]) if update.done else ""
        yield (str(update.artwork.save(folder / f"projected-{update.step}.png")),
               status_line(update, time.perf_counter() - start, stopped), w)
        if stopped:
            return


def replayed(record: dict, output, image_path: str) -> dict:
    """The panel's fields for a remade projection: the photo, its settings, the image and its w, opened."""
    values = recorded(ProjectSettings, record)
    return {"model": record["model"], "label": values.pop("label", None), "project_photo": output.inputs["image"],
            **{f"project_{k}": v for k, v in values.items()}, "project_result": image_path,
            "project_w": json.dumps(record["w"]), "projecting": gr.Accordion(open=True)}


def build(model: gr.Dropdown, label: gr.Dropdown) -> dict:
    """-> the panel's fields by name (its settings as project_<name>); the class is the tab's."""
    with gr.Accordion(tr("Project a photo (a StyleGAN)"), open=False, visible=False) as panel:
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                photo = uploads.image(type="pil", label=tr("Your photo (its centre square is projected)"), height=240,
                                      elem_id="project-photo")
                knobs = controls(ProjectSettings, ("steps", "learning_rate", "w_plus"))
                knobs["distance"] = control(ProjectSettings, "distance", choices=list(DISTANCE_MODELS))
                knobs["seed"] = control(ProjectSettings, "seed")
                with gr.Row():
                    button = gr.Button(tr("Project"), variant="primary", elem_id="project-run")
                    stop = gr.Button(tr("Stop"), variant="stop", elem_id="project-stop")
            with gr.Column(scale=1, min_width=260):
                result = uploads.image(label=tr("The generator's image of the w found"), type="filepath",
                                       interactive=False, elem_classes=["pixelated", "enlarged"], height=320,
                                       elem_id="project-result")
                status = gr.Markdown(elem_id="project-status")
                w = gr.Textbox(label=tr("The w found (JSON)"), lines=2, max_lines=4, interactive=False,
                               elem_id="project-w")
                to_mix = gr.Button(tr("Mix it with seeds (Style mixing)"), size="sm", elem_id="project-to-mix")
    knobs["label"] = label
    stoppable(button, stop, run_project, [model, photo, *(knobs[k] for k in FIELDS)], [result, status, w],
              api_name="project", api_description=documented(run_project, ProjectSettings, SUMMARY, FIELDS),
              **MODEL_RUN)
    return {"projecting": panel, "project_photo": photo, "project_result": result, "project_status": status,
            "project_w": w, "project_to_mix": to_mix, **{f"project_{k}": v for k, v in knobs.items() if k != "label"}}


REPLAYED = {"project": Replayed("generate", "project_status", replayed)}
