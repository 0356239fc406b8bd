"""The History tab: everything this visitor (on a private server: anyone here, the CLI too) made, newest first, a
page at a time; filter by task, model, date and the prompt's words; open an entry in its tab (through Replay),
download it, star it, delete it. The same actions are API endpoints, each answering only the asker's own entries."""
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import gradio as gr
from gradio import FileData

from .. import history
from ..errors import GenartError
from ..locale import say
from . import uploads
from .common import MODEL_RUN, forward_progress, output_dir, user_errors
from .gpu import on_gpu
from .language import tr
from .replay_drop import opened, targets_of
from .visitor import reader

ALL = ("(all)", "")


def day(text: str, name: str) -> float | None:
    """'2026-12-07' -> the start of that day (local time); '' -> None."""
    if not isinstance(text, str) or len(text) > 40:
        raise GenartError(f"{name} is a date written YYYY-MM-DD, or empty.")
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").timestamp()
    except ValueError:
        raise GenartError(f"{name} is a date written YYYY-MM-DD (like 2026-12-07), not {text.strip()!r:.40}.") from None


def served(path: Path, name: str | None = None) -> str:
    """A stored file copied beside this request's outputs, which Gradio serves (the store itself it does not)."""
    target = output_dir() / (name or path.name)
    shutil.copyfile(path, target)
    return str(target)


def served_entry(entry: history.Entry) -> str:
    """The entry's file, served under a name that says what it is (the store names it by its hash)."""
    return served(entry.path, f"genart-{entry.task}-{entry.id}{entry.path.suffix}")


def page_of(task: str, model: str, words: str, since: str, until: str, starred: bool, page: int) -> history.Page:
    last_day = day(until, "To")
    return history.search(reader(), task or "", model or "", words or "", day(since, "From"),
                          None if last_day is None else last_day + 86400, bool(starred), page)


@dataclass
class Shown:
    """What the gallery shows now: the ids of its entries, in order; the page; the entry picked."""
    ids: list[int]
    page: int = 0
    picked: int | None = None


@user_errors
def refresh(task, model, words, since, until, starred, page: int = 0):
    """-> the gallery, the page line, the filters' choices, what is shown (a State)."""
    found = page_of(task, model, words, since, until, starred, max(0, int(page)))
    if found.entries == [] and found.page > 0:  # the last page emptied (deleted entries): show the one before
        found = page_of(task, model, words, since, until, starred, found.pages - 1)
    tasks, models = history.choices(reader())
    items = [(served(e.thumb, f"{e.id}.png"), e.caption()) for e in found.entries]
    line = say(f"{found.total} entries · page {found.page + 1} of {found.pages}" if found.total else
               "Nothing here yet: what you make in the other tabs appears here, newest first.")
    return (items, line, gr.update(choices=[ALL, *tasks]), gr.update(choices=[ALL, *models]),
            Shown([e.id for e in found.entries], found.page))


@user_errors
def pick(shown: Shown, event: gr.SelectData):
    """An entry clicked: its file, the player or text it needs, its record; -> also what is shown, with the pick."""
    entry = history.get(reader(), shown.ids[event.index])
    shown.picked = entry.id
    return entry_fields(entry) + (shown,)


def entry_fields(entry: history.Entry) -> tuple:
    """(title, image, audio, text, record, download, star button) for one entry."""
    path = served_entry(entry)
    picture = path if entry.kind == "animation" else served(entry.thumb, f"thumb-{entry.id}.png")
    title = say(f"**#{entry.id}** {entry.task} · {entry.model} · {entry.when}" + (" · ★ starred" if entry.starred else ""))
    return (title, gr.update(value=picture, visible=True),
            gr.update(value=path if entry.kind == "audio" and entry.path.suffix == ".wav" else None,
                      visible=entry.kind == "audio"),
            gr.update(value=history.text_of(entry) if entry.kind == "text" else "", visible=entry.kind == "text"),
            entry.record, gr.update(value=path, visible=True),
            gr.update(value="Unstar" if entry.starred else "★ Star", interactive=True))


def picked(shown: Shown) -> int:
    if shown is None or shown.picked is None:
        raise GenartError("Pick an entry in the gallery first.")
    return shown.picked


@user_errors
def toggle_star(shown: Shown):
    entry = history.get(reader(), picked(shown))
    entry = history.star(reader(), entry.id, not entry.starred)
    return entry_fields(entry)


@user_errors
def delete_picked(shown: Shown):
    history.delete(reader(), picked(shown))
    shown.picked = None
    return "Deleted.", gr.update(value=None, visible=False), gr.update(value=None, visible=False), \
        gr.update(value="", visible=False), None, gr.update(value=None, visible=False), \
        gr.update(interactive=False), shown


# The API: the same actions, each on the asker's own entries only.


def entry_summary(entry: history.Entry) -> dict:
    return {"id": entry.id, "task": entry.task, "model": entry.model, "prompt": entry.prompt, "kind": entry.kind,
            "created": entry.created, "starred": entry.starred}


@user_errors
def history_api(task: str = "", model: str = "", words: str = "", since: str = "", until: str = "",
                starred: bool = False, page: int = 0) -> dict:
    """Your history, newest first, a page of 24: -> {"entries": [{id, task, model, prompt, kind, created, starred}],
    "total", "page", "pages"}. since/until: YYYY-MM-DD."""
    if not isinstance(page, int) or isinstance(page, bool):
        raise GenartError("The page is a whole number from 0.")
    if not isinstance(starred, bool):
        raise GenartError("Starred is true or false.")
    found = page_of(task, model, words, since, until, starred, page)
    return {"entries": [entry_summary(e) for e in found.entries], "total": found.total, "page": found.page,
            "pages": found.pages}


@user_errors
def history_file_api(entry_id: int) -> tuple[FileData, dict]:
    """One of your entries: -> its file (the output with its record inside) and its record."""
    entry = history.get(reader(), entry_id)
    return FileData(path=served_entry(entry)), entry.record


@user_errors
def history_star_api(entry_id: int, starred: bool = True) -> dict:
    """Star (or unstar) one of your entries: starred entries are never pruned to make room."""
    return entry_summary(history.star(reader(), entry_id, starred))


@user_errors
def history_delete_api(entry_id: int) -> str:
    """Delete one of your entries."""
    history.delete(reader(), entry_id)
    return say(f"Entry {entry_id} deleted.")


def build() -> dict:
    with gr.Row():
        task = gr.Dropdown([ALL], value="", label=tr("Task"), scale=1, elem_id="history-task")
        model = gr.Dropdown([ALL], value="", label=tr("Model"), scale=1, elem_id="history-model")
        words = gr.Textbox(label=tr("Words of the prompt"), scale=2, elem_id="history-words")
        since = gr.Textbox(label=tr("From (YYYY-MM-DD)"), scale=1, elem_id="history-since")
        until = gr.Textbox(label=tr("To (YYYY-MM-DD)"), scale=1, elem_id="history-until")
        starred = gr.Checkbox(label=tr("Starred only"), scale=1)
    with gr.Row():
        with gr.Column(scale=3):
            gallery = uploads.gallery(label=tr("Your outputs, newest first"), columns=6, height="auto", format="png",
                                      interactive=False, allow_preview=False, elem_id="history-gallery")
            with gr.Row():
                previous = gr.Button(tr("← Newer"), size="sm", elem_id="history-previous")
                line = gr.Markdown(elem_id="history-line")
                following = gr.Button(tr("Older →"), size="sm", elem_id="history-next")
        with gr.Column(scale=2):
            title = gr.Markdown(tr("Pick an entry to see it here."), elem_id="history-title")
            image = uploads.image(type="filepath", label=tr("Output"), visible=False, interactive=False, height=280,
                                  elem_classes=["pixelated"], elem_id="history-image")
            audio = uploads.audio(type="filepath", label=tr("Listen"), visible=False, interactive=False,
                                  elem_id="history-audio")
            text = gr.Textbox(label=tr("Text"), visible=False, lines=8, interactive=False, elem_id="history-text")
            with gr.Row():
                open_button = gr.Button(tr("Open in its tab"), variant="primary", size="sm", elem_id="history-open")
                star = gr.Button(tr("★ Star"), size="sm", interactive=False, elem_id="history-star")
                delete = gr.Button(tr("Delete"), variant="stop", size="sm", elem_id="history-delete")
            download = uploads.file(label=tr("Download (the file carries its record)"), visible=False, interactive=False,
                                    elem_id="history-download")
            with gr.Accordion(tr("Record"), open=False):
                record = gr.JSON(label=tr("Replay record"))
    shown = gr.State(Shown([]))
    filters = [task, model, words, since, until, starred]
    listing = [gallery, line, task, model, shown]
    detail = [title, image, audio, text, record, download, star]
    for trigger in (task.input, model.input, words.submit, since.submit, until.submit, starred.input):
        trigger(lambda *v: refresh(*v, 0), filters, listing, api_name=False)
    previous.click(lambda *v: refresh(*v[:-1], max(0, v[-1].page - 1)), [*filters, shown], listing, api_name=False)
    following.click(lambda *v: refresh(*v[:-1], v[-1].page + 1), [*filters, shown], listing, api_name=False)
    gallery.select(pick, shown, [*detail, shown], api_name=False)
    star.click(toggle_star, shown, detail, api_name=False)
    delete.click(delete_picked, shown, [*detail, shown], api_name=False).then(
        lambda *v: refresh(*v[:-1], v[-1].page), [*filters, shown], listing, api_name=False)
    gr.api(history_api, api_name="history")
    gr.api(history_file_api, api_name="history_file")
    gr.api(history_star_api, api_name="history_star")
    gr.api(history_delete_api, api_name="history_delete")
    return {"filters": filters, "listing": listing, "open": open_button, "shown": shown}


def wire(parts: dict, tab: gr.Tab, tabs: gr.Tabs, fields: dict[str, dict]) -> None:
    """Opening the History tab lists the newest entries; Open in its tab remakes the picked one there (Replay)."""
    tab.select(lambda *v: refresh(*v, 0), parts["filters"], parts["listing"], api_name=False)

    @user_errors
    @on_gpu(120)
    def open_entry(shown: Shown, progress=gr.Progress()):
        entry = history.get(reader(), picked(shown))
        _, updates, _ = opened(str(entry.path), tabs, fields, forward_progress(progress))
        return updates

    parts["open"].click(open_entry, parts["shown"], [tabs, *targets_of(fields)], api_name=False, **MODEL_RUN)
