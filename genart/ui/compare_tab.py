"""The Compare tab: one input, several models, optionally one swept parameter; a labelled grid with time and memory."""
import gradio as gr
from gradio import FileData

from .. import catalog
from ..audio.synth import INSTRUMENTS
from ..data.procedural import CLASSES
from ..locale import say
from ..pipelines import compare as pipeline
from ..pipelines.compare_grid import grid_artwork, grid_image, zip_bytes
from ..pipelines.images import open_image
from ..pipelines.runner import TASKS as DECLARED
from ..pipelines.settings import sweepable
from ..registry import TASKS, get_spec
from . import uploads
from .common import BRUSH, MODEL_RUN, Replayed, forward_progress, output_dir, painted_mask, procedural_example, stoppable, user_errors
from .controls import controls
from .gpu import on_gpu
from .language import tr, translated_table
from .repair_tab import clip_of
from .visitor import kept

DEFAULT_MODELS = {"imagine": ["text2art-64"], "generate": ["dcgan-art-64", "procedural-art"],
                  "inpaint": ["inpaint-art", "telea", "mean-fill"],
                  "restore": ["denoise-art", "bilateral-filter", "median-filter"],
                  "style": ["fast-stained-glass", "fast-flow-field", "gatys-random"], "text": ["text-art", "text-art-lstm"],
                  "melody": ["melody-lstm", "melody-transformer"],
                  "repair": ["audio-repair-vae", "lpc-interpolation", "silence"]}
DEFAULT_SWEEP = {"imagine": "seed", "generate": "seed",
                 "inpaint": "", "restore": "", "style": "", "text": "seed", "melody": "seed", "repair": ""}
DEFAULT_VALUES = {"imagine": "1, 2, 3", "generate": "1, 2, 3", "text": "1, 2", "melody": "1, 2"}
# The settings each task's form shows, and where Compare starts lower than a tab does, so that a grid comes quickly.
FIELDS = {"imagine": ("prompt", "seed", "truncation", "steps"), "generate": ("seed", "label", "truncation"),
          "inpaint": ("grow", "feather"),
          "restore": ("noise_level",), "style": ("seed", "size", "strength", "steps"),
          "text": ("prompt", "seed", "max_new_tokens", "temperature", "n", "chat"),
          "melody": ("primer", "seed", "bars", "temperature", "instrument"),
          "repair": ("gap_start", "gap_ms", "find_clicks")}
QUICK = {"generate": {"label": {"choices": list(CLASSES), "value": "mandala", "info": None}},
         "style": {"size": {"value": 256}, "steps": {"value": 50}},
         "text": {"prompt": {"value": get_spec(DEFAULT_MODELS["text"][0]).defaults["prompt"], "lines": 3},
                  "max_new_tokens": {"value": 48}},
         "melody": {"primer": {"value": get_spec(DEFAULT_MODELS["melody"][0]).defaults["primer"]},
                    "bars": {"value": 4}, "instrument": {"choices": list(INSTRUMENTS)}}}
EXAMPLE_IMAGES = [("stained_glass", 9), ("landscape", 4), ("mondrian", 2), ("mandala", 5)]
COLUMNS = ["model", "value", "seconds", "peak memory (MB)", "result"]


def model_names(task: str) -> list[str]:
    return [s.name for s in catalog.all_specs() if s.task == task]


def task_form(task: str, models: list[str] | None = None, sweep: str | None = None, values: str | None = None):
    """Models, sweep choices, and which of the image, mask, style image and each task's settings are visible; the
    task's defaults unless given."""
    sweeps = [(tr("(none)"), "")] + [(name, name) for name in sweepable(DECLARED[task].settings)]
    pictures = set(pipeline.task_inputs(task, "image", "mask", "style", "audio").values())  # which of them it reads
    return (gr.update(choices=model_names(task), value=DEFAULT_MODELS[task] if models is None else models),
            gr.update(choices=sweeps, value=DEFAULT_SWEEP[task] if sweep is None else sweep),
            gr.update(value=DEFAULT_VALUES.get(task, "") if values is None else values),
            *[gr.update(visible=picture in pictures) for picture in ("image", "mask", "style", "audio")],
            *[gr.update(visible=t == task) for t in TASKS])


def no_cells() -> dict:
    """The cells' table before a comparison, its column names in the request's language."""
    return translated_table(COLUMNS, [])


def table(c: pipeline.Comparison) -> dict:
    """The cells as rows; the value column is named after the swept parameter."""
    rows = []
    for cell in c.cells:
        memory = None if cell.usage.peak_bytes is None else round(cell.usage.peak_bytes / 2**20)
        score = cell.clip_score()
        result = cell.error or (" | ".join(cell.output.shown_texts()) if cell.output.texts else
                                f"CLIP score {score:.1f}" if score is not None else "ok")
        rows.append([cell.model, "" if cell.value is None else cell.value, round(cell.usage.seconds, 3), memory, result])
    return translated_table([COLUMNS[0], c.sweep or "(no sweep)", *COLUMNS[2:]], rows)


def files(c: pipeline.Comparison) -> tuple[str, str]:
    """The grid PNG (it replays the whole comparison) and the zip of every cell, written for download."""
    folder = output_dir()
    grid = grid_artwork(c).save(folder / "compare-grid.png")
    archive = folder / "compare.zip"
    archive.write_bytes(zip_bytes(c))
    return str(grid), str(archive)


def cell_sounds(c: pipeline.Comparison) -> list[tuple[str, str]]:
    """Each cell's sound (a melody's) as a WAV with its record: (the cell's label, the file)."""
    folder, sounds = output_dir(), []
    for i, cell in enumerate(c.cells):
        if cell.output is not None and cell.output.sound is not None:
            label = cell.model + ("" if cell.value is None else f" · {c.sweep} = {cell.value}")
            sounds.append((label, str(cell.output.sound.save(folder / f"cell-{i + 1}.wav"))))
    return sounds


def listen(index, sounds: list[tuple[str, str]]):
    """The picked cell's sound; `sounds` is the session's own list (server-side state), so no path comes from outside."""
    if not isinstance(index, int) or not 0 <= index < len(sounds):
        return None
    return sounds[index][1]


def players(c: pipeline.Comparison) -> tuple:
    """The cell picker, the player on its first cell, and the list behind them; hidden when no cell has sound."""
    sounds = cell_sounds(c)
    return (gr.update(choices=[label for label, _ in sounds], value=sounds[0][0] if sounds else None,
                      visible=bool(sounds)),
            gr.update(value=sounds[0][1] if sounds else None, visible=bool(sounds)), sounds)


def shown(c: pipeline.Comparison, done: bool, stopped: bool = False) -> tuple:
    """The grid, the table, the two downloads (once complete, or stopped), the status line, and the players."""
    total = len(c.models) * max(1, len(c.values))
    failed = sum(bool(cell.error) for cell in c.cells)
    status = say(f"{len(c.cells)} of {total} cells" + (f" · {failed} failed" if failed else "") +
                 (" · stopped" if stopped else ""))
    if not done:
        return grid_image(c), table(c), gr.update(), gr.update(), status + " · " + say("running"), gr.update(), gr.update(), \
            gr.update()
    grid, archive = files(c)
    return grid, table(c), gr.update(value=grid, visible=True), gr.update(value=archive, visible=True), status, \
        *players(c)


def stream(comparisons, stop_request=None) -> tuple:
    """The grid as it fills; Stop ends it after the cell running now, with the cells so far to download."""
    c = None
    for c in comparisons:
        if len(c.cells) < len(c.models) * max(1, len(c.values)):
            if stop_request is not None and stop_request.pressed:
                yield shown(c, True, stopped=True)
                return
            yield shown(c, False)
    yield shown(c, True)


def compare_seconds(task, models, values: str) -> float:
    """GPU time to ask for: a slow model's share for every cell."""
    return 30 * len(models) * max(1, len(str(values).split(",")))


def form_values(task: str, values: tuple) -> dict:
    """Every task's settings controls' values, in FIELDS' order -> the settings of `task` by name."""
    start = sum(len(FIELDS[t]) for t in TASKS[:TASKS.index(task)])
    return dict(zip(FIELDS[task], values[start:start + len(FIELDS[task])]))


@kept
@user_errors
@on_gpu(lambda task, models, sweep, values, *args, **kwargs: compare_seconds(task, models, values))
def run_compare(task, models, sweep, values, describe, editor, mask_image, style, recording, *settings,
                progress=gr.Progress()):
    """settings: every task's controls in FIELDS' order, then the session's StopRequest."""
    *settings, stop_request = settings
    pipeline.compared_task(task)
    mask = mask_image if mask_image is not None else painted_mask(editor)
    inputs = pipeline.task_inputs(task, (editor or {}).get("background"), mask, style, clip_of(recording))
    yield from stream(pipeline.compare(task, models, form_values(task, tuple(settings)), inputs, sweep or None,
                                       pipeline.parse_values(task, sweep or None, values), forward_progress(progress),
                                       describe),
                      stop_request)


@kept
@user_errors
@on_gpu(lambda task="generate", models=None, params=None, sweep="", values="", *args:
        compare_seconds(task, models or DEFAULT_MODELS.get(task, []), values))
def compare_api(task: str = "generate", models: list[str] | None = None, params: dict | None = None, sweep: str = "",
                values: str = "", image: FileData | None = None, mask: FileData | None = None,
                style: FileData | None = None, audio: FileData | None = None,
                describe: str = "") -> tuple[FileData, FileData, list[dict]]:
    """Run every model on one input (and each value of the swept parameter): -> the labelled grid PNG, a zip of
    every cell's output with its replay record, and per cell: model, swept value, seconds, peak memory (MB), and the
    completions (text) or the error, and with a description its CLIP score. params: the task's settings by name (seed,
    label, prompt, grow...). audio: the recording to repair (a WAV upload). describe: a sentence to score every image
    cell against in CLIP (clip-vit-b32)."""
    pictures = {name: open_image(uploads.api_file(f)) if f else None for name, f in (("image", image), ("mask", mask), ("style", style))}
    comparisons = pipeline.compare(task, models or DEFAULT_MODELS.get(task, []), params or {},
                                   pipeline.task_inputs(task, **pictures, audio=clip_of(uploads.api_file(audio))),
                                   sweep or None,
                                   pipeline.parse_values(task, sweep or None, values), describe=describe)
    *_, c = comparisons
    grid, archive = files(c)
    return FileData(path=grid), FileData(path=archive), [cell.summary(c.sweep) for cell in c.cells]


def recording_file(inputs: dict) -> str | None:
    """A comparison's recording (a repair's) as a WAV for the tab's player; None for the other tasks."""
    if inputs.get("audio") is None:
        return None
    path = output_dir() / "recording.wav"
    path.write_bytes(inputs["audio"].wav())
    return str(path)


def replayed(record: dict, c: pipeline.Comparison, path: None) -> dict:
    """The tab's fields for a remade comparison: task, models, sweep, every setting, and the new grid."""
    task, params = record["compared_task"], record["params"]
    models, sweep, values, *visible = task_form(task, c.models, record.get("sweep") or "",
                                                pipeline.values_text(record.get("values") or []))
    inputs = c.inputs
    image = inputs.get("image") or inputs.get("content")
    editor = {"background": image, "layers": [], "composite": image} if image else None
    grid, rows, grid_file, zip_file, status, pick, player, sounds = shown(c, True)
    return {"task": task, "models": models, "sweep": sweep, "values": values,
            "describe": record.get("describe") or "", "editor": editor, "mask_image": inputs.get("mask"),
            "style": inputs.get("style1"), "recording": recording_file(inputs),
            "grid": grid, "cells": rows,
            "grid_file": grid_file, "zip_file": zip_file, "status": status, "pick": pick, "player": player,
            "sounds": sounds,
            **{f"{task}.{k}": v for k, v in params.items() if k in FIELDS[task]},
            **{f"group{i}": v for i, v in enumerate(visible)}}


REPLAYED = {"compare": Replayed("compare", "status", replayed)}


def build():
    """-> the components replay fills in: by name, and each task's settings as task.name."""
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            task = gr.Radio([(tr(name), name) for name in TASKS], value="generate", label=tr("Task"),
                            elem_id="compare-task")
            models = gr.Dropdown(model_names("generate"), value=DEFAULT_MODELS["generate"], multiselect=True,
                                 allow_custom_value=True, label=tr("Models (up to {n})", n=pipeline.MAX_MODELS),
                                 elem_id="compare-models", info=tr("Each becomes a column; hf-hub:org/name ids too."))
            with gr.Row(equal_height=True):
                sweep = gr.Dropdown([(tr("(none)"), ""), ("seed", "seed"), ("truncation", "truncation")], value="seed",
                                    label=tr("Sweep (one row per value)"), elem_id="compare-sweep")
                values = gr.Textbox("1, 2, 3", label=tr("Values (up to {n})", n=pipeline.MAX_VALUES), elem_id="compare-values",
                                    info=tr("Numbers separated by commas; prompts and labels by '|'."))
            describe = gr.Textbox("", label=tr("Describe (optional)"), max_length=pipeline.MAX_DESCRIPTION,
                                  placeholder=tr("a mandala in teal and gold"), elem_id="compare-describe",
                                  info=tr("Scores every image cell against this sentence in CLIP (clip-vit-b32, "
                                         "100 x cosine)."))
            with gr.Group(visible=False) as image_group:
                editor = uploads.image_editor(type="pil", label=tr("Image (Inpaint: paint the hole) / Content (Style)"),
                                              brush=gr.Brush(colors=[BRUSH], default_size=28, color_mode="fixed"),
                                              layers=False, height=320, elem_id="compare-image")
                gr.Examples([[procedural_example(name, seed)] for name, seed in EXAMPLE_IMAGES], inputs=[editor],
                            label=tr("Try an image"), elem_id="compare-examples")
            with gr.Group(visible=False) as mask_group:
                mask_image = uploads.image(type="pil", label=tr("Or upload a mask (Inpaint; white = fill)"), height=140,
                                           elem_id="compare-mask")
            with gr.Group(visible=False) as audio_group:
                recording = uploads.audio(label=tr("Recording (WAV)"), type="filepath", sources=["upload"],
                                          elem_id="compare-audio")
            with gr.Group(visible=False) as style_group:
                style = uploads.image(type="pil", label=tr("Style image"), height=160)
                gr.Examples([[procedural_example("stained_glass", 11)], [procedural_example("landscape", 4)]],
                            inputs=[style], label=tr("Style images"))
            knobs, groups = {}, []
            for t in TASKS:
                with gr.Group(visible=t == "generate") as group:
                    made = controls(DECLARED[t].settings, FIELDS[t], **QUICK.get(t, {}))
                knobs |= {f"{t}.{k}": v for k, v in made.items()}
                groups.append(group)
            with gr.Row():
                button = gr.Button(tr("Compare"), variant="primary", elem_id="compare-run")
                stop = gr.Button(tr("Stop"), variant="stop", elem_id="compare-stop")
        with gr.Column(scale=2):
            status = gr.Markdown(elem_id="compare-status")
            grid = uploads.image(type="filepath", label=tr("Grid"), show_label=False, format="png", elem_id="compare-grid",
                                 interactive=False)
            with gr.Row():
                grid_file = gr.DownloadButton(tr("Download grid (PNG)"), visible=False, elem_id="compare-download-grid")
                zip_file = gr.DownloadButton(tr("Download cells (zip)"), visible=False, elem_id="compare-download-zip")
            with gr.Row(equal_height=True):
                pick = gr.Dropdown([], type="index", label=tr("Listen to a cell"), visible=False, scale=1,
                                   elem_id="compare-listen")
                player = gr.Audio(type="filepath", interactive=False, visible=False, show_label=False, scale=2,
                                  elem_id="compare-player")
            sounds = gr.State([])
            cells = gr.Dataframe(headers=COLUMNS, label=tr("Cells"), interactive=False, wrap=True)
            gr.Markdown(tr("Peak memory is the GPU's peak allocated memory, or on a CPU the whole process's peak resident "
                          "memory (loaded models, and any request running beside this one, included)."))
    shown_groups = [image_group, mask_group, style_group, audio_group, *groups]
    task.input(task_form, task, [models, sweep, values, *shown_groups], api_name=False)
    # The API has its own endpoint with plain arguments; the button streams the grid as it fills.
    stoppable(button, stop, run_compare, [task, models, sweep, values, describe, editor, mask_image, style, recording,
                                          *knobs.values()],
              [grid, cells, grid_file, zip_file, status, pick, player, sounds], api_name=False, show_progress_on=status,
              **MODEL_RUN)
    pick.input(listen, [pick, sounds], player, api_name=False)
    gr.api(compare_api, api_name="compare", **MODEL_RUN)
    return {"task": task, "models": models, "sweep": sweep, "values": values, "describe": describe, "editor": editor,
            "mask_image": mask_image,
            "style": style, "recording": recording, **knobs, "grid": grid, "cells": cells, "grid_file": grid_file,
            "zip_file": zip_file,
            "pick": pick, "player": player, "sounds": sounds,
            "status": status, **{f"group{i}": g for i, g in enumerate(shown_groups)}}
