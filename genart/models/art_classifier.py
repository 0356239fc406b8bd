"""A small CNN that tells genart's procedural art classes apart; the feature extractor for the GAN quality figures."""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class ArtClassifierConfig:
    num_classes: int = 6
    width: int = 32


def conv_block(c_in: int, c_out: int) -> nn.Sequential:
    """3x3 conv, BatchNorm, ReLU, then a stride-2 downsample: (B, c_in, S, S) -> (B, c_out, S/2, S/2)."""
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True),
                         nn.Conv2d(c_out, c_out, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True))


class ArtClassifier(nn.Module):
    def __init__(self, config: ArtClassifierConfig):
        super().__init__()
        w = config.width
        self.features = nn.Sequential(conv_block(3, w), conv_block(w, 2 * w), conv_block(2 * w, 4 * w),
                                      conv_block(4 * w, 4 * w))  # (B, 4w, S/16, S/16)
        self.head = nn.Linear(4 * w, config.num_classes)

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """images (B, 3, S, S) in [-1, 1] -> pooled features (B, 4w)."""
        return self.features(images).mean(dim=(2, 3))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(images))  # (B, num_classes) logits
