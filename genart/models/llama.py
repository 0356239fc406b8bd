"""Llama-family decoders in plain torch: Llama, Mistral and Qwen2 checkpoints from the Hugging Face Hub.

Grouped-query attention; RoPE in the Hugging Face rotate-half layout (default, linear or llama3 frequency scaling);
RMSNorm; SwiGLU MLP; tied or untied head. Qwen2 differs only by biases on q/k/v, Mistral by a sliding window: both are
fields of LlamaConfig, filled from config.json by the loader.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .attention import KVCache
from .checkpoint import expect, expect_shape
from .tied_head import TiedHead

ROPE_TYPES = ("default", "linear", "llama3")


@dataclass
class LlamaConfig:
    vocab_size: int = 32000
    hidden_size: int = 4096
    intermediate_size: int = 11008
    num_hidden_layers: int = 32
    num_attention_heads: int = 32
    num_key_value_heads: int = 32
    head_dim: int | None = None  # None = hidden_size // num_attention_heads
    rms_norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    rope_scaling: dict = field(default_factory=dict)  # {"rope_type": "linear" | "llama3", "factor": ..., ...}
    max_position_embeddings: int = 2048
    tie_word_embeddings: bool = False
    qkv_bias: bool = False  # Qwen2
    o_bias: bool = False
    sliding_window: int | None = None  # Mistral

    @property
    def dim_per_head(self) -> int:
        return self.head_dim or self.hidden_size // self.num_attention_heads


def rope_inv_freq(config: LlamaConfig) -> torch.Tensor:
    """Inverse frequencies (D/2,) of the rotary embedding, scaled as config.rope_scaling says."""
    d = config.dim_per_head
    inv_freq = 1.0 / config.rope_theta ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    kind = config.rope_scaling.get("rope_type", config.rope_scaling.get("type", "default"))
    if kind == "default":
        return inv_freq.float()
    if kind == "linear":
        return (inv_freq / config.rope_scaling["factor"]).float()
    if kind == "llama3":  # Llama 3.1: scale long wavelengths, keep short ones, blend in between
        s = config.rope_scaling
        old_len = s["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old_len / s["low_freq_factor"], old_len / s["high_freq_factor"]
        wavelen = 2 * math.pi / inv_freq
        scaled = torch.where(wavelen > low_wavelen, inv_freq / s["factor"], inv_freq)
        smooth = (old_len / wavelen - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
        blended = (1 - smooth) * scaled / s["factor"] + smooth * scaled
        medium = (wavelen >= high_wavelen) & (wavelen <= low_wavelen)
        return torch.where(medium, blended, scaled).float()
    raise ValueError(f"RoPE scaling {kind!r} is not supported; supported: {', '.join(ROPE_TYPES)}.")


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x (B, H, T, D), cos/sin (B, 1, T, D)."""
    return x * cos + rotate_half(x) * sin


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        return self.weight * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)


class Attention(nn.Module):
    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.n_head, self.n_kv, self.head_dim = config.num_attention_heads, config.num_key_value_heads, config.dim_per_head
        self.q_proj = nn.Linear(config.hidden_size, self.n_head * self.head_dim, bias=config.qkv_bias)
        self.k_proj = nn.Linear(config.hidden_size, self.n_kv * self.head_dim, bias=config.qkv_bias)
        self.v_proj = nn.Linear(config.hidden_size, self.n_kv * self.head_dim, bias=config.qkv_bias)
        self.o_proj = nn.Linear(self.n_head * self.head_dim, config.hidden_size, bias=config.o_bias)
        self.cache: KVCache | None = None

    def forward(self, x, cos, sin, mask, slots):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, H, T, D)
        k = self.k_proj(x).view(B, T, self.n_kv, self.head_dim).transpose(1, 2)  # (B, KV, T, D)
        v = self.v_proj(x).view(B, T, self.n_kv, self.head_dim).transpose(1, 2)  # (B, KV, T, D)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if self.cache is not None:
            k, v = self.cache.update(slots, k, v)  # (B, KV, S, D)
        if mask is not None:
            mask = mask[..., :k.shape[2]]  # the cache returns only the slots written so far
        # No mask: no padding and no window, so a prompt is plainly causal and one new token sees every key.
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None and T > 1,
                                           enable_gqa=self.n_kv != self.n_head)  # (B, H, T, D)
        return self.o_proj(y.transpose(1, 2).reshape(B, T, self.n_head * self.head_dim))


class MLP(nn.Module):
    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.gate_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.up_proj = nn.Linear(config.hidden_size, config.intermediate_size, bias=False)
        self.down_proj = nn.Linear(config.intermediate_size, config.hidden_size, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.self_attn = Attention(config)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.mlp = MLP(config)

    def forward(self, x, cos, sin, mask, slots):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask, slots)
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    def __init__(self, config: LlamaConfig):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.lm_head = TiedHead(self.embed_tokens) if config.tie_word_embeddings else \
            nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.register_buffer("inv_freq", rope_inv_freq(config), persistent=False)

    def setup_cache(self, batch: int, max_len: int, dtype: torch.dtype | None = None):
        dtype = dtype or self.embed_tokens.weight.dtype
        c = self.config
        for layer in self.layers:
            layer.self_attn.cache = KVCache(batch, c.num_key_value_heads, max_len, c.dim_per_head, dtype,
                                            self.embed_tokens.weight.device)

    def clear_cache(self):
        for layer in self.layers:
            layer.self_attn.cache = None

    def forward(self, idx: torch.Tensor, positions: torch.Tensor, mask: torch.Tensor,
                slots: torch.Tensor | None = None, last_only: bool = False) -> torch.Tensor:
        """idx (B, T), positions (B, T), mask (B, 1, T, S) bool or None for plain causal attention from slot 0,
        slots (T,) cache slots -> logits (B, T, vocab), or (B, 1, vocab) with last_only."""
        x = self.embed_tokens(idx)  # (B, T, C)
        angles = positions[..., None].float() * self.inv_freq  # (B, T, D/2)
        emb = torch.cat((angles, angles), dim=-1)[:, None]  # (B, 1, T, D): the rotate-half layout
        cos, sin = emb.cos().to(x.dtype), emb.sin().to(x.dtype)
        for layer in self.layers:
            x = layer(x, cos, sin, mask, slots)
        x = self.norm(x[:, -1:] if last_only else x)
        return self.lm_head(x)


HF_PREFIX = "model."


def from_hf_state_dict(state: dict[str, torch.Tensor], config: LlamaConfig) -> dict[str, torch.Tensor]:
    """Map an HF Llama/Mistral/Qwen2 state dict onto Llama's keys: the names match once "model." is dropped."""
    out = {}
    for key, value in state.items():
        if key.endswith("rotary_emb.inv_freq"):  # a buffer some old checkpoints saved; recomputed here
            continue
        if key == "lm_head.weight" and config.tie_word_embeddings:
            continue
        out[key.removeprefix(HF_PREFIX)] = value
    per_layer = 9 + 3 * config.qkv_bias + config.o_bias
    expected = 2 + (not config.tie_word_embeddings) + config.num_hidden_layers * per_layer
    expect(len(out) == expected, f"expected {expected} Llama tensors, found {len(out)}")
    kv_width = config.num_key_value_heads * config.dim_per_head
    expect_shape(out, "layers.0.self_attn.k_proj.weight", (kv_width, config.hidden_size))
    return out
