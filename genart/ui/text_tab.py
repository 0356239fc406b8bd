"""The Text tab: streamed completions side by side, a Stop button that ends generation, tokens per second."""
import inspect
import random
from collections.abc import Iterator
from contextlib import closing

import gradio as gr

from ..errors import GenartError
from ..locale import say
from ..pipelines import text as pipeline
from ..pipelines.checks import MAX_SEED
from ..pipelines.precision import PRECISIONS
from ..pipelines.text import TextSettings
from ..registry import get_spec, list_models
from ..replay import text_json
from .api_docs import documented
from .common import MODEL_PICK, MODEL_RUN, Replayed, forward_progress, output_dir, stoppable, user_errors
from .controls import control, controls, recorded
from .gpu import on_gpu
from .language import tr
from .visitor import keep_file, kept

DEFAULT_MODEL = "text-art"
DEFAULTS = TextSettings()
# The event's arguments after the model, in its API's order; "stop" is one stop string per line.
FIELDS = ("prompt", "max_new_tokens", "temperature", "top_k", "top_p", "min_p", "repetition_penalty", "seed", "stop",
          "n", "chat", "precision")
SAMPLING_FIELDS = ("temperature", "top_k", "top_p", "min_p", "repetition_penalty")
MODEL_SUGGESTS = ("max_new_tokens", "temperature", "top_k", "top_p")  # what picking a model resets to its defaults
STARTING_COMPLETIONS = 2  # the tab starts with two side by side; the API and CLI make one unless asked


def split_stops(stops: str) -> list[str]:
    """One stop string per line; escapes like \\n let a stop string be a line break."""
    if not isinstance(stops, str):
        raise GenartError("Stop strings must be text, one per line.")
    try:
        return [line.encode().decode("unicode_escape") for line in stops.splitlines() if line]
    except UnicodeDecodeError as err:
        raise GenartError(f"A stop string has a broken escape ({err.reason}); write \\n, \\t, \\u and four hex "
                          "digits, or a plain backslash as \\\\.") from None


def joined_stops(stops: list[str]) -> str:
    """Stop strings as the text box shows them: split_stops' inverse."""
    return "\n".join(s.encode("unicode_escape").decode() for s in stops)


def status_line(update: pipeline.TextUpdate, stopped: bool = False) -> str:
    state = "done" if update.done else "stopped" if stopped else "generating"
    line = f"{update.tokens} tokens · {update.tokens_per_second:.1f} tokens/s · {state}"
    return say(f"{line}\n\n{update.notice}" if update.notice else line)


def stream(model, *values, progress=None) -> Iterator[pipeline.TextUpdate]:
    """values: the settings in FIELDS' order."""
    given = dict(zip(FIELDS, values))
    settings = TextSettings(**given | {"stop": split_stops(given["stop"])})
    return pipeline.generate_text(model, settings, progress)


def saved_record(update: pipeline.TextUpdate, stem: str = "completions") -> str:
    """The finished texts and their replay record as a JSON file (Replay takes it back)."""
    path = output_dir() / f"{stem}.json"
    path.write_text(text_json(update.record, update.texts))
    return str(path)


def text_seconds(model, prompt, max_new_tokens, *args, **kwargs) -> float:
    """GPU time to ask for: max new tokens for each of the n completions."""
    n = args[FIELDS.index("n") - 2] if len(args) > FIELDS.index("n") - 2 else kwargs.get("n", 1)
    return 15 + 0.05 * max_new_tokens * n


@kept
@user_errors
@on_gpu(text_seconds)
def run_text(*args, progress=gr.Progress()):
    """Yields every output box (those past n stay hidden), the status line, and once done the file to save. A
    continuation is shown after its prompt; a chat reply alone. The last argument is the session's StopRequest:
    once pressed, the completions so far stay and the stream ends, which also frees the model."""
    *args, stop_request = args
    prompt = args[1]
    with closing(stream(*args, progress=forward_progress(progress))) as updates:
        for update in updates:
            stopped = stop_request.pressed and not update.done
            boxes = [gr.update(value=prompt + t if update.continues_prompt else t, visible=True) for t in update.texts]
            saved = gr.update(value=saved_record(update), visible=True) if update.done else gr.update()
            yield (*boxes, *[gr.update(visible=False)] * (pipeline.MAX_COMPLETIONS - len(boxes)),
                   status_line(update, stopped), saved)
            if stopped:
                return


@user_errors
@on_gpu(text_seconds)
def text_api(model: str = DEFAULT_MODEL, prompt: str = get_spec(DEFAULT_MODEL).defaults["prompt"],
             max_new_tokens: int = DEFAULTS.max_new_tokens, temperature: float = DEFAULTS.temperature,
             top_k: int = DEFAULTS.top_k, top_p: float = DEFAULTS.top_p, min_p: float = DEFAULTS.min_p,
             repetition_penalty: float = DEFAULTS.repetition_penalty, seed: int = DEFAULTS.seed, stop: str = "",
             n: int = DEFAULTS.n, chat: bool = DEFAULTS.chat, precision: str = DEFAULTS.precision) -> Iterator[dict]:
    """Stream n completions: each message has texts, tokens, tokens_per_second, notice, done, and the replay record
    with the last one. Stop strings are one per line; temperature 0 is greedy; precision is float32 or int8."""
    for update in stream(model, prompt, max_new_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                         stop, n, chat, precision):
        if update.done:
            keep_file(saved_record(update))
        yield {"texts": update.texts, "tokens": update.tokens, "tokens_per_second": round(update.tokens_per_second, 2),
               "notice": update.notice, "done": update.done, "record": update.record}


TEXT_API_DESCRIPTION = documented(text_api, TextSettings, inspect.getdoc(text_api))


@user_errors
def on_model_pick(model: str, prompt: str):
    """Fill in the model's suggested settings, and its example prompt unless the user has written their own. Only
    for a model the user picks: a replayed record sets its own settings."""
    d, keep = get_spec(model, task="text").defaults, gr.update()
    untouched = prompt in {s.defaults.get("prompt") for s in list_models("text")}
    return (gr.update(value=d["prompt"]) if "prompt" in d and untouched else keep,
            *(gr.update(value=d.get(k, getattr(DEFAULTS, k))) for k in MODEL_SUGGESTS))


@user_errors
def describe(model: str) -> str:
    return say(get_spec(model, task="text").description)


def replayed(record: dict, output, path: None) -> dict:
    """The tab's fields for a remade text output: every setting, and the completions (as shown) in their boxes."""
    boxes = [gr.update(value=t, visible=True) for t in output.shown_texts()]
    hidden = [gr.update(visible=False)] * (pipeline.MAX_COMPLETIONS - len(boxes))
    stops = joined_stops(record.get("stop") or [])
    return {"mode": "complete", "model": record["model"], **recorded(TextSettings, record), "stop": stops,
            **{f"output{i}": box for i, box in enumerate(boxes + hidden)}}


REPLAYED = {"text": Replayed("text", "status", replayed)}


def build():
    names = [s.name for s in list_models("text")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), allow_custom_value=True, elem_id="text-model",
                                info=tr("A registry model, or any Hub GPT-2, Llama, Mistral or Qwen2 as hf-hub:org/name."))
            about = gr.Markdown(tr(get_spec(DEFAULT_MODEL).description))
            knobs = controls(TextSettings, ("prompt", "chat", "max_new_tokens", "n"),
                             prompt={"value": get_spec(DEFAULT_MODEL).defaults["prompt"], "lines": 4,
                                     "elem_id": "text-prompt"},
                             max_new_tokens={"elem_id": "text-max-new-tokens"}, n={"value": STARTING_COMPLETIONS})
            with gr.Row(equal_height=True):
                knobs["seed"] = control(TextSettings, "seed", scale=4)
                dice = gr.Button(tr("Random"), scale=1, min_width=60)
            with gr.Accordion(tr("Sampling"), open=True):
                knobs |= controls(TextSettings, SAMPLING_FIELDS)
                knobs["stop"] = control(TextSettings, "stop", lines=2, info=tr("One per line; \\n for a line break."))
            knobs["precision"] = control(TextSettings, "precision", choices=list(PRECISIONS), elem_id="text-precision")
            with gr.Row():
                button = gr.Button(tr("Generate"), variant="primary", elem_id="text-generate")
                stop = gr.Button(tr("Stop"), variant="stop", elem_id="text-stop")
            save = gr.DownloadButton(tr("Save with its record (JSON)"), visible=False, size="sm", elem_id="text-save")
        with gr.Column(scale=2):
            status = gr.Markdown(elem_id="text-status")
            with gr.Row():
                outputs = [gr.Textbox(label=tr("Completion {n}", n=i + 1), lines=12, max_lines=30, visible=i < STARTING_COMPLETIONS,
                                      min_width=240,
                                      buttons=["copy"], elem_id=f"text-output-{i}") for i in range(pipeline.MAX_COMPLETIONS)]

    gr.Examples([["text-art", "«Quiet"], ["text-art-lstm", "«Quiet"], ["text-art-vae", "«"],
                 ["text-art", "«Study of Tides No. 3» —"],
                 ["smollm2-135m-instruct", "Describe a painting of a quiet harbour at dawn."]],
                inputs=[model, knobs["prompt"]], label=tr("Try a prompt"))

    model.input(on_model_pick, [model, knobs["prompt"]], [knobs[k] for k in ("prompt", *MODEL_SUGGESTS)],
                show_progress_on=status, **MODEL_PICK)
    model.change(describe, model, about, api_name=False, show_progress_on=status)
    knobs["n"].change(lambda k: [gr.update(visible=i < k) for i in range(pipeline.MAX_COMPLETIONS)], knobs["n"],
                      outputs, api_name=False)
    dice.click(lambda: random.randint(0, MAX_SEED), None, knobs["seed"], api_name=False)
    # The API has its own endpoint that streams plain records; the button streams into the boxes.
    stoppable(button, stop, run_text, [model, *(knobs[k] for k in FIELDS)], [*outputs, status, save], api_name=False,
              show_progress_on=status, **MODEL_RUN)
    gr.api(text_api, api_description=TEXT_API_DESCRIPTION, api_name="text", **MODEL_RUN)
    return {"model": model, **knobs, "status": status, **{f"output{i}": box for i, box in enumerate(outputs)}}
