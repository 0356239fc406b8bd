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
        """Write k, v (B, H, T, D) at cache slots (T,); return the whole cache (B, H, max_len, D)."""
        self.k[:, :, slots] = k
        self.v[:, :, slots] = v
        return self.k, self.v


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
