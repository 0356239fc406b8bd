"""The Text tab's Chat mode: a conversation with an instruct model through its own chat template, the reply
streamed, with Regenerate, Continue, Clear and Stop; the conversation saved with its record and replayed from it.

The turns live on the server (gr.State), never in a payload a visitor could shape: the chat window only shows them.
"""
import inspect
import random
from collections.abc import Iterator
from contextlib import closing

import gradio as gr

from ..errors import GenartError
from ..pipelines.chat import ChatSettings, chat
from ..pipelines.checks import MAX_SEED
from ..pipelines.precision import PRECISIONS
from ..registry import list_models
from .api_docs import documented
from .common import MODEL_RUN, Replayed, forward_progress, stoppable, user_errors
from .controls import control, controls, recorded
from .gpu import on_gpu
from .language import tr
from .text_tab import joined_stops, saved_record, split_stops, status_line
from .visitor import keep_file, kept

DEFAULT_MODEL = "smollm2-135m-instruct"
# The settings the Send, Regenerate and Continue events read after the model, the system prompt and the turns.
SAMPLING_FIELDS = ("max_new_tokens", "seed", "temperature", "top_k", "top_p", "min_p", "repetition_penalty")
FIELDS = (*SAMPLING_FIELDS, "stop", "precision")
ROLES = ("user", "assistant")


def shown(turns: list[str]) -> list[dict]:
    """The turns as the chat window's messages."""
    return [{"role": ROLES[i % 2], "content": text} for i, text in enumerate(turns)]


def reply(model, system, turns: list[str], continuing: bool, values: tuple, stop_request, progress) -> Iterator:
    """Streams (chat window, turns, status, message box, save button) as the reply grows; Stop keeps it so far."""
    given = dict(zip(FIELDS, values))
    settings = ChatSettings(system=system, turns=list(turns), continue_reply=continuing,
                            **given | {"stop": split_stops(given["stop"])})
    before = turns[:-1] if continuing else turns
    start = turns[-1] if continuing else ""
    with closing(chat(model, settings, forward_progress(progress))) as updates:
        for update in updates:
            now = [*before, start + update.texts[0]]
            stopped = stop_request.pressed and not update.done
            save = gr.update(value=saved_record(update, "conversation"), visible=True) if update.done else gr.update()
            yield shown(now), now, status_line(update, stopped), "", save
            if stopped:
                return


def reply_seconds(model, system, turns, max_new_tokens, *args, **kwargs) -> float:
    """GPU time to ask for: the reply's new tokens."""
    return 15 + 0.05 * max_new_tokens


def send_seconds(model, system, turns, message, max_new_tokens, *args, **kwargs) -> float:
    return reply_seconds(model, system, turns, max_new_tokens)


@kept
@user_errors
@on_gpu(send_seconds)
def run_send(model, system, turns, message, *values, progress=gr.Progress()):
    *values, stop_request = values
    if not isinstance(message, str) or not message.strip():
        raise GenartError("Write a message first.")
    yield from reply(model, system, [*turns, message], False, tuple(values), stop_request, progress)


@kept
@user_errors
@on_gpu(reply_seconds)
def run_regenerate(model, system, turns, *values, progress=gr.Progress()):
    """The last reply again, from a new seed (shown in the seed box, so the conversation replays)."""
    *values, stop_request = values
    if len(turns) < 2 or len(turns) % 2:
        raise GenartError("There is no reply to regenerate yet; send a message first.")
    seed = random.randint(0, MAX_SEED)
    values[FIELDS.index("seed")] = seed
    for update in reply(model, system, turns[:-1], False, tuple(values), stop_request, progress):
        yield *update, seed


@kept
@user_errors
@on_gpu(reply_seconds)
def run_continue(model, system, turns, *values, progress=gr.Progress()):
    *values, stop_request = values
    if not turns or len(turns) % 2:
        raise GenartError("There is no reply to continue; send a message first.")
    yield from reply(model, system, turns, True, tuple(values), stop_request, progress)


D = ChatSettings()


@user_errors
@on_gpu(lambda model=DEFAULT_MODEL, system="", turns=None, continue_reply=False, max_new_tokens=D.max_new_tokens,
        *args, **kwargs: reply_seconds(model, system, turns, max_new_tokens))
def chat_api(model: str = DEFAULT_MODEL, system: str = D.system, turns: list[str] | None = None,
             continue_reply: bool = D.continue_reply, max_new_tokens: int = D.max_new_tokens, seed: int = D.seed,
             temperature: float = D.temperature, top_k: int = D.top_k, top_p: float = D.top_p, min_p: float = D.min_p,
             repetition_penalty: float = D.repetition_penalty, stop: str = "",
             precision: str = D.precision) -> Iterator[dict]:
    """Stream an instruct model's next reply: turns are the conversation so far, the user's first and then in turn,
    the last the user's (with continue_reply, the model's unfinished reply to go on with). Each message has reply,
    tokens, tokens_per_second, notice, done, and the replay record with the last one. Stop strings one per line;
    precision is float32 or int8."""
    settings = ChatSettings(system=system, turns=turns if turns is not None else [], continue_reply=continue_reply,
                            max_new_tokens=max_new_tokens, seed=seed, temperature=temperature, top_k=top_k,
                            top_p=top_p, min_p=min_p, repetition_penalty=repetition_penalty, stop=split_stops(stop),
                            precision=precision)
    for update in chat(model, settings):
        if update.done:
            keep_file(saved_record(update, "conversation"))
        yield {"reply": update.texts[0], "tokens": update.tokens, "tokens_per_second": round(update.tokens_per_second, 2),
               "notice": update.notice, "done": update.done, "record": update.record}


CHAT_API_DESCRIPTION = documented(chat_api, ChatSettings, inspect.getdoc(chat_api))


def replayed(record: dict, output, path: None) -> dict:
    """The Chat mode's fields for a remade reply: the conversation with the reply made again, and every setting."""
    turns = list(record.get("turns") or [])
    continued = record.get("continue_reply")
    now = [*turns[:-1], turns[-1] + output.texts[0]] if continued else [*turns, output.texts[0]]
    values = recorded(ChatSettings, record)
    stops = joined_stops(values.pop("stop", []))
    values.pop("turns", None)
    values.pop("continue_reply", None)
    return {"mode": "chat", "chat.model": record["model"], "chat.stop": stops, "chat.window": shown(now),
            "chat.turns": now, **{f"chat.{k}": v for k, v in values.items()}}


REPLAYED = {"chat": Replayed("text", "chat.status", replayed)}


def build() -> dict:
    """-> the Chat mode's fields, named chat.*, for Replay."""
    names = [s.name for s in list_models("text")]
    turns = gr.State([])
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            model = gr.Dropdown(names, value=DEFAULT_MODEL, label=tr("Model"), allow_custom_value=True, elem_id="chat-model",
                                info=tr("An instruct model with a chat template, or any hf-hub:org/name that has one."))
            knobs = {"system": control(ChatSettings, "system", lines=3, elem_id="chat-system")}
            with gr.Accordion(tr("Sampling"), open=False):
                knobs |= controls(ChatSettings, SAMPLING_FIELDS)
                knobs["stop"] = control(ChatSettings, "stop", lines=2, info=tr("One per line; \\n for a line break."))
            knobs["precision"] = control(ChatSettings, "precision", choices=list(PRECISIONS), elem_id="chat-precision")
        with gr.Column(scale=2):
            window = gr.Chatbot(label=tr("Conversation"), height=420, elem_id="chat-window")
            message = gr.Textbox(label=tr("Message"), lines=2, placeholder=tr("Write to the model…"), elem_id="chat-message")
            with gr.Row():
                send = gr.Button(tr("Send"), variant="primary", elem_id="chat-send")
                stop = gr.Button(tr("Stop"), variant="stop", elem_id="chat-stop")
            with gr.Row():
                again = gr.Button(tr("Regenerate"), size="sm", elem_id="chat-regenerate")
                more = gr.Button(tr("Continue"), size="sm", elem_id="chat-continue")
                clear = gr.Button(tr("Clear"), size="sm", elem_id="chat-clear")
            status = gr.Markdown(elem_id="chat-status")
            save = gr.DownloadButton(tr("Save the conversation with its record (JSON)"), visible=False, size="sm",
                                     elem_id="chat-save")
    settings = [knobs[k] for k in FIELDS]
    outputs = [window, turns, status, message, save]
    shared = {"api_name": False, "show_progress_on": status, **MODEL_RUN}
    stoppable(send, stop, run_send, [model, knobs["system"], turns, message, *settings], outputs, **shared)
    stoppable(again, stop, run_regenerate, [model, knobs["system"], turns, *settings], [*outputs, knobs["seed"]],
              **shared)
    stoppable(more, stop, run_continue, [model, knobs["system"], turns, *settings], outputs, **shared)
    clear.click(lambda: ([], [], "", gr.update(visible=False)), None, [window, turns, status, save], api_name=False)
    window.clear(lambda: [], None, turns, api_name=False)  # the window's own bin empties the conversation too
    gr.api(chat_api, api_description=CHAT_API_DESCRIPTION, api_name="chat", **MODEL_RUN)
    return {"chat.model": model, "chat.window": window, "chat.turns": turns, "chat.status": status,
            **{f"chat.{k}": v for k, v in knobs.items()}}
