"""The Text tab's Sentence VAE mode: reconstruct a sentence through the latent space, and walk between two sentences
(the lines streamed as they are decoded). Sampling from its prior is the Complete mode's, with the same model."""
from contextlib import closing

import gradio as gr

from ..locale import say
from ..pipelines.sentence_vae import BETWEEN, RECONSTRUCT, BetweenSettings, ReconstructSettings, between, reconstruct
from ..registry import list_models
from .api_docs import documented
from .common import MODEL_RUN, Replayed, forward_progress, user_errors
from .controls import control, recorded
from .gpu import on_gpu
from .language import tr
from .text_tab import saved_record
from .visitor import kept

DEFAULT_MODEL = "text-art-vae"
RECONSTRUCT_SUMMARY = "A sentence encoded by a sentence VAE and decoded again: -> (streamed) the decoded text, a " \
                      "status line, and the JSON file with its replay record."
BETWEEN_SUMMARY = "The sentences decoded along a straight line between two sentences' latents: -> (streamed) the " \
                  "text, a status line, and the JSON file with its replay record."
EXAMPLE_A = "«Quiet Harbour» — watercolour. A landscape of still water, with a pale moon."
EXAMPLE_B = "«Golden Rings» — stained glass. A mandala of concentric rings, with leaded panes."


def streamed(updates):
    """(text, status, saved file) as the lines come; the file with the last one."""
    with closing(updates):
        for update in updates:
            save = gr.update(value=saved_record(update, update.record["task"]), visible=True) if update.done else gr.update()
            yield update.texts[0], say(update.notice), save


@kept
@user_errors
@on_gpu(15)
def run_reconstruct(model, sentence, progress=gr.Progress()):
    yield from streamed(reconstruct(model, ReconstructSettings(sentence), forward_progress(progress)))


@kept
@user_errors
@on_gpu(30)
def run_between(model, sentence_a, sentence_b, steps, progress=gr.Progress()):
    yield from streamed(between(model, BetweenSettings(sentence_a, sentence_b, steps), forward_progress(progress)))


def replayed(record: dict, output, path: None) -> dict:
    """The mode's fields for a remade reconstruction or walk: the sentences, the steps, the text made again."""
    values = {f"vae.{k}": v for k, v in (recorded(ReconstructSettings, record) | recorded(BetweenSettings, record)).items()}
    return {"mode": "vae", "vae.model": record["model"], "vae.output": output.texts[0], **values}


REPLAYED = {"reconstruct": Replayed("text", "vae.status", replayed), "between": Replayed("text", "vae.status", replayed)}


def build() -> dict:
    """-> the mode's fields, named vae.*, for Replay."""
    names = [s.name for s in list_models("text") if s.arch in RECONSTRUCT.methods]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), allow_custom_value=True, elem_id="vae-model",
                                info=tr("A sentence VAE. To sample from its prior, pick it in Complete."))
            sentence = control(ReconstructSettings, "sentence", value=EXAMPLE_A, lines=2, elem_id="vae-sentence")
            rebuild = gr.Button(tr("Reconstruct"), elem_id="vae-reconstruct")
            sentence_a = control(BetweenSettings, "sentence_a", value=EXAMPLE_A, lines=2, elem_id="vae-sentence-a")
            sentence_b = control(BetweenSettings, "sentence_b", value=EXAMPLE_B, lines=2, elem_id="vae-sentence-b")
            steps = control(BetweenSettings, "steps", elem_id="vae-steps")
            walk = gr.Button(tr("Walk between them"), variant="primary", elem_id="vae-between")
        with gr.Column(scale=2):
            output = gr.Textbox(label=tr("Decoded"), lines=12, interactive=False, elem_id="vae-output")
            status = gr.Markdown(elem_id="vae-status")
            save = gr.DownloadButton(tr("Save with its record (JSON)"), visible=False, size="sm", elem_id="vae-save")
    rebuild.click(run_reconstruct, [model, sentence], [output, status, save], api_name=RECONSTRUCT.name,
                  api_description=documented(run_reconstruct, ReconstructSettings, RECONSTRUCT_SUMMARY),
                  show_progress_on=status, **MODEL_RUN)
    walk.click(run_between, [model, sentence_a, sentence_b, steps], [output, status, save], api_name=BETWEEN.name,
               api_description=documented(run_between, BetweenSettings, BETWEEN_SUMMARY),
               show_progress_on=status, **MODEL_RUN)
    return {"vae.model": model, "vae.sentence": sentence, "vae.sentence_a": sentence_a, "vae.sentence_b": sentence_b,
            "vae.steps": steps, "vae.output": output, "vae.status": status}

