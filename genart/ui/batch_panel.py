"""A Batch panel under a tab whose task takes one: many images (or a zip of them, or prompts one a line) through the
tab's model and settings -> a contact sheet and a zip of the outputs with their log, with progress and Stop.

Bounded by the limits declaration (inputs a batch, megapixels a batch, the time limit). A visitor's batches of a
task share one folder while it lives, so running the same files again goes on where a Stop or the time limit left
off: inputs already done with the same settings are skipped.
"""
import hashlib
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import gradio as gr
from PIL import Image

from ..errors import GenartError
from ..locale import say
from ..pipelines import batch
from ..pipelines.runner import task
from . import uploads
from .api_docs import documented
from .common import MODEL_RUN, OUTPUT_ROOT, output_dir, stoppable, user_errors
from .gpu import on_gpu
from .language import tr
from .limits import current_limits
from .visitor import owner

# (the values of the panel's inputs by name) -> (the images every input shares by input name, the settings by name)
Reader = Callable[[dict], tuple[dict[str, Image.Image], dict]]


def read_by_name(t) -> Reader:
    """The plain reading: the values named after the task's inputs are shared images, the rest settings."""
    def read(values: dict) -> tuple[dict, dict]:
        shared = {n: v for n, v in values.items() if n in t.inputs and v is not None}
        return shared, {n: v for n, v in values.items() if n not in t.inputs}
    return read


def batch_folder(task_name: str) -> Path:
    """The folder of this visitor's batches of the task (a fresh one where the server cannot tell who asks)."""
    who = owner()
    if who is None:
        return output_dir()
    folder = OUTPUT_ROOT / f"batch-{hashlib.sha256(f'{who}|{task_name}'.encode()).hexdigest()[:24]}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def items_from(source, prompts: bool) -> list[batch.Item]:
    if prompts:
        if not isinstance(source, str):
            raise GenartError("Send the prompts as one text, one prompt a line.")
        return batch.prompt_items(source)
    files = source if isinstance(source, list) else [] if source is None else [source]
    return batch.file_items([Path(uploads.upload_path(getattr(f, "path", f))) for f in files])


def progress_line(done: list[batch.Done], total: int, seconds: float, end: str = "") -> str:
    made, skipped, failed, notices = batch.tally(done)
    line = f"{len(done)}/{total} inputs · {made} outputs made · {skipped} skipped (done before) · {len(failed)} " \
           f"failed · {seconds:.1f} s"
    listed = "".join(f"\n- {d.item}: {d.error}" for d in failed[:20]) + \
        "".join(f"\n- {n} input(s): {notice}" for notice, n in notices.items())
    return say(f"{line}{' · ' + end if end else ''}{listed}")


def make_event(task_name: str, names: list[str], read: Reader, summary: str):
    """The panel's event: fn(model, source, *values named `names`, stop_request), streaming (status, sheet, zip)."""
    t = task(task_name)
    prompts = not batch.varies_image(t)

    @user_errors
    @on_gpu(lambda *args, **kwargs: current_limits().event_seconds)
    def run_batch(model, source, *values):
        *values, stop_request = values
        limits, start = current_limits(), time.perf_counter()
        items = items_from(source, prompts)
        batch.check_size(items, limits.batch_files, int(limits.batch_megapixels * 1e6))
        shared, params = read(dict(zip(names, values)))
        folder = batch_folder(task_name)
        deadline = start + 0.9 * limits.event_seconds  # end with the results in hand, before the limit cuts it off
        done = []
        yield progress_line(done, len(items), 0.0, "starting"), None, None
        for d in batch.run_batch(task_name, model, params, items, shared, folder,
                                 lambda: stop_request.pressed or time.perf_counter() > deadline):
            done.append(d)
            yield progress_line(done, len(items), time.perf_counter() - start), gr.skip(), gr.skip()
        end = "finished" if len(done) == len(items) else \
            "stopped: run the same inputs again to go on (what is done is skipped)"
        sheet = batch.contact_sheet(folder, done)
        archive = batch.zip_results(folder, done, output_dir() / f"{task_name}-batch.zip")
        yield progress_line(done, len(items), time.perf_counter() - start, end), str(sheet), str(archive)

    about = {"source": "Prompts, one a line." if prompts else
             "Images (PNG, JPEG, WebP) or zips of them: a list of uploads (gradio_client's handle_file)."}
    description = documented(run_batch, t.settings, summary, [*names, "stop_request"], about)
    return run_batch, description


def build(task_name: str, model: gr.components.Component, inputs: Mapping[str, gr.components.Component],
          read: Reader | None = None) -> dict:
    """The panel, in an accordion under the tab's own controls; `inputs`: the tab's components whose values every
    input of the batch shares (settings, and images such as a mask), by name. -> its fields by name."""
    t = task(task_name)
    prompts = not batch.varies_image(t)
    limits = current_limits()
    what = "prompts" if prompts else "images"
    with gr.Accordion(tr("Batch: many {what} at once", what=what), open=False, elem_id=f"batch-{task_name}"):
        gr.Markdown(tr("Every input goes through the model and settings above. Up to {files} inputs and {megapixels} "
                       "megapixels a batch; Stop (or the server's time limit) keeps what is done, and running the same "
                       "inputs again goes on from there.", files=limits.batch_files,
                       megapixels=f"{limits.batch_megapixels:g}"))
        if prompts:
            source = gr.Textbox(lines=5, label=tr("Prompts, one a line"), elem_id=f"batch-{task_name}-source")
        else:
            source = uploads.file(file_count="multiple", file_types=[*batch.IMAGE_SUFFIXES, ".zip"],
                                  label=tr("Images, or zips of them"), height=200, elem_id=f"batch-{task_name}-source")
        with gr.Row():
            run = gr.Button(tr("Run the batch"), variant="primary", elem_id=f"batch-{task_name}-run")
            stop = gr.Button(tr("Stop"), variant="stop", elem_id=f"batch-{task_name}-stop")
        status = gr.Markdown(elem_id=f"batch-{task_name}-status")
        with gr.Row():
            sheet = gr.Image(type="filepath", label=tr("Contact sheet"), interactive=False, height=360,
                             elem_id=f"batch-{task_name}-sheet")
            archive = gr.File(label=tr("The outputs, their log and the sheet (zip)"), interactive=False,
                              elem_id=f"batch-{task_name}-zip")
    summary = f"Run {task_name} over many {what} with one model and one set of settings: -> (streamed) a status " \
              "line, then a contact sheet (JPEG) and a zip of the outputs (PNGs with their replay records), the " \
              "batch's JSONL log and the sheet."
    event, description = make_event(task_name, list(inputs), read or read_by_name(t), summary)
    stoppable(run, stop, event, [model, source, *inputs.values()], [status, sheet, archive],
              api_name=f"batch_{task_name}", api_description=description, show_progress_on=status, **MODEL_RUN)
    return {f"batch_{task_name}_{k}": v for k, v in
            {"source": source, "status": status, "sheet": sheet, "zip": archive}.items()}
