"""int8 beside float32 for every kind of text model genart decodes, on the CPU: tokens/s at batch 1 and what int8
costs, measured in the same run. The shipped models by perplexity on held-out lines of their corpus; GPT-2 124M and a
SmolLM2-135M-shaped Llama with random weights by the share of greedy tokens that agree with float32 over 64 tokens,
both running free (one early disagreement changes the rest) and teacher-forced on float32's tokens."""
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

from ..data.text_corpus import HELD_OUT_SEED, corpus
from ..models.attention import input_major
from ..models.int8 import quantized
from ..models.llama import Llama, LlamaConfig
from ..pipelines.decode import decode
from ..pipelines.text import load_text_model
from ..train.text_lm import batch_at, init_weights, logits_of, token_stream
from .text import GREEDY, gpt2_pair
from .timing import machine

PROMPT, NEW = 8, 64
SMOLLM2_135M = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                           num_attention_heads=9, num_key_value_heads=3, rope_theta=100000.0, tie_word_embeddings=True)


def greedy_tokens(model: nn.Module, prompt: torch.Tensor, n: int = NEW) -> torch.Tensor:
    """(T,) prompt -> (n,) greedy tokens."""
    return torch.stack([step[0] for step in decode(model, [prompt.tolist()], n, GREEDY)])


def decode_rate(model: nn.Module, vocab: int, rounds: int = 5) -> float:
    """Tokens/s at batch 1 after an 8-token prompt: 64 new tokens minus 1, so the prefill cancels; median of rounds."""
    prompt = torch.randint(vocab, (PROMPT,), generator=torch.Generator().manual_seed(1))
    greedy_tokens(model, prompt, 2)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        greedy_tokens(model, prompt, 1)
        one = time.perf_counter() - start
        start = time.perf_counter()
        greedy_tokens(model, prompt, NEW)
        rates.append((NEW - 1) / (time.perf_counter() - start - one))
    return statistics.median(rates)


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


def random_llama() -> Llama:
    torch.manual_seed(0)
    model = Llama(SMOLLM2_135M)
    init_weights(model)
    return input_major(model.eval())  # as the loader prepares a Llama


def run():
    cpu = torch.device("cpu")
    rows = []
    for name in ("text-art", "text-art-lstm"):
        model = load_text_model(name)
        exact, block = model.loaded.module, min(96, model.context)
        int8 = quantized(exact)
        vocab = model.tokenizer.get_vocab_size()
        rows.append((f"{name} (shipped)", decode_rate(exact, vocab), decode_rate(int8, vocab),
                     f"perplexity on held-out lines {perplexity(exact, model.tokenizer, block):.3f} -> "
                     f"{perplexity(int8, model.tokenizer, block):.3f}"))
    for label, exact, vocab in (("GPT-2 124M (random weights)", gpt2_pair(cpu)[1], 50257),
                                ("SmolLM2-135M-shaped Llama (random weights)", random_llama(), SMOLLM2_135M.vocab_size)):
        int8 = quantized(exact)
        free, forced = agreement(exact, int8, vocab)
        rows.append((label, decode_rate(exact, vocab), decode_rate(int8, vocab),
                     f"greedy tokens equal to float32's: {free:.0%} running free, {forced:.1%} teacher-forced"))
    print(f"\n### text — int8 against float32, batch 1 — {machine(cpu)}\n")
    print("| model | float32 (tokens/s) | int8 (tokens/s) | int8 / float32 | what int8 costs |")
    print("|---|---|---|---|---|")
    for label, exact_rate, int8_rate, cost in rows:
        print(f"| {label} | {exact_rate:.1f} | {int8_rate:.1f} | {int8_rate / exact_rate:.2f} | {cost} |")
