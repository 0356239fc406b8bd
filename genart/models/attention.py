"""Pieces every decoder shares: a static KV cache and the attention mask for left-padded batches."""
import torch
from torch import nn


class KVCache(nn.Module):
    """A static cache: keys and values for every position up to max_len, written in place."""

    def __init__(self, batch: int, heads: int, max_len: int, head_dim: int, dtype: torch.dtype, device=None):
        super().__init__()
        shape = (batch, heads, max_len, head_dim)
        self.register_buffer("k", torch.zeros(shape, dtype=dtype, device=device), persistent=False)
        self.register_buffer("v", torch.zeros(shape, dtype=dtype, device=device), persistent=False)

    def update(self, slots: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Write k, v (B, H, T, D) at cache slots (T,): consecutive, and only ever growing. Return the cache up to the
        last slot written (B, H, S, D), so attention never reads the empty slots beyond it."""
        start, end = int(slots[0]), int(slots[-1]) + 1
        self.k[:, :, start:end] = k  # a slice, not an index: a plain copy, which matters once per token per layer
        self.v[:, :, start:end] = v
        return self.k[:, :, :end], self.v[:, :, :end]


def causal_mask(padding: torch.Tensor, query_slots: torch.Tensor, max_len: int, window: int | None = None) -> torch.Tensor:
    """padding (B, S) bool True where a slot holds a real token; query_slots (T,) -> (B, 1, T, max_len) bool.

    `window` limits how far back a query sees (Mistral's sliding window). Every slot may attend to itself, so a padding
    row is never fully masked (that would give NaN); its output is unused.
    """
    keys = torch.arange(max_len, device=padding.device)
    causal = keys[None, :] <= query_slots[:, None]  # (T, S)
    if window is not None:
        causal &= keys[None, :] > query_slots[:, None] - window
    itself = keys[None, :] == query_slots[:, None]  # (T, S)
    return (causal[None, None] & padding[:, None, None, :max_len]) | itself[None, None]


def input_major(module: nn.Module) -> nn.Module:
    """Store every Linear and Embedding weight input-major in memory, its shape unchanged (the layout of Hugging Face's
    Conv1D). Generating one token is a chain of matrix-vector products; on a CPU they read this layout about 20%
    faster (measured on GPT-2 124M: 26.5 against 32 ms a token)."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                m.weight.data = m.weight.data.t().contiguous().t()
    return module
