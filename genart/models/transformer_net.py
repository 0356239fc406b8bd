"""The fast style-transfer network of Johnson et al. 2016 ("Perceptual Losses for Real-Time Style Transfer"), in the
layout of pytorch/examples fast_neural_style: conv1..3 / in1..5 / res1..5 / deconv1..3.

Like that example it reads and writes pixels in [0, 255]. Old checkpoints saved InstanceNorm running statistics
(in*.running_mean / running_var) that the layers never use; they are dropped by name on load.
"""
import re
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class TransformerNetConfig:
    model_type: str = "transformer-net"
    style: str = ""  # what it paints, in words
    width: int = 32  # channels of the first layer (2x and 4x deeper down); pytorch/examples' networks have 32


def instance_norm(x: torch.Tensor, norm: nn.InstanceNorm2d) -> torch.Tensor:
    """norm(x), for one image as batch norm over it alone: the same statistics in one fused pass that keeps
    channels-last memory, where instance_norm copies the input to NCHW and back (at 512 px on a CPU it took a third
    of the network's time)."""
    if x.shape[0] > 1:
        return norm(x)
    return F.batch_norm(x, None, None, norm.weight, norm.bias, True, 0.0, norm.eps)


class ConvLayer(nn.Module):
    """Reflection-padded convolution."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int, stride: int):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = nn.Conv2d(c_in, c_out, kernel_size, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class UpsampleConvLayer(ConvLayer):
    """Nearest 2x upsampling, then a convolution: no checkerboard (Odena et al. 2016, distill.pub)."""

    def forward(self, x):
        return super().forward(F.interpolate(x, scale_factor=2, mode="nearest"))


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with instance norm and a skip (He et al. 2016, as in Johnson et al.'s supplement)."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, 3, 1)
        self.in1 = nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, 3, 1)
        self.in2 = nn.InstanceNorm2d(channels, affine=True)

    def forward(self, x):
        return x + instance_norm(self.conv2(F.relu(instance_norm(self.conv1(x), self.in1))), self.in2)


class TransformerNet(nn.Module):
    def __init__(self, config: TransformerNetConfig | None = None):
        super().__init__()
        self.config = config or TransformerNetConfig()
        c1, c2, c3 = (self.config.width * k for k in (1, 2, 4))
        self.conv1, self.in1 = ConvLayer(3, c1, 9, 1), nn.InstanceNorm2d(c1, affine=True)
        self.conv2, self.in2 = ConvLayer(c1, c2, 3, 2), nn.InstanceNorm2d(c2, affine=True)
        self.conv3, self.in3 = ConvLayer(c2, c3, 3, 2), nn.InstanceNorm2d(c3, affine=True)
        self.res1, self.res2, self.res3, self.res4, self.res5 = (ResidualBlock(c3) for _ in range(5))
        self.deconv1, self.in4 = UpsampleConvLayer(c3, c2, 3, 1), nn.InstanceNorm2d(c2, affine=True)
        self.deconv2, self.in5 = UpsampleConvLayer(c2, c1, 3, 1), nn.InstanceNorm2d(c1, affine=True)
        self.deconv3 = ConvLayer(c1, 3, 9, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (B, 3, H, W) in [0, 255] -> (B, 3, H', W') in about [0, 255]; H' = H when H is a multiple of 4."""
        y = F.relu(instance_norm(self.conv1(x), self.in1))
        y = F.relu(instance_norm(self.conv2(y), self.in2))  # (B, 2 width, H/2, W/2)
        y = F.relu(instance_norm(self.conv3(y), self.in3))  # (B, 4 width, H/4, W/4)
        y = self.res5(self.res4(self.res3(self.res2(self.res1(y)))))
        y = F.relu(instance_norm(self.deconv1(y), self.in4))  # (B, 2 width, H/2, W/2)
        y = F.relu(instance_norm(self.deconv2(y), self.in5))  # (B, width, H, W)
        return self.deconv3(y)


STALE = re.compile(r"in\d+\.running_(mean|var)$")


def drop_stale_statistics(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {k: v for k, v in state.items() if not STALE.search(k)}
