"""A fixed-seed random multi-scale convolutional network: style-transfer features that need no trained weights.

Texture synthesis works with random filters (Ustyuzhaninov et al. 2017, "What does it take to generate natural
textures?"): Gram matrices of many random ReLU features at several scales capture a texture well enough. Weights
come from a seeded generator, so every machine builds the same network; there is no checkpoint.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class RandomFeaturesConfig:
    channels: tuple[int, ...] = (64, 128, 256, 256)  # one 3x3 conv + ReLU per scale, 2x average-pooled between
    seed: int = 0
    content_layers: tuple[str, ...] = ("level3",)
    style_layers: tuple[str, ...] = ("level1", "level2", "level3", "level4")


class RandomFeatures(nn.Module):
    def __init__(self, config: RandomFeaturesConfig):
        super().__init__()
        self.config = config
        g = torch.Generator().manual_seed(config.seed)
        self.convs = nn.ModuleList()
        previous = 3
        for c in config.channels:
            conv = nn.Conv2d(previous, c, 3, padding=1, padding_mode="reflect")
            with torch.no_grad():  # He-scaled, zero-mean filters keep activations at a steady scale through the levels
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * (2.0 / (9 * previous)) ** 0.5)
                conv.bias.zero_()
            self.convs.append(conv)
            previous = c
        self.requires_grad_(False)

    def forward(self, x: torch.Tensor, layers: tuple[str, ...]) -> dict[str, torch.Tensor]:
        """x (B, 3, H, W) in [0, 1] -> {"levelN": (B, C_N, H / 2^(N-1), W / 2^(N-1))} for the named levels."""
        out, x = {}, x * 2 - 1
        last = max(int(name.removeprefix("level")) for name in layers)
        for n, conv in enumerate(self.convs[:last], start=1):
            if n > 1:
                x = F.avg_pool2d(x, 2, ceil_mode=True)
            x = F.relu(conv(x))
            if f"level{n}" in layers:
                out[f"level{n}"] = x
        return out
