"""Replay: drop a file genart wrote onto the app; its tab opens with every setting restored and the output made again."""
from pathlib import Path

import gradio as gr
from gradio import FileData

from ..locale import say
from ..pipelines.compare import Comparison
from ..pipelines.remake import remake_file, verdict
from ..replay import Animation
from . import (
    chat_tab,
    compare_tab,
    generate_tab,
    imagine_panel,
    inpaint_tab,
    melody_tab,
    repair_tab,
    sentence_vae_tab,
    style_tab,
    text_tab,
    uploads,
)
from .common import MODEL_RUN, Replayed, forward_progress, output_dir, user_errors
from .gpu import on_gpu
from .language import tr

# Where each task's record is shown, as each tab declares it; the tab id is also its fields' key in the app's table.
REPLAYED: dict[str, Replayed] = (imagine_panel.REPLAYED | generate_tab.REPLAYED | inpaint_tab.REPLAYED
                                 | style_tab.REPLAYED | text_tab.REPLAYED | chat_tab.REPLAYED
                                 | sentence_vae_tab.REPLAYED | compare_tab.REPLAYED | melody_tab.REPLAYED
                                 | repair_tab.REPLAYED)


def saved_remake(path: str, output) -> str | None:
    """The remade image or animation as a file beside the app's outputs; None for text and comparisons."""
    if isinstance(output, Animation):
        return str(output.save(output_dir() / f"replay-{Path(path).stem}{Path(path).suffix.lower()}"))
    if isinstance(output, Comparison) or output.image is None:
        return None
    if output.sound is not None:
        return str(output.sound.save(output_dir() / f"replay-{Path(path).stem}.wav"))
    return str(output.artwork().save(output_dir() / f"replay-{Path(path).stem}.png"))


def remade(path: str, progress=None) -> tuple[str, Replayed, dict, str]:
    """-> (the record's task, where it is shown, the tab's field values by name, a line saying what happened)."""
    record, output = remake_file(path, progress)
    shown = REPLAYED[record["task"]]
    return record["task"], shown, shown.fields(record, output, saved_remake(path, output)), verdict(path, output)


def targets_of(fields: dict[str, dict]) -> list:
    """Every field a replay may fill, once each."""
    return list({id(c): c for group in fields.values() for c in group.values()}.values())


def opened(path: str, tabs: gr.Tabs, fields: dict[str, dict], progress=None) -> tuple[str, dict, str]:
    """A file made again and shown in its tab: -> (its task, the updates of the tabs and the tab's fields, a line
    saying whether the remake matches the file)."""
    task, shown, values, line = remade(path, progress)
    tab = fields[shown.tab]
    updates = {tab[name]: value for name, value in values.items() if name in tab}
    if "mode" in values:
        updates[tab["mode"]] = gr.Tabs(selected=values["mode"])
    updates[tab[shown.status]] = line
    return task, updates | {tabs: gr.Tabs(selected=shown.tab)}, line


def build() -> tuple[gr.File, gr.Markdown]:
    with gr.Accordion(tr("Replay: drop a file genart wrote"), open=False, elem_id="replay"):
        with gr.Row():
            file = uploads.file(label=tr("A genart PNG (an output or a Compare grid), an interpolation's WebP or GIF, a "
                                "melody's WAV or MIDI file, or a text output's .json"),
                                file_types=[".png", ".webp", ".gif", ".wav", ".mid", ".midi", ".json"], elem_id="replay-file",
                           height=120)
            status = gr.Markdown(elem_id="replay-status")
    return file, status


def wire(file: gr.File, status: gr.Markdown, tabs: gr.Tabs, fields: dict[str, dict]):
    """fields: each tab's components by name, keyed as in TAB."""
    targets = targets_of(fields)

    @user_errors
    @on_gpu(120)
    def on_drop(path, progress=gr.Progress()):
        if path is None:
            return {}
        task, updates, line = opened(path, tabs, fields, forward_progress(progress))
        return updates | {status: say(f"**{task}** record from {Path(path).name}. {line}")}

    file.upload(on_drop, file, [tabs, status, *targets], api_name=False, **MODEL_RUN)
    gr.api(replay_api, api_name="replay", **MODEL_RUN)


@user_errors
@on_gpu(120)
def replay_api(file: FileData) -> tuple[FileData, dict, str]:
    """Make a file genart wrote again: -> the remade file (a PNG; an interpolation's WebP or GIF; a melody's WAV or
    MIDI file; for text a .json with the completions), the record it was made from, and a line saying whether it matches the file."""
    path = uploads.api_file(file)
    record, output = remake_file(path)
    if isinstance(output, Comparison):
        out, _ = compare_tab.files(output)
    elif isinstance(output, Animation):
        out = output.save(output_dir() / f"replay{Path(path).suffix.lower()}")
    elif output.sound is not None:
        out = output.sound.save(output_dir() / ("replay.mid" if Path(path).suffix.lower() in (".mid", ".midi")
                                                else "replay.wav"))
    elif output.image is None:
        out = output_dir() / "replay.json"
        out.write_text(output.text_json())
    else:
        out = output.artwork().save(output_dir() / "replay.png")
    return FileData(path=str(out)), record, verdict(path, output)
