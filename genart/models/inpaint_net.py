"""genart's own inpainting network: a small fully convolutional encoder-decoder whose middle is a stack of dilated
convolutions, so a 128 px hole sees context across the whole image (as in Iizuka et al. 2017's completion network).

Input: the image with the hole blanked and the mask (4 channels, image in [0, 1], mask 1 = fill); output RGB in [0, 1].
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class InpaintNetConfig:
    width: int = 32
    dilations: tuple[int, ...] = (2, 4, 8, 16, 1)
    model_type: str = "genart-inpaint"


def conv(c_in: int, c_out: int, kernel: int = 3, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, dilation * (kernel // 2), dilation=dilation),
                         nn.GELU())


class InpaintNet(nn.Module):
    pad_multiple = 4  # two stride-2 downsamplings

    def __init__(self, config: InpaintNetConfig):
        super().__init__()
        self.config = config
        w = config.width
        self.enc1 = conv(4, w, 5)
        self.enc2 = conv(w, 2 * w, 3, stride=2)
        self.enc3 = conv(2 * w, 4 * w, 3, stride=2)
        self.middle = nn.Sequential(*(conv(4 * w, 4 * w, 3, dilation=d) for d in config.dilations))
        self.dec2 = conv(4 * w + 2 * w, 2 * w)
        self.dec1 = conv(2 * w + w, w)
        self.out = nn.Conv2d(w, 3, 3, padding=1)

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """image (B, 3, H, W) in [0, 1], mask (B, 1, H, W), H and W multiples of 4 -> (B, 3, H, W)."""
        e1 = self.enc1(torch.cat([image * (1 - mask), mask], 1))  # (B, w, H, W)
        e2 = self.enc2(e1)  # (B, 2w, H/2, W/2)
        m = self.middle(self.enc3(e2))  # (B, 4w, H/4, W/4)
        d2 = self.dec2(torch.cat([F.interpolate(m, scale_factor=2, mode="nearest"), e2], 1))  # (B, 2w, H/2, W/2)
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], 1))  # (B, w, H, W)
        return torch.sigmoid(self.out(d1))
