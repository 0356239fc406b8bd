"""Text generation: prompt in, streamed completions out. Tokenizer from tokenizer.json, chat template from
tokenizer_config.json or chat_template.jinja (rendered in jinja2's sandbox, chat_template.py), decoding in decode.py,
stop strings and whole characters in streaming.py."""
import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from tokenizers import Tokenizer

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import get_spec
from ..replay import make_record
from . import chat_template
from .checks import check_bool, check_float, check_int, check_seed, check_text, check_texts
from .decode import decode
from .sampling import SamplingSettings
from .streaming import StopFilter, TextStream

MAX_NEW_TOKENS = 2048
MAX_COMPLETIONS = 8
MAX_PROMPT_CHARS = 32_000
MAX_STOPS = 16


@dataclass
class TextModel:
    loaded: LoadedModel
    tokenizer: Tokenizer
    eos_ids: set[int]
    chat_template: str | None
    special: dict = field(default_factory=dict)  # bos_token / eos_token strings the template may use
    # The module holds one KV cache, so one generation at a time per loaded model; others wait their turn.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def context(self) -> int:
        c = self.loaded.module.config
        return getattr(c, "n_positions", None) or c.max_position_embeddings


@dataclass
class TextUpdate:
    texts: list[str]  # each completion so far
    tokens: int  # new tokens so far, all completions together
    tokens_per_second: float
    notice: str = ""
    done: bool = False
    record: dict = field(default_factory=dict)  # how to replay it: model, revision, prompt, every setting
    continues_prompt: bool = True  # the texts follow on from the prompt (no chat template: not a reply)


def _token_text(value) -> str | None:
    return value.get("content") if isinstance(value, dict) else value


def load_text_model(name: str, progress: Progress | None = None) -> TextModel:
    spec = get_spec(name, task="text")
    loaded = load_model(spec, progress)
    return runtime.MODELS.get(f"tokenizer|{spec.name}|{loaded.provenance}", lambda: _tokenizer_parts(loaded))


def _tokenizer_parts(loaded: LoadedModel) -> TextModel:
    folder = loaded.folder
    path = folder / "tokenizer.json"
    if not path.exists():
        raise GenartError(f"{loaded.spec.name} has no tokenizer.json; genart reads only fast-tokenizer files.")
    tokenizer = Tokenizer.from_file(str(path))
    settings = json.loads((folder / "tokenizer_config.json").read_text()) if (folder / "tokenizer_config.json").exists() else {}
    special = {k: _token_text(settings.get(k)) for k in ("bos_token", "eos_token") if settings.get(k)}
    eos: set[int] = set()
    for name in ("generation_config.json", "config.json"):
        if (folder / name).exists():
            value = json.loads((folder / name).read_text()).get("eos_token_id")
            eos |= set(value if isinstance(value, list) else [value] if value is not None else [])
    if special.get("eos_token") and tokenizer.token_to_id(special["eos_token"]) is not None:
        eos.add(tokenizer.token_to_id(special["eos_token"]))
    return TextModel(loaded, tokenizer, eos, _chat_template(folder, settings), special)


def _chat_template(folder, settings: dict) -> str | None:
    """A repo's chat template: chat_template.jinja where it ships one, else tokenizer_config.json's (a string, or
    a list of named templates of which genart uses "default")."""
    if (folder / "chat_template.jinja").exists():
        return (folder / "chat_template.jinja").read_text()
    template = settings.get("chat_template")
    if isinstance(template, list):
        template = next((t.get("template") for t in template if isinstance(t, dict) and t.get("name") == "default"), None)
    return template if isinstance(template, str) else None


def render_chat(model: TextModel, prompt: str) -> str:
    """The prompt as one user turn of the model's chat template, ready for the assistant's reply."""
    return chat_template.render(model.chat_template, model.loaded.spec.name, [{"role": "user", "content": prompt}],
                                **model.special)


def encode_prompt(model: TextModel, prompt: str, max_new_tokens: int, chat: bool) -> tuple[list[int], str]:
    """Token ids of the prompt, cut from the left to leave room for the reply; a notice when it was cut."""
    if not prompt.strip():
        raise GenartError("The prompt is empty; type something for the model to continue.")
    if chat and model.chat_template:
        ids = model.tokenizer.encode(render_chat(model, prompt), add_special_tokens=False).ids
    else:
        ids = model.tokenizer.encode(prompt).ids
    room = model.context - max_new_tokens
    if room < 1:
        raise GenartError(f"Max new tokens must leave room for the prompt in the {model.context}-token context; "
                          f"use at most {model.context - 1}.")
    if len(ids) > room:
        return ids[-room:], f"The prompt was {len(ids)} tokens; its first {len(ids) - room} were dropped to fit the context."
    return ids, ""


def check_settings(s: SamplingSettings) -> SamplingSettings:
    return SamplingSettings(temperature=check_float("Temperature", s.temperature, 0.0, 5.0),
                            top_k=check_int("Top-k", s.top_k, 0, 1000),
                            top_p=check_float("Top-p", s.top_p, 0.01, 1.0),
                            min_p=check_float("Min-p", s.min_p, 0.0, 1.0),
                            repetition_penalty=check_float("Repetition penalty", s.repetition_penalty, 1.0, 3.0))


def generate_text(name: str, prompt: str, max_new_tokens: int = 64, settings: SamplingSettings = SamplingSettings(),
                  seed: int = 0, stop: list[str] | None = None, n: int = 1, chat: bool = True,
                  progress: Progress | None = None) -> Iterator[TextUpdate]:
    """Stream n completions of `prompt`. Closing the iterator stops generation at once."""
    max_new_tokens = check_int("Max new tokens", max_new_tokens, 1, MAX_NEW_TOKENS)
    n = check_int("Completions", n, 1, MAX_COMPLETIONS)
    seed, settings = check_seed(seed), check_settings(settings)
    prompt, chat = check_text("The prompt", prompt, MAX_PROMPT_CHARS), check_bool("Use the chat template", chat)
    stop = [s for s in check_texts("Stop strings", stop or [], MAX_STOPS, 200) if s]
    model = load_text_model(name, progress)
    ids, notice = encode_prompt(model, prompt, max_new_tokens, chat)
    raw = not (chat and model.chat_template)
    record = make_record("text", model.loaded.spec.name, model.loaded.provenance, prompt=prompt, chat=chat, seed=seed,
                         max_new_tokens=max_new_tokens, **dataclasses.asdict(settings), stop=stop, n=n)
    streams = [TextStream(model.tokenizer.decode) for _ in range(n)]
    filters = [StopFilter(stop) for _ in range(n)]
    texts, finished = [""] * n, [False] * n
    count = 0
    with model.lock, runtime.oom_guard("fewer completions or new tokens"):
        start = time.perf_counter()
        for step in decode(model.loaded.module, [ids] * n, max_new_tokens, settings, seed=seed):
            for i, token in enumerate(step.tolist()):
                if finished[i]:
                    continue
                count += 1
                if token in model.eos_ids:
                    finished[i] = True
                    continue
                texts[i] += filters[i].push(streams[i].push(token))
                finished[i] = filters[i].stopped
            yield TextUpdate(list(texts), count, count / (time.perf_counter() - start), notice, continues_prompt=raw)
            if all(finished):
                break
    # Text held back (an unfinished character, a possible stop string's start) is what the model wrote after all.
    texts = [t + f.push(s.flush()) + f.flush() for t, s, f in zip(texts, streams, filters)]
    yield TextUpdate(texts, count, count / max(time.perf_counter() - start, 1e-9), notice, done=True, record=record,
                     continues_prompt=raw)


def complete(name: str, prompt: str, **kwargs) -> list[str]:
    """The finished completions, for scripts that do not stream."""
    *_, last = generate_text(name, prompt, **kwargs)
    return last.texts

