"""The Audio tab's Repair panel: a recording (uploaded, or the melody just made) and where it is damaged (a gap by its
start and length, or "find clicks"); before and after to hear, both spectrograms to see, the repaired WAV to keep."""
import inspect
from pathlib import Path

import gradio as gr
from gradio import FileData

from ..errors import GenartError
from ..locale import say
from ..pipelines.repair import RepairSettings, read_clip, repair
from ..pipelines.task import Output
from ..registry import get_spec, list_models
from .api_docs import documented
from .common import MODEL_RUN, Replayed, output_dir, user_errors
from .controls import controls, recorded
from .gpu import on_gpu
from .language import tr
from .limits import current_limits
from .uploads import api_file
from .uploads import audio as upload_audio
from .visitor import kept

DEFAULT_MODEL = "audio-repair-vae"
DEFAULTS = RepairSettings()
FIELDS = ("gap_start", "gap_ms", "find_clicks")  # the event's order, after the model and the recording
PREFIX = "repair."  # the panel's fields share the Audio tab's table with the melody panel's


def clip_of(path: str | None):
    """The recording at an uploaded path, its size checked before it is read."""
    if path is None:
        return None
    size = Path(path).stat().st_size
    limit = current_limits().max_file_mb
    if size > limit * 1e6:
        raise GenartError(f"This recording is {size / 1e6:.1f} MB; upload at most {limit:g} MB.")
    return read_clip(Path(path).read_bytes())


def saved(output: Output, stem: str = "repaired") -> tuple[str, str]:
    folder = output_dir()
    return str(output.sound.save(folder / f"{stem}.wav")), str(output.artwork().save(folder / f"{stem}.png"))


def status_line(output: Output) -> str:
    r = output.record
    what = f"{r['spans']} clicks repaired" if r["find_clicks"] else f"{r['gap_ms']:g} ms filled at {r['gap_start']:g} s"
    return say(f"{what} by {r['model']}." + (f" {output.notice}" if output.notice else ""))


@kept
@user_errors
@on_gpu(30)
def run_repair(model, path, *values):
    """-> the spectrograms, the repaired sound, its files and the status line."""
    output = repair(model, clip_of(path), RepairSettings(**dict(zip(FIELDS, values))))
    wav, png = saved(output)
    return png, wav, gr.update(value=[wav, png], visible=True), status_line(output)


@kept
@user_errors
@on_gpu(30)
def repair_api(model: str = DEFAULT_MODEL, audio: FileData | None = None, gap_start: float = DEFAULTS.gap_start,
               gap_ms: float = DEFAULTS.gap_ms, find_clicks: bool = DEFAULTS.find_clicks) -> tuple[FileData, FileData, dict]:
    """Repair a recording (a WAV upload): fill the gap from gap_start (seconds) lasting gap_ms, or with find_clicks
    the clicks found all through it. -> the repaired WAV (it carries the input and the replay record), the
    spectrograms before and after (PNG), and the record."""
    output = repair(model, clip_of(api_file(audio)), RepairSettings(gap_start, gap_ms, find_clicks))
    wav, png = saved(output)
    return FileData(path=wav), FileData(path=png), output.record


REPAIR_API_DESCRIPTION = documented(repair_api, RepairSettings, inspect.getdoc(repair_api))


@user_errors
def describe(model: str) -> str:
    return say(get_spec(model, task="repair").description)


def replayed(record: dict, output: Output, path: str | None) -> dict:
    """The panel's fields for a remade repair: every setting, the input recording, the spectrograms and the sound."""
    wav, png = saved(output, "replay")
    original = output.sound.inputs["audio"].wav()
    source = output_dir() / "recording.wav"
    source.write_bytes(original)
    return {"mode": "repair", f"{PREFIX}model": record["model"],
            **{PREFIX + k: v for k, v in recorded(RepairSettings, record).items()}, f"{PREFIX}input": str(source),
            f"{PREFIX}picture": png, f"{PREFIX}output": wav, f"{PREFIX}files": gr.update(value=[wav, png], visible=True),
            f"{PREFIX}status": status_line(output)}


REPLAYED = {"repair": Replayed("audio", f"{PREFIX}status", replayed)}


def build(melody_audio: gr.Audio):
    """melody_audio: the melody panel's player, which "Use the melody" copies into this panel's recording."""
    names = [s.name for s in list_models("repair")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Method"), elem_id="repair-model")
            about = gr.Markdown(tr(get_spec(DEFAULT_MODEL).description))
            recording = upload_audio(label=tr("Recording (WAV)"), type="filepath", sources=["upload"],
                                     elem_id="repair-input")
            take = gr.Button(tr("Use the melody from the Melody panel"), size="sm", elem_id="repair-take-melody")
            knobs = controls(RepairSettings, FIELDS, gap_start={"elem_id": "repair-gap-start"},
                             gap_ms={"elem_id": "repair-gap-ms"}, find_clicks={"elem_id": "repair-find-clicks"})
            button = gr.Button(tr("Repair"), variant="primary", elem_id="repair-run")
        with gr.Column(scale=2):
            status = gr.Markdown(elem_id="repair-status")
            picture = gr.Image(label=tr("Spectrograms: before, after (the repaired spans marked red)"), type="filepath",
                               format="png", interactive=False, elem_id="repair-picture")
            after = gr.Audio(label=tr("After"), type="filepath", interactive=False, elem_id="repair-output")
            files = gr.File(label=tr("Repaired WAV (it carries the recording and its record) and spectrograms"),
                            file_count="multiple", visible=False, interactive=False, elem_id="repair-files")
    model.change(describe, model, about, api_name=False, show_progress_on=status)
    take.click(lambda path: path, melody_audio, recording, api_name=False)
    button.click(run_repair, [model, recording, *knobs.values()], [picture, after, files, status], api_name=False,
                 show_progress_on=status, **MODEL_RUN)
    gr.api(repair_api, api_description=REPAIR_API_DESCRIPTION, api_name="repair", **MODEL_RUN)
    return {PREFIX + k: v for k, v in {"model": model, "input": recording, **knobs, "picture": picture,
                                         "output": after, "files": files, "status": status}.items()}
