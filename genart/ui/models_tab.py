"""The Models tab: the registry with what is downloaded and loaded; download, unload, delete, add a Hub repo."""
import dataclasses

import gradio as gr

from .. import catalog
from .common import forward_progress, user_errors

COLUMNS = ["name", "task", "architecture", "source", "size (MB)", "licence", "ready offline", "loaded", "device"]


def rows() -> list[list]:
    return [[s.name, s.task, s.arch, s.source, "" if s.size_mb is None else s.size_mb, s.license,
             "yes" if s.cached else "no", "yes" if s.loaded else "no", s.device] for s in catalog.table()]


def models_api() -> list[dict]:
    """Every model: its registry entry (description, defaults...) with its status here (size on disk, downloaded,
    loaded, device)."""
    return [dataclasses.asdict(spec) | dataclasses.asdict(catalog.status(spec)) for spec in catalog.all_specs()]


def card_markdown(name: str) -> str:
    """The model card without its YAML front matter, which is for the Hub, not for reading."""
    text = catalog.model_card(name)
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        text = text[4:].split("\n---\n", 1)[1]
    return text


def on_select(evt: gr.SelectData, table):
    name = table.iloc[evt.index[0], 0]  # (row, column) of the clicked cell; the name is in column 0
    return name, card_markdown(name)


@user_errors
def run_download(name: str, progress=gr.Progress()):
    s = catalog.download(name, forward_progress(progress))
    return rows(), f"{s.name}: downloaded, {s.size_mb} MB.", card_markdown(name)


@user_errors
def run_unload(name: str):
    freed = catalog.unload(name)
    return rows(), f"{name}: unloaded." if freed else f"{name} was not loaded."


@user_errors
def run_delete(name: str):
    mb = catalog.delete(name)
    return rows(), f"{name}: deleted from the cache, {mb:.1f} MB freed."


@user_errors
def run_add(repo: str, progress=gr.Progress()):
    spec = catalog.add(repo, forward_progress(progress))
    return rows(), f"Added {spec.name}: a {spec.task} model.", spec.name, card_markdown(spec.name)


def build():
    table = gr.Dataframe(rows(), headers=COLUMNS, interactive=False, label="Models (click a row)", elem_id="models-table",
                         wrap=True, max_height=420,
                         column_widths=["17%", "7%", "11%", "27%", "8%", "9%", "8%", "7%", "6%"])
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            selected = gr.Textbox(label="Selected model", elem_id="models-selected")
            with gr.Row():
                download = gr.Button("Download", variant="primary")
                unload = gr.Button("Unload")
                delete = gr.Button("Delete from cache", variant="stop")
                refresh = gr.Button("Refresh")
            repo = gr.Textbox(label="Add a Hub repo", placeholder="org/name or hf-hub:org/name@revision",
                              elem_id="models-add-repo")
            add = gr.Button("Add")
            status = gr.Markdown(elem_id="models-status")
        with gr.Column(scale=2):
            card = gr.Markdown(label="Model card", elem_id="models-card")

    table.select(on_select, table, [selected, card], api_name=False)
    download.click(run_download, selected, [table, status, card], api_name="download_model", show_progress_on=status)
    unload.click(run_unload, selected, [table, status], api_name="unload_model")
    delete.click(run_delete, selected, [table, status], api_name="delete_model")
    refresh.click(rows, None, table, api_name=False)
    add.click(run_add, repo, [table, status, selected, card], api_name="add_model", show_progress_on=status)
    gr.api(user_errors(catalog.model_card), api_name="model_card")
