"""genart's own inpainting network: a small fully convolutional encoder-decoder whose middle is a stack of dilated
convolutions, so a 128 px hole sees context across the whole image (as in Iizuka et al. 2017's completion network).

Input: the image with the hole blanked and the mask (image in [0, 1], mask 1 = fill); output RGB in [0, 1].

Inside, every hole pixel gets four parameter-free candidates: a smooth fill (smooth_fill.py: push-pull, or the
harmonic, biharmonic or tension fill in checkpoints whose config names it) and the pixels at its mirror positions
(left-right, top-bottom, and through the centre), each where that position is known. The network sees them all,
predicts per pixel how to weigh the candidates that exist, and adds a correction. Mirrors are what symmetric art
(mandalas, rose windows, a symmetric sky) needs: a CNN alone cannot look across the image to the matching half. How
well each mirror matches the known pixels around a spot is an input too.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from .smooth_fill import biharmonic_fill, harmonic_fill, push_pull, tension_fill

# the first candidate, by config name
SMOOTH_FILLS = {"push-pull": push_pull, "harmonic": harmonic_fill, "biharmonic": biharmonic_fill, "tension": tension_fill}


@dataclass
class InpaintNetConfig:
    width: int = 32
    dilations: tuple[int, ...] = (2, 4, 8, 16, 1)
    model_type: str = "genart-inpaint"
    smooth_fill: str = "push-pull"  # checkpoints from before the field was added used push-pull


def conv(c_in: int, c_out: int, kernel: int = 3, stride: int = 1, dilation: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, kernel, stride, dilation * (kernel // 2), dilation=dilation),
                         nn.GELU())


def mirrors(x: torch.Tensor) -> list[torch.Tensor]:
    """x (B, C, H, W) -> [left-right flip, top-bottom flip, both (a half turn)]."""
    return [x.flip(3), x.flip(2), x.flip(2, 3)]


def mirror_mismatch(x: torch.Tensor, known: torch.Tensor) -> list[torch.Tensor]:
    """How far each mirror is from the image around every pixel: (B, 1, H, W) per mirror, the mean absolute
    difference where both are known, spread into the rest by push-pull; 1 where the two never overlap."""
    maps = []
    for mx, mk in zip(mirrors(x), mirrors(known)):
        both = known * mk  # (B, 1, H, W)
        diff = (x - mx).abs().mean(1, keepdim=True)  # (B, 1, H, W)
        spread = push_pull(diff * both, both)
        maps.append(torch.where(both.sum((2, 3), keepdim=True) > 0, spread, torch.ones_like(spread)))
    return maps


CANDIDATES = 4  # the smooth fill and three mirrors
GUESS_BIAS = 1.0  # the smooth fill's starting logit: about half the weight at first, the mirrors share the rest


class InpaintNet(nn.Module):
    pad_multiple = 4  # two stride-2 downsamplings

    def __init__(self, config: InpaintNetConfig):
        super().__init__()
        if config.smooth_fill not in SMOOTH_FILLS:
            raise ValueError(f"smooth_fill must be one of {', '.join(SMOOTH_FILLS)}; got {config.smooth_fill!r:.40}.")
        self.config = config
        self.smooth_fill = SMOOTH_FILLS[config.smooth_fill]
        w = config.width
        # image, mask, candidates, which mirrors are known, how well each mirror matches
        self.enc1 = conv(3 + 1 + 3 * CANDIDATES + 2 * (CANDIDATES - 1), w, 5)
        self.enc2 = conv(w, 2 * w, 3, stride=2)
        self.enc3 = conv(2 * w, 4 * w, 3, stride=2)
        self.middle = nn.Sequential(*(conv(4 * w, 4 * w, 3, dilation=d) for d in config.dilations))
        self.dec2 = conv(4 * w + 2 * w, 2 * w)
        self.dec1 = conv(2 * w + w, w)
        self.out = nn.Conv2d(w, 3 + CANDIDATES, 3, padding=1)  # a correction, and a logit per candidate
        nn.init.zeros_(self.out.weight)
        with torch.no_grad():
            self.out.bias.zero_()
            self.out.bias[3] = GUESS_BIAS

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """image (B, 3, H, W) in [0, 1], mask (B, 1, H, W), H and W multiples of 4 -> (B, 3, H, W)."""
        known = 1 - mask
        guess = self.smooth_fill(image * known, known)  # (B, 3, H, W)
        mirrored, mirror_known = mirrors(image * known), mirrors(known)  # 3 x (B, 3, H, W), 3 x (B, 1, H, W)
        candidates = torch.stack([guess, *mirrored], 1)  # (B, 4, 3, H, W)
        available = torch.cat([torch.ones_like(mask), *mirror_known], 1)  # (B, 4, H, W)
        mismatch = mirror_mismatch(image * known, known)  # 3 x (B, 1, H, W)
        features = [image * known, mask, guess, *mirrored, *mirror_known, *mismatch]
        e1 = self.enc1(torch.cat(features, 1))  # (B, w, H, W)
        e2 = self.enc2(e1)  # (B, 2w, H/2, W/2)
        m = self.middle(self.enc3(e2))  # (B, 4w, H/4, W/4)
        d2 = self.dec2(torch.cat([F.interpolate(m, scale_factor=2, mode="nearest"), e2], 1))  # (B, 2w, H/2, W/2)
        d1 = self.dec1(torch.cat([F.interpolate(d2, scale_factor=2, mode="nearest"), e1], 1))  # (B, w, H, W)
        out = self.out(d1)  # (B, 3 + 4, H, W)
        logits = out[:, 3:].masked_fill(available < 0.5, float("-inf"))  # a mirror of a hole pixel is no candidate
        weights = logits.softmax(1)[:, :, None]  # (B, 4, 1, H, W)
        return ((weights * candidates).sum(1) + out[:, :3]).clamp(0, 1)
