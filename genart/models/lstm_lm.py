"""An LSTM language model (embedding -> stacked LSTM -> projection -> tied head) in plain torch.

It takes the same call as genart's transformer decoders, so the one token loop in pipelines/decode.py runs it:
setup_cache() keeps the recurrent state between calls, and the attention mask tells which prompt tokens are padding.
"""
from dataclasses import dataclass

import torch
from torch import nn

from .tied_head import TiedHead


@dataclass
class LSTMConfig:
    vocab_size: int = 2048
    n_embd: int = 256
    hidden_size: int = 512
    n_layer: int = 2
    n_positions: int = 256  # the longest sequence it was trained on; the recurrence itself has no limit
    dropout: float = 0.0
    model_type: str = "genart-lstm"


class LSTMLanguageModel(nn.Module):
    def __init__(self, config: LSTMConfig):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.lstm = nn.LSTM(config.n_embd, config.hidden_size, config.n_layer, batch_first=True, dropout=config.dropout)
        self.proj = nn.Linear(config.hidden_size, config.n_embd)
        self.head = TiedHead(self.wte)
        self.state: tuple[torch.Tensor, torch.Tensor] | None = None  # (h, c), each (layers, B, hidden), while decoding

    def setup_cache(self, batch: int, max_len: int, dtype: torch.dtype | None = None):
        shape = (self.config.n_layer, batch, self.config.hidden_size)
        weight = self.wte.weight
        self.state = (weight.new_zeros(shape, dtype=dtype), weight.new_zeros(shape, dtype=dtype))

    def clear_cache(self):
        self.state = None

    def forward(self, idx: torch.Tensor, positions: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                slots: torch.Tensor | None = None, last_only: bool = False) -> torch.Tensor:
        """idx (B, T) -> logits (B, T, vocab). Positions are not used. With a cache (slots given) the recurrence
        continues from the state the previous call left; without one it starts from zero."""
        x = self.wte(idx)  # (B, T, E)
        state = self.state if slots is not None else None
        # A call that starts at slot 0 reads left-padded prompts. decode's masks end in a real token's row, and that
        # row marks every real token before it: it is the padding mask.
        starts = mask is not None and (slots is None or int(slots[0]) == 0)
        real = mask[:, 0, -1, :idx.shape[1]] if starts else None  # (B, T) bool
        if real is not None and not bool(real.all()):
            y, state = self._left_padded(x, real, state)
        else:
            y, state = self.lstm(x, state)  # (B, T, H)
        if slots is not None:
            self.state = state
        y = y[:, -1:] if last_only else y
        return self.head(self.proj(y))

    def _left_padded(self, x: torch.Tensor, real: torch.Tensor, state):
        """Run each row from its first real token, so padding never enters the recurrence; padded outputs are zero."""
        B, T, _ = x.shape
        y = x.new_zeros(B, T, self.config.hidden_size)
        hs, cs = [], []
        for b in range(B):
            first = int((~real[b]).sum())
            row_state = None if state is None else (state[0][:, b:b + 1].contiguous(), state[1][:, b:b + 1].contiguous())
            y[b:b + 1, first:], (h, c) = self.lstm(x[b:b + 1, first:], row_state)
            hs.append(h)
            cs.append(c)
        return y, (torch.cat(hs, 1), torch.cat(cs, 1))
