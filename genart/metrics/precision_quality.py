"""What int8 weights cost a text model against float32: perplexity on held-out lines of the text-art corpus (for the
models trained on it), and the share of greedy tokens that agree with float32's (for any decoder), both running free
(one early disagreement changes the rest) and teacher-forced on float32's tokens. `make bench` prints them
(bench/text_precision.py); the tests hold int8 to them."""
import math
import statistics

import torch
import torch.nn.functional as F
from torch import nn

from ..data.text_corpus import HELD_OUT_SEED, corpus
from ..pipelines.decode import decode
from ..pipelines.sampling import GREEDY
from ..train.text_lm import batch_at, logits_of, token_stream

PROMPT, NEW = 8, 64  # random prompt tokens, greedy tokens compared


def greedy_tokens(model: nn.Module, prompt: torch.Tensor, n: int = NEW) -> torch.Tensor:
    """(T,) prompt -> (n,) greedy tokens."""
    return torch.stack([step[0] for step in decode(model, [prompt.tolist()], n, GREEDY)])


@torch.inference_mode()
def agreement(exact: nn.Module, int8: nn.Module, vocab: int, prompts: int = 8) -> tuple[float, float]:
    """-> (free-running, teacher-forced) share of int8's greedy tokens equal to float32's, over `prompts` random
    prompts of 64 new tokens each."""
    free, forced = [], []
    for seed in range(prompts):
        prompt = torch.randint(vocab, (PROMPT,), generator=torch.Generator().manual_seed(100 + seed))
        wanted = greedy_tokens(exact, prompt)  # (64,)
        free.append((greedy_tokens(int8, prompt) == wanted).float().mean().item())
        ids = torch.cat([prompt, wanted[:-1]])[None]  # (1, T): float32's path, scored by int8 position by position
        logits = int8(ids, torch.arange(ids.shape[1])[None], None)[0, PROMPT - 1:]  # (64, vocab)
        forced.append((logits.argmax(-1) == wanted).float().mean().item())
    return statistics.mean(free), statistics.mean(forced)


@torch.inference_mode()
def perplexity(module: nn.Module, tokenizer, block: int, lines: int = 1024) -> float:
    """exp(mean next-token loss) over blocks of held-out corpus lines (the trainer's validation data)."""
    stream, starts = token_stream(tokenizer, corpus(lines, seed=HELD_OUT_SEED))
    losses = [F.cross_entropy(logits_of(module, x).flatten(0, 1), y.flatten()).item()
              for x, y in (batch_at(stream, s, block) for s in starts.split(128))]
    return math.exp(statistics.mean(losses))
