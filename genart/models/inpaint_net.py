"""genart's own inpainting network: a small fully convolutional encoder-decoder whose middle is a stack of dilated
convolutions, so a 128 px hole sees context across the whole image (as in Iizuka et al. 2017's completion network).

Input: the image with the hole blanked and the mask (image in [0, 1], mask 1 = fill); output RGB in [0, 1]. Inside,
a fixed push-pull fill (a pyramid of mask-normalised averages, no parameters) gives every hole pixel a smooth first
guess from the known pixels around it; the network sees that guess too and predicts a correction to it.
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


def push_pull(x: torch.Tensor, known: torch.Tensor, levels: int = 7) -> torch.Tensor:
    """x (B, C, H, W) with known (B, 1, H, W) in {0, 1} -> x where known, a smooth interpolation elsewhere.

    Averages of known pixels at halving resolutions (push), then from the coarsest level back up, each level keeps
    its own estimate where it saw enough known pixels and takes the coarser one elsewhere (pull)."""
    nums, dens = [x * known], [known]
    for _ in range(levels):
        nums.append(F.avg_pool2d(nums[-1], 2, ceil_mode=True))
        dens.append(F.avg_pool2d(dens[-1], 2, ceil_mode=True))
    fill = (nums[-1].sum((2, 3), keepdim=True) / dens[-1].sum((2, 3), keepdim=True).clamp_min(1e-6)).expand_as(nums[-1])
    for level in range(levels, -1, -1):
        num, den = nums[level], dens[level]
        fill = F.interpolate(fill, size=num.shape[-2:], mode="bilinear", align_corners=False)
        weight = den if level == 0 else (4 * den).clamp(max=1)  # at full resolution: exactly the known pixels
        fill = weight * num / den.clamp_min(1e-6) + (1 - weight) * fill
    return fill


def conv(c_in: int, c_out: int, kernel: int = 3, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, dilation * (kernel // 2), dilation=dilation),
                         nn.GELU())


class InpaintNet(nn.Module):
    pad_multiple = 4  # two stride-2 downsamplings

    def __init__(self, config: InpaintNetConfig):
        super().__init__()
        self.config = config
        w = config.width
        self.enc1 = conv(7, w, 5)
        self.enc2 = conv(w, 2 * w, 3, stride=2)
        self.enc3 = conv(2 * w, 4 * w, 3, stride=2)
        self.middle = nn.Sequential(*(conv(4 * w, 4 * w, 3, dilation=d) for d in config.dilations))
        self.dec2 = conv(4 * w + 2 * w, 2 * w)
        self.dec1 = conv(2 * w + w, w)
        self.out = nn.Conv2d(w, 3, 3, padding=1)
        nn.init.zeros_(self.out.weight)  # training starts from the push-pull fill itself
        nn.init.zeros_(self.out.bias)

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """image (B, 3, H, W) in [0, 1], mask (B, 1, H, W), H and W multiples of 4 -> (B, 3, H, W)."""
        guess = push_pull(image * (1 - mask), 1 - mask)  # (B, 3, H, W)
        e1 = self.enc1(torch.cat([image * (1 - mask), mask, guess], 1))  # (B, w, H, W)
        e2 = self.enc2(e1)  # (B, 2w, H/2, W/2)
        m = self.middle(self.enc3(e2))  # (B, 4w, H/4, W/4)
        d2 = self.dec2(torch.cat([F.interpolate(m, scale_factor=2, mode="nearest"), e2], 1))  # (B, 2w, H/2, W/2)
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], 1))  # (B, w, H, W)
        return (guess + self.out(d1)).clamp(0, 1)
