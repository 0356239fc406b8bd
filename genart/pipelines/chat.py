"""Chat with an instruct model: a conversation (a system prompt, then the user's and the model's turns) rendered by
the model's own chat template (sandboxed, chat_template.py), and the model's next reply streamed. With
continue_reply the last turn is the model's unfinished reply and it goes on writing it."""
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from ..errors import GenartError
from ..hub import Progress
from ..replay import make_record
from . import chat_template
from .settings import knob, same_as
from .task import Output, Task
from .text import TASK as TEXT
from .text import TextModel, TextSettings, TextUpdate, fit_context, load_text_model, ready, stream_text

MAX_TURN_CHARS = 16_000


@dataclass(frozen=True)
class ChatSettings:
    system: str = knob("", "System prompt", "What the model is told before the conversation; empty: none.",
                       high=MAX_TURN_CHARS, label_zh="系统提示", help_zh="对话开始前告诉模型的内容；留空：无。")
    turns: list[str] = knob([], "Conversation turns", "The conversation so far: the user's turn first, then the "
                            "model's and the user's in turn.", high=200, item_chars=MAX_TURN_CHARS,
                            label_zh="对话轮次", help_zh="到目前为止的对话：先是用户的发言，然后模型与用户轮流。")
    continue_reply: bool = knob(False, "Continue the last reply", "The last turn is the model's unfinished reply: "
                                "go on writing it instead of answering the user.",
                                label_zh="继续上一条回复", help_zh="最后一轮是模型未写完的回复：接着写下去，而不是回答用户。")
    max_new_tokens: int = same_as(TextSettings, "max_new_tokens")
    seed: int = same_as(TextSettings, "seed")
    temperature: float = same_as(TextSettings, "temperature")
    top_k: int = same_as(TextSettings, "top_k")
    top_p: float = same_as(TextSettings, "top_p")
    min_p: float = same_as(TextSettings, "min_p")
    repetition_penalty: float = same_as(TextSettings, "repetition_penalty")
    stop: list[str] = same_as(TextSettings, "stop")
    precision: str = same_as(TextSettings, "precision")


def messages(s: ChatSettings) -> list[dict]:
    """The conversation as the chat template's messages: the system prompt (if any), then user and assistant in turn."""
    roles = ("user", "assistant")
    return ([{"role": "system", "content": s.system}] if s.system.strip() else []) + \
        [{"role": roles[i % 2], "content": text} for i, text in enumerate(s.turns)]


def prompt_text(model: TextModel, s: ChatSettings) -> str:
    """The conversation through the template, ready for the model to write (or go on writing) its reply."""
    name = model.loaded.spec.name
    if not model.chat_template:
        raise GenartError(f"{name} has no chat template, so it cannot chat; use the completion mode, or an instruct "
                          "model such as smollm2-135m-instruct.")
    wanted = "the model's" if s.continue_reply else "the user's"
    if not s.turns or len(s.turns) % 2 != (0 if s.continue_reply else 1) or not s.turns[-1].strip():
        raise GenartError(f"The conversation must end with {wanted} turn; write a message first.")
    history = messages(s)
    if s.continue_reply:
        return chat_template.render(model.chat_template, name, history[:-1], **model.special) + history[-1]["content"]
    return chat_template.render(model.chat_template, name, history, **model.special)


def chat(name: str, settings: ChatSettings, progress: Progress | None = None) -> Iterator[TextUpdate]:
    """Stream the model's next reply (texts[0]: what it writes now; with continue_reply, what follows the unfinished
    reply). Closing the iterator stops generation at once."""
    s = ready(settings)
    model = load_text_model(name, progress, s.precision)
    ids, notice = fit_context(model, model.tokenizer.encode(prompt_text(model, s), add_special_tokens=False).ids,
                              s.max_new_tokens)
    if notice:
        notice = "The conversation is longer than the model's context; its oldest part was left out."
    record = make_record("chat", model.loaded.spec.name, model.loaded.provenance, **asdict(s))
    yield from stream_text(model, ids, 1, s, record, notice, continues_prompt=False)


def run(model: str, s: ChatSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    *_, last = chat(model, s, progress)
    return [Output(last.record, texts=last.texts, notice=last.notice, continues_prompt=False)]


TASK = Task("chat", ChatSettings, TEXT.methods, run, model_task="text")
