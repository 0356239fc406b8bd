"""The Audio tab's Melody panel: a primer (typed, or the first notes of an uploaded MIDI file) and the sampling
settings in; the piano roll grows bar by bar, then the melody plays (WAV) and downloads as WAV, MIDI and PNG."""
import inspect
import random
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import gradio as gr
from gradio import FileData

from ..audio.events import STEPS_PER_BAR, events_to_notes, parse_primer, primer_text
from ..audio.midi import read_midi_notes
from ..audio.synth import INSTRUMENTS
from ..errors import GenartError
from ..locale import say
from ..pipelines import melody as pipeline
from ..pipelines.checks import MAX_SEED
from ..pipelines.melody import MelodySettings
from ..pipelines.settings import check_value, setting
from ..pipelines.task import Output
from ..registry import get_spec, list_models
from .api_docs import documented
from .common import MODEL_PICK, MODEL_RUN, Replayed, forward_progress, output_dir, stoppable, user_errors
from .controls import control, controls, recorded
from .gpu import on_gpu
from .language import tr
from .limits import current_limits
from .uploads import audio as upload_audio
from .uploads import file as upload_file
from .visitor import kept

DEFAULT_MODEL = "melody-lstm"
DEFAULTS = MelodySettings()
FIELDS = ("primer", "bars", "seed", "temperature", "top_k", "top_p", "tempo", "instrument")  # the event's order
MODEL_SUGGESTS = ("bars", "temperature", "top_k", "top_p")


def stream(model, *values, progress=None) -> Iterator[pipeline.MelodyUpdate]:
    """values: the settings in FIELDS' order."""
    return pipeline.generate_melody(model, MelodySettings(**dict(zip(FIELDS, values))), progress)


def saved(output: Output, stem: str = "melody") -> list[str]:
    """The melody's three files, each with the record: the sound, the notes and the piano roll."""
    folder = output_dir()
    return [str(output.sound.save(folder / f"{stem}.wav")), str(output.sound.save(folder / f"{stem}.mid")),
            str(output.artwork().save(folder / f"{stem}.png"))]


def status_line(update: pipeline.MelodyUpdate, bars: int, stopped: bool = False) -> str:
    state = "done" if update.done else "stopped" if stopped else "sampling"
    return say(f"{update.steps // STEPS_PER_BAR} of {bars} bars · {state}")


def melody_seconds(model, primer, bars, *args, **kwargs) -> float:
    return 15 + 2 * bars


@kept
@user_errors
@on_gpu(melody_seconds)
def run_melody(*args, progress=gr.Progress()):
    """Yields the piano roll as it grows, then the sound and the files. The last argument is the session's StopRequest:
    a pressed Stop keeps the roll so far and ends the stream."""
    *args, stop_request = args
    bars = args[1 + FIELDS.index("bars")]
    with closing(stream(*args, progress=forward_progress(progress))) as updates:
        for update in updates:
            stopped = stop_request.pressed and not update.done
            if update.done:
                files = saved(update.output)
                yield update.roll, files[0], gr.update(value=files, visible=True), status_line(update, bars)
                return
            yield update.roll, gr.update(), gr.update(), status_line(update, bars, stopped)
            if stopped:
                return


@kept
@user_errors
@on_gpu(melody_seconds)
def melody_api(model: str = DEFAULT_MODEL, primer: str = get_spec(DEFAULT_MODEL).defaults["primer"],
               bars: int = DEFAULTS.bars, seed: int = DEFAULTS.seed, temperature: float = DEFAULTS.temperature,
               top_k: int = DEFAULTS.top_k, top_p: float = DEFAULTS.top_p, tempo: float = DEFAULTS.tempo,
               instrument: str = DEFAULTS.instrument) -> tuple[FileData, FileData, FileData, dict]:
    """A melody: -> its WAV, its MIDI file and its piano roll (PNG), each carrying the replay record, and the record.
    The primer is note names with an octave and an optional length in 16ths (E4 D#4 Bb3:4), r for a rest."""
    *_, last = stream(model, primer, bars, seed, temperature, top_k, top_p, tempo, instrument)
    wav, midi, png = saved(last.output)
    return FileData(path=wav), FileData(path=midi), FileData(path=png), last.output.record


MELODY_API_DESCRIPTION = documented(melody_api, MelodySettings, inspect.getdoc(melody_api))


@user_errors
def primer_from_midi(path: str | None) -> str:
    """An uploaded MIDI file's first notes (up to the longest primer) as primer words."""
    if path is None:
        return gr.update()
    size = Path(path).stat().st_size
    if size > current_limits().max_file_mb * 1e6:
        raise GenartError(f"This MIDI file is {size / 1e6:.1f} MB; upload at most {current_limits().max_file_mb:g} MB.")
    return primer_text(read_midi_notes(Path(path).read_bytes()))


@user_errors
def on_model_pick(model: str):
    d = get_spec(model, task="melody").defaults
    return tuple(gr.update(value=d.get(k, getattr(DEFAULTS, k))) for k in MODEL_SUGGESTS)


@user_errors
def describe(model: str) -> str:
    return say(get_spec(model, task="melody").description)


def check_primer(primer: str) -> str:
    """How the typed primer reads, under it as it is typed: its notes, or the sentence that says what to change."""
    try:
        notes = events_to_notes(parse_primer(check_value(setting(MelodySettings, "primer"), primer)))
    except GenartError as err:
        return f"⚠ {say(str(err))}"
    return say(f"Primer: {len(notes)} notes." if notes else "No primer: the model starts on its own.")


def replayed(record: dict, output: Output, path: str | None) -> dict:
    """The panel's fields for a remade melody: every setting, its piano roll and its sound."""
    files = saved(output, "replay")
    return {"mode": "melody", "model": record["model"], **recorded(MelodySettings, record), "roll": output.image,
            "audio": files[0],
            "files": gr.update(value=files, visible=True)}


REPLAYED = {"melody": Replayed("audio", "status", replayed)}


def build():
    names = [s.name for s in list_models("melody")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), elem_id="melody-model")
            about = gr.Markdown(tr(get_spec(DEFAULT_MODEL).description))
            knobs = {"primer": control(MelodySettings, "primer", value=get_spec(DEFAULT_MODEL).defaults["primer"],
                                       elem_id="melody-primer")}
            primer_note = gr.Markdown(elem_id="melody-primer-note")
            midi = upload_file(label=tr("Or take the primer from a MIDI file"), file_types=[".mid", ".midi"], height=90,
                               elem_id="melody-midi")
            knobs |= controls(MelodySettings, ("bars", "tempo"), bars={"elem_id": "melody-bars"})
            knobs["instrument"] = control(MelodySettings, "instrument", choices=list(INSTRUMENTS),
                                          elem_id="melody-instrument")
            with gr.Row(equal_height=True):
                knobs["seed"] = control(MelodySettings, "seed", scale=4, elem_id="melody-seed")
                dice = gr.Button(tr("Random"), scale=1, min_width=60)
            with gr.Accordion(tr("Sampling"), open=False):
                knobs |= controls(MelodySettings, ("temperature", "top_k", "top_p"),
                                  temperature={"value": get_spec(DEFAULT_MODEL).defaults["temperature"]})
            with gr.Row():
                button = gr.Button(tr("Generate"), variant="primary", elem_id="melody-generate")
                stop = gr.Button(tr("Stop"), variant="stop", elem_id="melody-stop")
        with gr.Column(scale=2):
            status = gr.Markdown(elem_id="melody-status")
            roll = gr.Image(label=tr("Piano roll"), type="pil", format="png", interactive=False, elem_id="melody-roll")
            audio = upload_audio(label=tr("Melody"), type="filepath", interactive=False, elem_id="melody-audio")
            files = gr.File(label=tr("WAV, MIDI and piano roll, each with its record (Replay takes any of them back)"),
                            file_count="multiple", visible=False, interactive=False, elem_id="melody-files")

    gr.Examples([["melody-lstm", "D4 E4 F#4 G4:4 A4:4", 1], ["melody-transformer", "D4 E4 F#4 G4:4 A4:4", 1],
                 ["melody-lstm", "E4 D4 C4 D4 E4 E4 E4:4", 7], ["melody-transformer", "", 3]],
                inputs=[model, knobs["primer"], knobs["seed"]], label=tr("Try a primer"))

    model.input(on_model_pick, model, [knobs[k] for k in MODEL_SUGGESTS], show_progress_on=status, **MODEL_PICK)
    model.change(describe, model, about, api_name=False, show_progress_on=status)
    knobs["primer"].change(check_primer, knobs["primer"], primer_note, api_name=False, show_progress="hidden")
    midi.upload(primer_from_midi, midi, knobs["primer"], api_name=False)
    dice.click(lambda: random.randint(0, MAX_SEED), None, knobs["seed"], api_name=False)
    stoppable(button, stop, run_melody, [model, *(knobs[k] for k in FIELDS)], [roll, audio, files, status],
              api_name=False, show_progress_on=status, **MODEL_RUN)
    gr.api(melody_api, api_description=MELODY_API_DESCRIPTION, api_name="melody", **MODEL_RUN)
    return {"model": model, **knobs, "status": status, "roll": roll, "audio": audio, "files": files}
