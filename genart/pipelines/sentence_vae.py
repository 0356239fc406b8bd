"""What only a sentence VAE does with text: reconstruct a sentence through its latent space, and walk between two
sentences (Bowman et al.'s homotopy: evenly spaced points on the line between their latents, each decoded greedily).
Sampling from its prior is the text task's (text.py's DECODERS)."""
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import torch
from tokenizers import Tokenizer
from torch import nn

from ..errors import GenartError
from ..hub import Progress
from ..replay import make_record
from .decode import decode_rows
from .sampling import SamplingSettings
from .settings import checked, knob
from .task import Output, Task
from .text import TextModel, TextUpdate, load_text_model


@dataclass(frozen=True)
class ReconstructSettings:
    sentence: str = knob("", "Sentence", "Taken into the latent space (the posterior's mean) and decoded back, greedily.",
                         high=1000, label_zh="句子", help_zh="送入潜空间（取后验均值）再贪心解码回来。")


@dataclass(frozen=True)
class BetweenSettings:
    sentence_a: str = knob("", "From sentence", high=1000, label_zh="起点句子")
    sentence_b: str = knob("", "To sentence", high=1000, label_zh="终点句子")
    steps: int = knob(7, "Steps", "Evenly spaced points from one sentence's latent to the other's, both ends included, "
                      "each decoded greedily.", 3, 17, 1,
                      label_zh="步数", help_zh="从一个句子的潜向量到另一个句子的潜向量之间等距的点，包括两端，每个点都贪心解码。")


def sentence_rows(module: nn.Module, tokenizer: Tokenizer, sentences: list[str]) -> list[list[int]]:
    """Each sentence's tokens without the start token; one sentence when one is empty or too long."""
    longest = module.config.n_positions - 2  # the sentence between its start and end tokens
    rows = []
    for sentence in sentences:
        if not sentence.strip():
            raise GenartError("A sentence is empty; type one for the model to read.")
        rows.append(tokenizer.encode(sentence).ids[1:])  # the post-processor's start token dropped
        if len(rows[-1]) > longest:
            raise GenartError(f"A sentence is {len(rows[-1])} tokens; this model reads at most {longest}.")
    return rows


def posterior(module: nn.Module, rows: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """The posterior's mean and log-variance of each row of tokens, each (N, latent_dim)."""
    tokens = torch.zeros(len(rows), max(map(len, rows)), dtype=torch.long)  # (N, T) right-padded
    for i, row in enumerate(rows):
        tokens[i, :len(row)] = torch.tensor(row)
    with torch.inference_mode():
        return module.encode(tokens.to(next(module.parameters()).device), torch.tensor([len(r) for r in rows]))


def greedy_lines(module: nn.Module, tokenizer: Tokenizer, z: torch.Tensor) -> list[str]:
    """Each latent of z (N, latent_dim) decoded greedily from the start token to the end token."""
    start = tokenizer.encode("").ids
    rows = decode_rows(module.decoder_for(z), start, len(z), module.config.n_positions - 1,
                       SamplingSettings(temperature=0.0), start[-1])
    return [tokenizer.decode(r) for r in rows]


def vae_model(name: str, table: dict, progress: Progress | None) -> TextModel:
    """The loaded model, when its architecture is one of the task's (a sentence VAE); one sentence otherwise."""
    model = load_text_model(name, progress)
    if model.loaded.arch not in table:
        raise GenartError(f"{model.loaded.spec.name} is a {model.loaded.arch} language model with no encoder; "
                          "reconstructing and walking between sentences need a sentence VAE such as text-art-vae.")
    return model


def reconstruct(name: str, settings: ReconstructSettings, progress: Progress | None = None) -> Iterator[TextUpdate]:
    """One update: the sentence decoded back from its latent, with the record."""
    s = checked(settings)
    model = vae_model(name, RECONSTRUCT.methods, progress)
    start = time.perf_counter()
    with model.lock:
        mean, _ = posterior(model.loaded.module, sentence_rows(model.loaded.module, model.tokenizer, [s.sentence]))
        line, = greedy_lines(model.loaded.module, model.tokenizer, mean)
    record = make_record("reconstruct", model.loaded.spec.name, model.loaded.provenance, **asdict(s))
    same = "the same sentence" if line == s.sentence else "a different sentence"
    yield TextUpdate([line], 0, 0.0, f"Decoded back to {same} in {time.perf_counter() - start:.2f} s.", done=True,
                     record=record, continues_prompt=False)


def between(name: str, settings: BetweenSettings, progress: Progress | None = None) -> Iterator[TextUpdate]:
    """The homotopy, streamed a line at a time; the last update is done and carries the record."""
    s = checked(settings)
    model = vae_model(name, BETWEEN.methods, progress)
    lines, start = [], time.perf_counter()
    with model.lock:
        module = model.loaded.module
        (a, b), _ = posterior(module, sentence_rows(module, model.tokenizer, [s.sentence_a, s.sentence_b]))
        for t in torch.linspace(0, 1, s.steps):
            lines += greedy_lines(module, model.tokenizer, torch.lerp(a, b, t)[None])
            yield TextUpdate(["\n".join(lines)], 0, 0.0, continues_prompt=False)
    record = make_record("between", model.loaded.spec.name, model.loaded.provenance, **asdict(s))
    yield TextUpdate(["\n".join(lines)], 0, 0.0, f"{s.steps} points in {time.perf_counter() - start:.2f} s.",
                     done=True, record=record, continues_prompt=False)


def final(updates: Iterator[TextUpdate]) -> Output:
    *_, last = updates
    return Output(last.record, texts=last.texts, notice=last.notice, continues_prompt=False)


RECONSTRUCT = Task("reconstruct", ReconstructSettings, {"sentence-vae": reconstruct},
                   lambda model, s, inputs, progress: [final(reconstruct(model, s, progress))], model_task="text")
BETWEEN = Task("between", BetweenSettings, {"sentence-vae": between},
               lambda model, s, inputs, progress: [final(between(model, s, progress))], model_task="text")
