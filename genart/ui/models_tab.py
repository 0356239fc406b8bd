"""The Models tab: the registry with what is downloaded and loaded; download, unload, delete, add a Hub repo.

On a public server the management controls are hidden and their endpoints refuse, except for an owner who has logged
in (Gradio's auth, or the Hub's OAuth on a Space) and is named in GENART_OWNERS.
"""
import dataclasses
import os

import gradio as gr

from .. import access, catalog
from ..errors import GenartError
from ..locale import say
from .common import MODEL_RUN, forward_progress, user_errors
from .language import tr, translated_table

COLUMNS = ["name", "task", "architecture", "source", "size (MB)", "licence", "ready offline", "loaded", "device"]


def rows() -> dict:
    """The table of models, its column names and yes/no in the request's language."""
    return translated_table(COLUMNS, [[s.name, s.task, s.arch, s.source, "" if s.size_mb is None else s.size_mb,
                                       s.license, say("yes" if s.cached else "no"), say("yes" if s.loaded else "no"),
                                       s.device] for s in catalog.table()])


def models_api() -> list[dict]:
    """Every model: its registry entry (description, defaults...) with its status here (size on disk, downloaded,
    loaded, device)."""
    return [dataclasses.asdict(spec) | dataclasses.asdict(catalog.status(spec)) for spec in catalog.all_specs()]


def card_markdown(name: str) -> str:
    """The model card without its YAML front matter, which is for the Hub, not for reading (a model not downloaded has
    its description, in the request's language)."""
    text = catalog.model_card(name)
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        text = text[4:].split("\n---\n", 1)[1]
    return say(text)


@user_errors
def on_select(evt: gr.SelectData, table):
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index  # (row, column) of the clicked cell
    if not isinstance(row, int) or not 0 <= row < len(table):
        raise GenartError("Click a row of the table to pick a model.")
    name = table.iloc[row, 0]  # the name is in column 0
    return name, card_markdown(name)


def user_name(request: gr.Request | None, profile: gr.OAuthProfile | None) -> str | None:
    return (request.username if request is not None else None) or (profile.username if profile else None)


def check_manager(request: gr.Request | None, profile: gr.OAuthProfile | None) -> None:
    if not access.may_manage(user_name(request, profile)):
        raise GenartError("This shared server does not let visitors download, unload, delete or add models; its owner "
                          f"can, after logging in with a name listed in {access.OWNERS}.")


def management_visible(request: gr.Request, profile: gr.OAuthProfile | None):
    """On page load: show the management controls to whoever may use them."""
    return gr.update(visible=access.may_manage(user_name(request, profile)))


@user_errors
def run_download(name: str, request: gr.Request, profile: gr.OAuthProfile | None, progress=gr.Progress()):
    check_manager(request, profile)
    s = catalog.download(name, forward_progress(progress))
    return rows(), say(f"{s.name}: downloaded, {s.size_mb} MB."), card_markdown(name)


@user_errors
def run_unload(name: str, request: gr.Request, profile: gr.OAuthProfile | None):
    check_manager(request, profile)
    freed = catalog.unload(name)
    return rows(), say(f"{name}: unloaded." if freed else f"{name} was not loaded.")


@user_errors
def run_delete(name: str, request: gr.Request, profile: gr.OAuthProfile | None):
    check_manager(request, profile)
    mb = catalog.delete(name)
    return rows(), say(f"{name}: deleted from the cache, {mb:.1f} MB freed.")


@user_errors
def run_add(repo: str, request: gr.Request, profile: gr.OAuthProfile | None, progress=gr.Progress()):
    check_manager(request, profile)
    spec = catalog.add(repo, forward_progress(progress))
    return rows(), say(f"Added {spec.name}: a {spec.task} model."), spec.name, card_markdown(spec.name)


def build(public: bool) -> tuple[gr.Dataframe, gr.Column]:
    """-> the table of models (refilled in the visitor's language when the page loads) and the management controls,
    hidden on a public server until an owner's page load shows them."""
    models = gr.Dataframe(rows(), interactive=False, label=tr("Models (click a row)"), elem_id="models-table",
                          wrap=True, max_height=420,
                          column_widths=["17%", "7%", "11%", "27%", "8%", "9%", "8%", "7%", "6%"])
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            selected = gr.Textbox(label=tr("Selected model"), elem_id="models-selected")
            refresh = gr.Button(tr("Refresh"))
            if public and os.environ.get("SPACE_ID") and os.environ.get("OAUTH_CLIENT_ID"):
                gr.LoginButton("Owner: sign in to manage models")
            with gr.Column(visible=not public, elem_id="models-manage") as manage:
                with gr.Row():
                    download = gr.Button(tr("Download"), variant="primary")
                    unload = gr.Button(tr("Unload"))
                    delete = gr.Button(tr("Delete from cache"), variant="stop")
                repo = gr.Textbox(label=tr("Add a Hub repo"), placeholder=tr("org/name or hf-hub:org/name@revision"),
                                  elem_id="models-add-repo")
                add = gr.Button(tr("Add"))
            status = gr.Markdown(elem_id="models-status")
        with gr.Column(scale=2):
            card = gr.Markdown(label=tr("Model card"), elem_id="models-card")

    models.select(on_select, models, [selected, card], api_name=False)
    download.click(run_download, selected, [models, status, card], api_name="download_model", show_progress_on=status,
                   **MODEL_RUN)
    unload.click(run_unload, selected, [models, status], api_name="unload_model")
    delete.click(run_delete, selected, [models, status], api_name="delete_model")
    refresh.click(rows, None, models, api_name=False)
    add.click(run_add, repo, [models, status, selected, card], api_name="add_model", show_progress_on=status,
              **MODEL_RUN)
    gr.api(model_card_api, api_name="model_card")
    return models, manage


@user_errors
def model_card_api(name: str) -> str:
    """A model's card (its README.md, front matter included) or, before it is downloaded, its description."""
    return catalog.model_card(name)
