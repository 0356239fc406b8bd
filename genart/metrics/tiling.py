"""How much images repeat themselves every 16 px: the tiling a DCGAN falls into.

Every layer after the generator's first (1 x 1 -> 4 x 4) is a translation-equivariant upsampling, so a generator
that gives its 4 x 4 map the same feature everywhere paints one 16 x 16 tile sixteen times. Class agreement, the
Fréchet distance and precision and recall in a classifier's features did not show it on dcgan-art-64; a person does.
This measures it: the autocorrelation of each image's fine detail (grey level minus a 5 x 5 local mean) at a shift of
16 px, averaged over the horizontal and vertical shifts. Near 0 for procedural art; a tiled image scores near 1.
"""
import numpy as np
import torch
import torch.nn.functional as F

TILE = 16  # 64 px / the 4 x 4 map of the generator's first layer


def repeat_at(images: np.ndarray, shift: int = TILE) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> (N,) correlation of each image's detail with itself moved `shift` px (wrapping round)."""
    return grey_repeat_at(torch.from_numpy(images).float().mean(-1), shift)


def grey_repeat_at(grey: torch.Tensor, shift: int = TILE) -> torch.Tensor:
    """Grey images (N, H, W), any scale -> (N,) as repeat_at; differentiable, so a trainer can charge for it."""
    grey = grey[:, None]  # (N, 1, H, W)
    detail = (grey - F.avg_pool2d(grey, 5, 1, 2, count_include_pad=False))[:, 0]  # (N, H, W)
    power = torch.fft.rfft2(detail).abs() ** 2
    auto = torch.fft.irfft2(power, s=detail.shape[-2:])  # (N, H, W) circular autocorrelation
    auto = auto / auto[:, :1, :1].clamp_min(1e-8)  # 1 at shift 0
    return (auto[:, 0, shift] + auto[:, shift, 0]) / 2
