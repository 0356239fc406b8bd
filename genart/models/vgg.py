"""VGG-19's convolutional part (Simonyan & Zisserman 2015) in torchvision's layout, as a feature extractor for
Gatys et al. style transfer.

Keys are torchvision's `features.N.weight/bias`; timm's vgg19.tv_in1k (torchvision's weights) uses the same ones.
Inputs are RGB in [0, 1]; the ImageNet normalisation happens inside.
"""
from dataclasses import dataclass

import torch
from torch import nn

from .checkpoint import expect

# Channels of each 3x3 convolution; "M" is a 2x2 max pool. torchvision's configuration "E".
VGG19_LAYOUT = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M")
# Index in `features` of the ReLU after each named convolution.
LAYER_INDEX = {"relu1_1": 1, "relu2_1": 6, "relu3_1": 11, "relu4_1": 20, "relu4_2": 22, "relu5_1": 29}


@dataclass
class VGGConfig:
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    content_layers: tuple[str, ...] = ("relu4_2",)
    style_layers: tuple[str, ...] = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1")


def vgg_features() -> nn.Sequential:
    layers, channels = [], 3
    for item in VGG19_LAYOUT:
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, item, 3, padding=1), nn.ReLU()]
            channels = item
    return nn.Sequential(*layers)


class VGG19Features(nn.Module):
    def __init__(self, config: VGGConfig):
        super().__init__()
        self.config = config
        self.features = vgg_features()
        self.register_buffer("mean", torch.tensor(config.mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(config.std).view(1, 3, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor, layers: tuple[str, ...]) -> dict[str, torch.Tensor]:
        """x (B, 3, H, W) in [0, 1] -> {layer name: (B, C, h, w)} for the named layers, running no further than needed."""
        wanted = {LAYER_INDEX[name]: name for name in layers}
        out, x = {}, (x - self.mean) / self.std
        for i, layer in enumerate(self.features[:max(wanted) + 1]):
            x = layer(x)
            if i in wanted:
                out[wanted[i]] = x
        return out


# timm's vgg19 checkpoints also hold the classifier, which style transfer never runs: dropped by name on load.
CLASSIFIER_PREFIXES = ("pre_logits.", "head.", "classifier.")


def features_only(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    kept = {k: v for k, v in state.items() if k.startswith("features.")}
    other = [k for k in state if k not in kept and not k.startswith(CLASSIFIER_PREFIXES)]
    expect(not other, f"unexpected VGG keys {other[:3]}")
    expect(len(kept) == 32, f"expected the 16 convolutions of VGG-19 (32 tensors), found {len(kept)}")
    return kept
