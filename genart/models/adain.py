"""AdaIN arbitrary style transfer (Huang & Belongie 2017, "Arbitrary Style Transfer in Real-time with Adaptive
Instance Normalization"), in the checkpoint layout of naoto0804/pytorch-AdaIN.

The encoder is that repo's vgg_normalised network cut after relu4_1 (its first 31 layers); its checkpoint holds all 53
layers, and the ones past the cut are dropped by name on load. The decoder mirrors the encoder with nearest upsampling.
Images are RGB in [0, 1], unnormalised (vgg_normalised's first 1x1 convolution does the normalisation).
"""
import torch
from torch import nn

from .checkpoint import expect

ENCODER_LAYOUT = (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512)  # up to relu4_1
ENCODER_CUT = 31  # layers kept of the 53 in vgg_normalised.pth
DECODER_LAYOUT = (256, "U", 256, 256, 256, 128, "U", 128, 64, "U", 64, 3)  # "U" = 2x nearest upsampling


def conv_block(c_in: int, c_out: int, relu: bool = True) -> list[nn.Module]:
    return [nn.ReflectionPad2d(1), nn.Conv2d(c_in, c_out, 3)] + ([nn.ReLU(inplace=True)] if relu else [])


def encoder() -> nn.Sequential:
    layers, c = [nn.Conv2d(3, 3, 1)], 3
    for item in ENCODER_LAYOUT:
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2, ceil_mode=True))
        else:
            layers += conv_block(c, item)
            c = item
    return nn.Sequential(*layers)


def decoder() -> nn.Sequential:
    layers, c = [], 512
    for i, item in enumerate(DECODER_LAYOUT):
        if item == "U":
            layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
        else:
            layers += conv_block(c, item, relu=i < len(DECODER_LAYOUT) - 1)  # no ReLU after the RGB output
            c = item
    return nn.Sequential(*layers)


def mean_std(feat: torch.Tensor, eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, C, H, W) -> per-channel mean and std, each (B, C, 1, 1)."""
    flat = feat.flatten(2)  # (B, C, HW)
    return flat.mean(2)[..., None, None], (flat.var(2) + eps).sqrt()[..., None, None]


def adain(content: torch.Tensor, style: torch.Tensor) -> torch.Tensor:
    """Content features (B, C, H, W) re-normalised to the style features' channel statistics."""
    c_mean, c_std = mean_std(content)
    s_mean, s_std = mean_std(style)
    return (content - c_mean) / c_std * s_std + s_mean


class AdaIN(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = encoder()
        self.decoder = decoder()

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> relu4_1 features (B, 512, H/8, W/8), H and W rounded up."""
        return self.encoder(x)

    def decode(self, t: torch.Tensor) -> torch.Tensor:
        return self.decoder(t)


def encoder_state(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """vgg_normalised.pth (53 layers) -> the 31 the encoder keeps."""
    kept = {k: v for k, v in state.items() if int(k.split(".")[0]) < ENCODER_CUT}
    dropped = [k for k in state if k not in kept]
    expect(len(kept) == 20, f"expected 10 encoder convolutions (20 tensors) before relu4_1, found {len(kept)}")
    expect(all(state[k].ndim in (1, 4) for k in dropped), "vgg_normalised.pth holds something other than convolutions")
    return kept
