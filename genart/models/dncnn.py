"""A DnCNN-style residual denoiser (Zhang et al. 2017, "Beyond a Gaussian Denoiser") with a noise-level map as an
extra input channel (as FFDNet does, Zhang et al. 2018), so one network serves every noise level and the user can
turn its strength up or down.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class DnCNNConfig:
    width: int = 48
    depth: int = 10
    model_type: str = "genart-dncnn"


class DnCNN(nn.Module):
    pad_multiple = 1

    def __init__(self, config: DnCNNConfig):
        super().__init__()
        self.config = config
        w = config.width
        layers: list[nn.Module] = [nn.Conv2d(4, w, 3, padding=1), nn.ReLU()]
        for _ in range(config.depth - 2):
            layers += [nn.Conv2d(w, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU()]
        layers.append(nn.Conv2d(w, 3, 3, padding=1))
        self.body = nn.Sequential(*layers)

    def forward(self, noisy: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """noisy (B, 3, H, W) in [0, 1], sigma (B,) noise std in [0, 1] units -> the clean estimate (B, 3, H, W)."""
        level = sigma.view(-1, 1, 1, 1).expand(-1, 1, *noisy.shape[-2:])  # (B, 1, H, W)
        return noisy - self.body(torch.cat([noisy, level], 1))  # the network predicts the noise
