"""int8 weights for decoding on a CPU, where one token costs about the bytes of weights it reads.

Every linear map (and a tied head, and a one-directional LSTM's two maps per layer) keeps its weight as int8 with one
symmetric scale per output channel, a quarter of float32's bytes, and multiplies through fbgemm's dynamic linear: the
input is quantized per call, one scale for all its rows, to 7 bits (reduce_range, which keeps fbgemm's 16-bit sums from
saturating on CPUs without VNNI), and the product comes back as float32. Embeddings, norms and attention stay float32.
A decoding step has one row per completion, so one completion's text can depend on the others beside it; a replay
runs them side by side again.
"""
import copy
import warnings

import torch
from torch import nn

from .tied_head import TiedHead


def packed_int8(weight: torch.Tensor, bias: torch.Tensor | None):
    """(out, in) float weight -> fbgemm's packed int8 weight with per-output-channel scales (and the float bias)."""
    w = weight.detach().float().cpu()
    scale = (w.abs().amax(1) / 127).clamp(min=1e-12)  # (out,)
    with warnings.catch_warnings():  # torch marks its quantized-tensor constructors deprecated; they are still its
        warnings.simplefilter("ignore")  # only route to fbgemm's int8 kernels
        q = torch.quantize_per_channel(w, scale.double(), torch.zeros(len(scale), dtype=torch.long), 0, torch.qint8)
    return torch.ops.quantized.linear_prepack(q, None if bias is None else bias.detach().float().cpu())


class Int8Linear(nn.Module):
    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None):
        super().__init__()
        self.out_features, self.in_features = weight.shape
        self.packed = packed_int8(weight, bias)  # not a tensor: never saved, never moved off the CPU

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.reshape(-1, x.shape[-1]).float()  # (N, in)
        y = torch.ops.quantized.linear_dynamic(flat, self.packed, True)  # (N, out)
        return y.view(*x.shape[:-1], self.out_features)


class Int8LSTM(nn.Module):
    """A batch-first, one-directional nn.LSTM with int8 maps, stepped in Python (decoding steps one token anyway).
    The gates are PyTorch's, in its order: input, forget, cell, output."""

    def __init__(self, lstm: nn.LSTM):
        super().__init__()
        self.hidden_size, self.num_layers = lstm.hidden_size, lstm.num_layers
        self.ih = nn.ModuleList(Int8Linear(getattr(lstm, f"weight_ih_l{i}"), getattr(lstm, f"bias_ih_l{i}"))
                                for i in range(self.num_layers))
        self.hh = nn.ModuleList(Int8Linear(getattr(lstm, f"weight_hh_l{i}"), getattr(lstm, f"bias_hh_l{i}"))
                                for i in range(self.num_layers))

    def forward(self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None):
        """x (B, T, in), state (h, c) each (layers, B, hidden) -> y (B, T, hidden), (h, c)."""
        B, T, _ = x.shape
        if state is None:
            zero = x.new_zeros(self.num_layers, B, self.hidden_size, dtype=torch.float32)
            state = (zero, zero)
        hs, cs = [], []
        for layer in range(self.num_layers):
            h, c = state[0][layer], state[1][layer]  # (B, hidden)
            from_input = self.ih[layer](x)  # (B, T, 4 hidden)
            ys = []
            for t in range(T):
                i, f, g, o = (from_input[:, t] + self.hh[layer](h)).chunk(4, dim=1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                ys.append(h)
            x = torch.stack(ys, 1)  # (B, T, hidden)
            hs.append(h)
            cs.append(c)
        return x, (torch.stack(hs), torch.stack(cs))


def swapped(module: nn.Module) -> nn.Module | None:
    """The int8 stand-in for one module, or None where it stays as it is."""
    if isinstance(module, nn.Linear):
        return Int8Linear(module.weight, module.bias)
    if isinstance(module, TiedHead):
        return Int8Linear(module.weight, None)
    if isinstance(module, nn.LSTM) and module.batch_first and not module.bidirectional and not module.proj_size:
        return Int8LSTM(module)
    return None


def quantized(model: nn.Module) -> nn.Module:
    """An int8 copy of a float model on the CPU; the model itself is untouched."""
    model = copy.deepcopy(model).cpu().float()
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            stand_in = swapped(child)
            if stand_in is not None:
                setattr(parent, name, stand_in)
    return model
