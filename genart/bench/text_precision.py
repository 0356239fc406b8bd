"""int8 beside float32 for every kind of text model genart decodes, on the CPU: tokens/s at batch 1 and what int8
costs (metrics/precision_quality.py), measured in the same run. The shipped models by perplexity on held-out lines of
their corpus; GPT-2 124M and a SmolLM2-135M-shaped Llama with random weights by the share of greedy tokens that agree
with float32 over 64 tokens, running free and teacher-forced."""
import statistics
import time

import torch
from torch import nn

from ..metrics.precision_quality import NEW, PROMPT, agreement, greedy_tokens, perplexity
from ..models.attention import input_major
from ..models.int8 import quantized
from ..models.llama import Llama, LlamaConfig
from ..pipelines.text import load_text_model
from ..train.text_lm import init_weights
from .text import gpt2_pair
from .timing import machine

SMOLLM2_135M = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                           num_attention_heads=9, num_key_value_heads=3, rope_theta=100000.0, tie_word_embeddings=True)


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
