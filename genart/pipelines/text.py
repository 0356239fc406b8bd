"""Text generation: prompt in, streamed completions out. Tokenizer from tokenizer.json, chat template from
tokenizer_config.json or chat_template.jinja (rendered in jinja2's sandbox, chat_template.py), decoding in decode.py,
stop strings and whole characters in streaming.py."""
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace

from tokenizers import Tokenizer
from torch import nn

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import get_spec
from ..replay import make_record
from . import chat_template
from .checks import MAX_SEED
from .decode import decode
from .latent_models import latents
from .precision import DEFAULT_PRECISION, PRECISION_HELP, PRECISION_HELP_ZH, conversion, converted
from .sampling import SamplingSettings
from .settings import checked, knob, setting
from .streaming import StopFilter, TextStream
from .task import Output, Task


@dataclass(frozen=True)
class TextSettings:
    prompt: str = knob("", "Prompt", high=32_000, label_zh="提示词")
    chat: bool = knob(True, "Use the chat template", "For instruct models that have one.",
                      label_zh="使用对话模板", help_zh="用于带有对话模板的指令模型。")
    max_new_tokens: int = knob(64, "Max new tokens", low=1, high=2048, step=1, label_zh="最大新词元数")
    n: int = knob(1, "Completions", "Side by side, each from its own random stream.", 1, 8, 1, sweep=False,
                  label_zh="续写条数", help_zh="并排显示，每条用各自的随机流。")
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED, label_zh="种子")
    temperature: float = knob(0.8, "Temperature", "0 = greedy", 0.0, 5.0, 0.05, label_zh="温度", help_zh="0 = 贪心")
    top_k: int = knob(0, "Top-k", "0 = off", 0, 1000, 1, label_zh="Top-k", help_zh="0 = 关闭")
    top_p: float = knob(1.0, "Top-p", "1 = off", 0.01, 1.0, 0.01, label_zh="Top-p", help_zh="1 = 关闭")
    min_p: float = knob(0.0, "Min-p", "0 = off", 0.0, 1.0, 0.01, label_zh="Min-p", help_zh="0 = 关闭")
    repetition_penalty: float = knob(1.0, "Repetition penalty", "1 = off", 1.0, 3.0, 0.05,
                                     label_zh="重复惩罚", help_zh="1 = 关闭")
    stop: list[str] = knob([], "Stop strings", "Generation ends where one appears; it is not shown.", high=16,
                           label_zh="停止字符串", help_zh="出现其中之一时生成结束；它本身不显示。")
    precision: str = knob(DEFAULT_PRECISION, "Precision", PRECISION_HELP, high=16,
                          label_zh="精度", help_zh=PRECISION_HELP_ZH)



MAX_COMPLETIONS = int(setting(TextSettings, "n").knob.high)  # the output boxes a tab builds


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


def load_text_model(name: str, progress: Progress | None = None, precision: str = DEFAULT_PRECISION) -> TextModel:
    spec = get_spec(name, task="text")
    convert = conversion(precision)
    loaded = load_model(spec, progress)
    model = runtime.MODELS.get(runtime.cache_key(spec.name, loaded.provenance, part="tokenizer"),
                               lambda: _tokenizer_parts(loaded))
    if convert is None:
        return model
    return runtime.MODELS.get(runtime.cache_key(spec.name, loaded.provenance, part=precision),
                              lambda: converted(model, convert))


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
    return fit_context(model, ids, max_new_tokens)


def fit_context(model: TextModel, ids: list[int], max_new_tokens: int) -> tuple[list[int], str]:
    """The ids cut from the left so that the reply fits the context; a notice when they were cut."""
    room = model.context - max_new_tokens
    if room < 1:
        raise GenartError(f"Max new tokens must leave room for the prompt in the {model.context}-token context; "
                          f"use at most {model.context - 1}.")
    if len(ids) > room:
        notice = f"The prompt was {len(ids)} tokens; its first {len(ids) - room} were dropped to fit the context."
        return ids[-room:], notice
    return ids, ""


def generate_text(name: str, settings: TextSettings, progress: Progress | None = None) -> Iterator[TextUpdate]:
    """Stream settings.n completions of settings.prompt. Closing the iterator stops generation at once."""
    s = ready(settings)
    model = load_text_model(name, progress, s.precision)
    ids, notice = encode_prompt(model, s.prompt, s.max_new_tokens, s.chat)
    record = make_record("text", model.loaded.spec.name, model.loaded.provenance, **asdict(s))
    yield from stream_text(model, ids, s.n, s, record, notice, continues_prompt=not (s.chat and model.chat_template))


def ready(settings):
    """A text or chat task's settings checked, the empty stop strings dropped (as the record keeps them)."""
    s = checked(settings)
    return replace(s, stop=[x for x in s.stop if x])


def sampling_of(s) -> SamplingSettings:
    """The sampling part of a text or chat task's settings."""
    return SamplingSettings(s.temperature, s.top_k, s.top_p, s.min_p, s.repetition_penalty)


def stream_text(model: TextModel, ids: list[int], n: int, s, record: dict, notice: str,
                continues_prompt: bool) -> Iterator[TextUpdate]:
    """n completions of the prompt ids, streamed: s gives max_new_tokens, the sampling, the seed and stop strings.
    The last update is done and carries the record."""
    decoder = DECODERS[model.loaded.arch](model.loaded.module, n, s.seed)
    streams = [TextStream(model.tokenizer.decode) for _ in range(n)]
    filters = [StopFilter(s.stop) for _ in range(n)]
    texts, finished = [""] * n, [False] * n
    count = 0
    with model.lock, runtime.oom_guard("fewer completions or new tokens"):
        start = time.perf_counter()
        for step in decode(decoder, [ids] * n, s.max_new_tokens, sampling_of(s), seed=s.seed):
            for i, token in enumerate(step.tolist()):
                if finished[i]:
                    continue
                count += 1
                if token in model.eos_ids:
                    finished[i] = True
                    continue
                texts[i] += filters[i].push(streams[i].push(token))
                finished[i] = filters[i].stopped
            yield TextUpdate(list(texts), count, count / (time.perf_counter() - start), notice,
                             continues_prompt=continues_prompt)
            if all(finished):
                break
    # Text held back (an unfinished character, a possible stop string's start) is what the model wrote after all.
    texts = [t + f.push(st.flush()) + f.flush() for t, st, f in zip(texts, streams, filters)]
    yield TextUpdate(texts, count, count / max(time.perf_counter() - start, 1e-9), notice, done=True, record=record,
                     continues_prompt=continues_prompt)


def complete(name: str, settings: TextSettings) -> list[str]:
    """The finished completions, for scripts that do not stream."""
    *_, last = generate_text(name, settings)
    return last.texts


def run(model: str, s: TextSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    *_, last = generate_text(model, s, progress)
    return [Output(last.record, texts=last.texts, notice=last.notice, continues_prompt=last.continues_prompt)]


def from_prior(module: nn.Module, n: int, seed: int) -> nn.Module:
    """A sentence VAE's decoder conditioned on n latents from its prior, completion i on the seed's latent i."""
    weight = next(module.parameters())
    return module.decoder_for(latents(seed, n, module.config.latent_dim).to(weight.device, weight.dtype))


# Every text architecture decodes the same way (prefill, then one token at a time with its cache), through the module
# each makes for n completions from a seed: a language model is its own; a sentence VAE's is its decoder on latents
# drawn from its prior.
DECODERS: dict[str, Callable[[nn.Module, int, int], nn.Module]] = {
    **dict.fromkeys(("gpt2", "llama", "lstm"), lambda module, n, seed: module), "sentence-vae": from_prior}
TASK = Task("text", TextSettings, DECODERS, run)
