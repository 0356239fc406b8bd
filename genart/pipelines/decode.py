"""The token loop for any genart decoder (GPT-2, Llama family): left-padded batched prompts, a static KV cache,
one prefill, then one token at a time. Tokens are yielded as they come, so callers can stream and stop."""
from collections.abc import Iterator

import torch
from torch import nn

from ..models.attention import causal_mask
from .sampling import SamplingSettings, apply_repetition_penalty, sample


def left_pad(prompts: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """-> tokens (B, T) and real-token mask (B, T), shorter prompts padded on the left."""
    width = max(len(p) for p in prompts)
    tokens = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompts])
    real = torch.tensor([[False] * (width - len(p)) + [True] * len(p) for p in prompts])
    return tokens, real


def positions_of(real: torch.Tensor) -> torch.Tensor:
    """(B, T) real-token mask -> (B, T) positions that ignore left padding."""
    return (real.long().cumsum(1) - 1).clamp(min=0)


def window_of(model: nn.Module) -> int | None:
    return getattr(model.config, "sliding_window", None)


@torch.inference_mode()
def decode(model: nn.Module, prompts: list[list[int]], max_new_tokens: int, settings: SamplingSettings,
           seed: int = 0, pad_id: int = 0, use_cache: bool = True) -> Iterator[torch.Tensor]:
    """Yield (B,) next tokens, max_new_tokens times. Without the cache every step re-reads the whole sequence."""
    device = next(model.parameters()).device
    tokens, real = left_pad(prompts, pad_id)
    tokens, real = tokens.to(device), real.to(device)
    B, T = tokens.shape
    total = T + max_new_tokens
    generator = torch.Generator().manual_seed(seed)
    padding = torch.zeros(B, total, dtype=torch.bool, device=device)
    padding[:, :T] = real
    history = torch.cat([tokens, tokens.new_zeros(B, max_new_tokens)], 1)  # (B, total)
    positions = torch.cat([positions_of(real), positions_of(real)[:, -1:] + torch.arange(1, max_new_tokens + 1, device=device)], 1)
    if use_cache:
        model.setup_cache(B, total)
    try:
        slots = torch.arange(T, device=device)
        width = total if use_cache else T  # keys: the whole cache, or just the prompt
        plain = bool(real.all()) and window_of(model) is None  # no padding, no window: causal attention needs no mask
        mask = None if plain else causal_mask(padding, slots, width, window_of(model))
        logits = model(tokens, positions[:, :T], mask, slots=slots if use_cache else None, last_only=True)
        for t in range(T, total):
            last = apply_repetition_penalty(logits[:, -1], history[:, :t], padding[:, :t], settings.repetition_penalty)
            nxt = sample(last, settings, generator)  # (B,)
            yield nxt
            history[:, t], padding[:, t] = nxt, True
            if t + 1 == total:
                break
            if use_cache:
                slot = torch.tensor([t], device=device)
                mask = None if plain else causal_mask(padding, slot, total, window_of(model))
                logits = model(nxt[:, None], positions[:, t:t + 1], mask, slots=slot, last_only=True)
            else:
                slots = torch.arange(t + 1, device=device)
                logits = model(history[:, :t + 1], positions[:, :t + 1],
                               causal_mask(padding[:, :t + 1], slots, t + 1, window_of(model)), last_only=True)
    finally:
        if use_cache:
            model.clear_cache()


def decode_rows(model: nn.Module, prompt: list[int], rows: int, max_new_tokens: int, settings: SamplingSettings,
                end: int, seed: int = 0) -> list[list[int]]:
    """`rows` continuations of one prompt, each up to its first `end` token (or max_new_tokens), without it."""
    tokens, done = [[] for _ in range(rows)], [False] * rows
    for step in decode(model, [prompt] * rows, max_new_tokens, settings, seed=seed):
        for row, token in enumerate(step.tolist()):
            done[row] = done[row] or token == end
            if not done[row]:
                tokens[row].append(token)
        if all(done):
            break
    return tokens
