"""The output head of a language model whose head is its token embedding (GPT-2, the LSTM, tied Llama-family models).

A module of its own so that code which swaps a model's linear maps (int8.quantize) finds the head like any other;
it holds no parameter, so state dicts keep the embedding once.
"""
import torch
import torch.nn.functional as F
from torch import nn


class TiedHead(nn.Module):
    def __init__(self, embedding: nn.Embedding):
        super().__init__()
        self._embedding = (embedding,)  # a tuple: not registered as a submodule, so its weight is not saved twice

    @property
    def weight(self) -> torch.Tensor:
        return self._embedding[0].weight  # (vocab, C)

    @property
    def in_features(self) -> int:
        return self.weight.shape[1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight)  # (..., C) -> (..., vocab)
