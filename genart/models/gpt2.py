"""GPT-2 (Radford et al. 2019) in plain torch, loading Hugging Face GPT-2 checkpoints.

HF stores the projections as Conv1D, whose weight is (in, out); they are transposed into nn.Linear (out, in) on load.
The head is tied to the token embedding. Positions are explicit, so a left-padded batch gives every row the positions
it would have alone.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .attention import KVCache
from .checkpoint import expect, expect_shape
from .tied_head import TiedHead


@dataclass
class GPT2Config:
    vocab_size: int = 50257
    n_positions: int = 1024
    n_embd: int = 768
    n_layer: int = 12
    n_head: int = 12
    n_inner: int | None = None  # MLP width; None = 4 * n_embd
    layer_norm_epsilon: float = 1e-5


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.n_head, self.head_dim = config.n_head, config.n_embd // config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.cache: KVCache | None = None

    def forward(self, x: torch.Tensor, mask: torch.Tensor, slots: torch.Tensor | None) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)  # each (B, T, C)
        q, k, v = (t.view(B, T, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        if self.cache is not None:
            k, v = self.cache.update(slots, k, v)  # (B, H, S, D) with S = cache length
        if mask is not None:
            mask = mask[..., :k.shape[2]]  # the cache returns only the slots written so far
        # No mask: no padding and no window, so a prompt is plainly causal and one new token sees every key.
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None and T > 1)  # (B, H, T, D)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class MLP(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        inner = config.n_inner or 4 * config.n_embd
        self.c_fc = nn.Linear(config.n_embd, inner)
        self.c_proj = nn.Linear(inner, config.n_embd)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, mask, slots):
        x = x + self.attn(self.ln_1(x), mask, slots)
        return x + self.mlp(self.ln_2(x))


class GPT2(nn.Module):
    def __init__(self, config: GPT2Config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.head = TiedHead(self.wte)

    def setup_cache(self, batch: int, max_len: int, dtype: torch.dtype | None = None):
        dtype = dtype or self.wte.weight.dtype
        for block in self.h:
            a = block.attn
            block.attn.cache = KVCache(batch, a.n_head, max_len, a.head_dim, dtype, self.wte.weight.device)

    def clear_cache(self):
        for block in self.h:
            block.attn.cache = None

    def forward(self, idx: torch.Tensor, positions: torch.Tensor, mask: torch.Tensor,
                slots: torch.Tensor | None = None, last_only: bool = False) -> torch.Tensor:
        """idx (B, T) tokens, positions (B, T), mask (B, 1, T, S) bool (True = attend) or None for plain causal
        attention from slot 0, slots (T,) cache slots -> logits (B, T, vocab), or (B, 1, vocab) with last_only
        (generation needs only the next token's: the head over a long prompt costs as much as a third of the model)."""
        x = self.wte(idx) + self.wpe(positions)  # (B, T, C)
        for block in self.h:
            x = block(x, mask, slots)
        x = x[:, -1:] if last_only else x
        return self.head(self.ln_f(x))


# Hugging Face names -> ours: drop the "transformer." prefix; these are Conv1D in HF and are transposed.
HF_PREFIX = "transformer."
HF_TRANSPOSED = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")
HF_IGNORED = (".attn.bias", ".attn.masked_bias")  # causal-mask buffers that old checkpoints saved


def from_hf_state_dict(state: dict[str, torch.Tensor], config: GPT2Config) -> dict[str, torch.Tensor]:
    """Map an HF GPT-2 state dict (with or without the "transformer." prefix) onto GPT2's keys."""
    out = {}
    for key, value in state.items():
        if key == "lm_head.weight":
            wte = state.get("transformer.wte.weight", state.get("wte.weight"))
            expect(wte is not None and torch.equal(value, wte), "lm_head.weight differs from wte.weight; GPT-2's head must be tied to it")
            continue
        name = key.removeprefix(HF_PREFIX)
        if name.endswith(HF_IGNORED):
            continue
        if name.endswith(HF_TRANSPOSED):
            value = value.t()
        out[name] = value
    expected = 4 + config.n_layer * 12  # wte, wpe, ln_f.{weight,bias} + 12 tensors per block
    expect(len(out) == expected, f"expected {expected} GPT-2 tensors, found {len(out)}")
    expect_shape(out, "wte.weight", (config.vocab_size, config.n_embd))
    expect_shape(out, "h.0.attn.c_attn.weight", (3 * config.n_embd, config.n_embd))
    return out



def to_hf_state_dict(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """GPT2's keys -> the Hugging Face layout (what from_hf_state_dict reads), so transformers loads it too."""
    return {HF_PREFIX + k: (v.t() if k.endswith(HF_TRANSPOSED) else v).contiguous() for k, v in state.items()}
