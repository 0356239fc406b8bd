"""Differentiable augmentation for GAN discriminators (Zhao et al. 2020, arXiv:2006.10738).

The discriminator sees real and generated images through the same random translation and cutout, so it cannot
memorise the training set, while the generator still learns the unaugmented images: every transform is applied to
both sides and is differentiable, so the generator's gradients pass through it.
"""
import torch
import torch.nn.functional as F


def translate(x: torch.Tensor, ratio: float = 0.125) -> torch.Tensor:
    """(B, C, H, W) -> same shape, each image shifted by up to ratio * size in x and y, the gap filled with zeros."""
    B, _, H, W = x.shape
    shift_y = torch.randint(-int(H * ratio), int(H * ratio) + 1, (B, 1, 1), device=x.device)
    shift_x = torch.randint(-int(W * ratio), int(W * ratio) + 1, (B, 1, 1), device=x.device)
    rows = torch.arange(H, device=x.device)[None, :, None] + shift_y + 1  # (B, H, 1), +1 for the zero border below
    cols = torch.arange(W, device=x.device)[None, None, :] + shift_x + 1  # (B, 1, W)
    padded = F.pad(x, [1, 1, 1, 1])  # (B, C, H + 2, W + 2)
    rows, cols = rows.clamp(0, H + 1).expand(B, H, W), cols.clamp(0, W + 1).expand(B, H, W)
    batch = torch.arange(B, device=x.device)[:, None, None].expand(B, H, W)
    return padded.permute(0, 2, 3, 1)[batch, rows, cols].permute(0, 3, 1, 2)  # (B, C, H, W)


def cutout(x: torch.Tensor, ratio: float = 0.5) -> torch.Tensor:
    """(B, C, H, W) -> same shape with one square of ratio * size per image, at a random place, set to zero."""
    B, _, H, W = x.shape
    h, w = int(H * ratio + 0.5), int(W * ratio + 0.5)
    top = torch.randint(0, H + 1 - h % 2, (B, 1, 1), device=x.device) - h // 2
    left = torch.randint(0, W + 1 - w % 2, (B, 1, 1), device=x.device) - w // 2
    rows = torch.arange(H, device=x.device)[None, :, None]  # (1, H, 1)
    cols = torch.arange(W, device=x.device)[None, None, :]  # (1, 1, W)
    inside = (rows >= top) & (rows < top + h) & (cols >= left) & (cols < left + w)  # (B, H, W)
    return x * (~inside)[:, None].to(x.dtype)


def diff_augment(x: torch.Tensor) -> torch.Tensor:
    return cutout(translate(x))
