"""The Text tab: streamed completions side by side, a Stop button that ends generation, tokens per second."""
import random
from collections.abc import Iterator
from contextlib import closing

import gradio as gr

from ..errors import GenartError
from ..pipelines import text as pipeline
from ..pipelines.checks import MAX_SEED
from ..pipelines.sampling import SamplingSettings
from ..registry import get_spec, list_models
from ..replay import text_json
from .common import MODEL_RUN, forward_progress, output_dir, stoppable, user_errors
from .gpu import on_gpu

DEFAULT_MODEL = "text-art"
# What a model's defaults may set, and the value for a model that does not say.
SETTING_DEFAULTS = {"max_new_tokens": 64, "temperature": 0.8, "top_k": 0, "top_p": 1.0}


def split_stops(stops: str) -> list[str]:
    """One stop string per line; escapes like \\n let a stop string be a line break."""
    if not isinstance(stops, str):
        raise GenartError("Stop strings must be text, one per line.")
    try:
        return [line.encode().decode("unicode_escape") for line in stops.splitlines() if line]
    except UnicodeDecodeError as err:
        raise GenartError(f"A stop string has a broken escape ({err.reason}); write \\n, \\t, \\u and four hex "
                          "digits, or a plain backslash as \\\\.") from None


def status_line(update: pipeline.TextUpdate, stopped: bool = False) -> str:
    state = "done" if update.done else "stopped" if stopped else "generating"
    line = f"{update.tokens} tokens · {update.tokens_per_second:.1f} tokens/s · {state}"
    return f"{line}\n\n{update.notice}" if update.notice else line


def stream(model, prompt, max_new_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed, stops, n, chat,
           progress=None) -> Iterator[pipeline.TextUpdate]:
    settings = SamplingSettings(temperature, top_k, top_p, min_p, repetition_penalty)
    return pipeline.generate_text(model, prompt, max_new_tokens, settings, seed, split_stops(stops), n, chat, progress)


def saved_record(update: pipeline.TextUpdate) -> str:
    """The finished completions and their replay record as a JSON file (Replay takes it back)."""
    path = output_dir() / "completions.json"
    path.write_text(text_json(update.record, update.texts))
    return str(path)


def text_seconds(model, prompt, max_new_tokens, *args, **kwargs) -> float:
    """GPU time to ask for: max new tokens for each of the n completions (n: the eleventh argument)."""
    n = args[7] if len(args) > 7 else kwargs.get("n", 1)
    return 15 + 0.05 * max_new_tokens * n


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
def text_api(model: str = DEFAULT_MODEL, prompt: str = "«Quiet", max_new_tokens: int = 64, temperature: float = 0.8,
             top_k: int = 0, top_p: float = 1.0, min_p: float = 0.0, repetition_penalty: float = 1.0, seed: int = 0,
             stop: str = "", n: int = 1, chat: bool = True) -> Iterator[dict]:
    """Stream n completions: each message has texts, tokens, tokens_per_second, notice, done, and the replay record
    with the last one. Stop strings are one per line; temperature 0 is greedy."""
    for update in stream(model, prompt, max_new_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                         stop, n, chat):
        yield {"texts": update.texts, "tokens": update.tokens, "tokens_per_second": round(update.tokens_per_second, 2),
               "notice": update.notice, "done": update.done, "record": update.record}


@user_errors
def on_model_pick(model: str, prompt: str):
    """Fill in the model's suggested settings, and its example prompt unless the user has written their own. Only
    for a model the user picks: a replayed record sets its own settings."""
    d, keep = get_spec(model, task="text").defaults, gr.update()
    untouched = prompt in {s.defaults.get("prompt") for s in list_models("text")}
    return (gr.update(value=d["prompt"]) if "prompt" in d and untouched else keep,
            *(gr.update(value=d.get(k, default)) for k, default in SETTING_DEFAULTS.items()))


@user_errors
def describe(model: str) -> str:
    return get_spec(model, task="text").description


def replayed(record: dict, texts: list[str]) -> dict:
    """The tab's fields for a remade text output: every setting, and the completions (as shown) in their boxes."""
    names = ("prompt", "chat", "max_new_tokens", "n", "seed", "temperature", "top_k", "top_p", "min_p",
             "repetition_penalty")
    boxes = [gr.update(value=t, visible=True) for t in texts]
    hidden = [gr.update(visible=False)] * (pipeline.MAX_COMPLETIONS - len(boxes))
    stops = "\n".join(s.encode("unicode_escape").decode() for s in record.get("stop") or [])
    return {"model": record["model"], "stops": stops, **{k: record[k] for k in names if k in record},
            **{f"output{i}": box for i, box in enumerate(boxes + hidden)}}


def build():
    names = [s.name for s in list_models("text")]
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label="Model", allow_custom_value=True, elem_id="text-model",
                                info="A registry model, or any Hub GPT-2, Llama, Mistral or Qwen2 as hf-hub:org/name.")
            about = gr.Markdown(get_spec(DEFAULT_MODEL).description)
            prompt = gr.Textbox("«Quiet", label="Prompt", lines=4, elem_id="text-prompt")
            chat = gr.Checkbox(True, label="Use the chat template", info="For instruct models that have one.")
            max_new_tokens = gr.Slider(1, pipeline.MAX_NEW_TOKENS, value=64, step=1, label="Max new tokens",
                                       elem_id="text-max-new-tokens")
            n = gr.Slider(1, pipeline.MAX_COMPLETIONS, value=2, step=1, label="Completions side by side")
            with gr.Row(equal_height=True):
                seed = gr.Number(0, label="Seed", precision=0, minimum=0, maximum=MAX_SEED, scale=4)
                dice = gr.Button("Random", scale=1, min_width=60)
            with gr.Accordion("Sampling", open=True):
                temperature = gr.Slider(0, 5, value=0.8, step=0.05, label="Temperature", info="0 = greedy")
                top_k = gr.Slider(0, 1000, value=0, step=1, label="Top-k", info="0 = off")
                top_p = gr.Slider(0.01, 1, value=1.0, step=0.01, label="Top-p", info="1 = off")
                min_p = gr.Slider(0, 1, value=0.0, step=0.01, label="Min-p", info="0 = off")
                repetition_penalty = gr.Slider(1, 3, value=1.0, step=0.05, label="Repetition penalty", info="1 = off")
                stops = gr.Textbox("", label="Stop strings", lines=2, info="One per line; \\n for a line break.")
            with gr.Row():
                button = gr.Button("Generate", variant="primary", elem_id="text-generate")
                stop = gr.Button("Stop", variant="stop", elem_id="text-stop")
            save = gr.DownloadButton("Save with its record (JSON)", visible=False, size="sm", elem_id="text-save")
        with gr.Column(scale=2):
            status = gr.Markdown(elem_id="text-status")
            with gr.Row():
                outputs = [gr.Textbox(label=f"Completion {i + 1}", lines=12, max_lines=30, visible=i < 2, min_width=240,
                                      buttons=["copy"], elem_id=f"text-output-{i}") for i in range(pipeline.MAX_COMPLETIONS)]

    gr.Examples([["text-art", "«Quiet"], ["text-art-lstm", "«Quiet"], ["text-art", "«Study of Tides No. 3» —"],
                 ["smollm2-135m-instruct", "Describe a painting of a quiet harbour at dawn."]],
                inputs=[model, prompt], label="Try a prompt")

    inputs = [model, prompt, max_new_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed, stops, n, chat]
    model.input(on_model_pick, [model, prompt], [prompt, max_new_tokens, temperature, top_k, top_p], api_name=False,
                show_progress_on=status)
    model.change(describe, model, about, api_name=False, show_progress_on=status)
    n.change(lambda k: [gr.update(visible=i < k) for i in range(pipeline.MAX_COMPLETIONS)], n, outputs, api_name=False)
    dice.click(lambda: random.randint(0, MAX_SEED), None, seed, api_name=False)
    # The API has its own endpoint that streams plain records; the button streams into the boxes.
    stoppable(button, stop, run_text, inputs, [*outputs, status, save], api_name=False, show_progress_on=status,
              **MODEL_RUN)
    gr.api(text_api, api_name="text", **MODEL_RUN)
    return {"model": model, "prompt": prompt, "chat": chat, "max_new_tokens": max_new_tokens, "n": n, "seed": seed,
            "temperature": temperature, "top_k": top_k, "top_p": top_p, "min_p": min_p,
            "repetition_penalty": repetition_penalty, "stops": stops, "status": status,
            **{f"output{i}": box for i, box in enumerate(outputs)}}
