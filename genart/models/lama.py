"""LaMa (Suvorov et al. 2022, "Resolution-robust Large Mask Inpainting with Fourier Convolutions") in plain torch:
the Fast Fourier Convolution ResNet generator in the big-lama configuration.

Module names follow the official generator, so its checkpoint keys (`generator.model.N...` with the `generator.`
prefix dropped) load strictly. Every convolution splits its channels into a local part (ordinary convolutions) and
a global part (ratio 0.75 in the ResNet blocks) whose global-to-global path is a convolution in the Fourier domain.
Input: the masked image and the mask, 4 channels, image in [0, 1]; output: RGB in [0, 1] (sigmoid).
"""
from dataclasses import dataclass

import torch
from torch import nn

from .checkpoint import expect


@dataclass
class LaMaConfig:
    input_nc: int = 4
    output_nc: int = 3
    ngf: int = 64
    n_downsampling: int = 3
    n_blocks: int = 18
    ratio: float = 0.75  # global share of the channels in the ResNet blocks


class FourierUnit(nn.Module):
    """A 1x1 convolution over the real and imaginary parts of the 2-D real FFT (Chi et al. 2020, FFC)."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv_layer = nn.Conv2d(2 * channels, 2 * channels, 1, bias=False)
        self.bn = nn.BatchNorm2d(2 * channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, C, H, W = x.shape
        spec = torch.fft.rfft2(x.float(), norm="ortho")  # (B, C, H, W//2+1) complex
        # Channel 2c is the real part of channel c, 2c+1 its imaginary part: the official layout.
        parts = torch.stack((spec.real, spec.imag), dim=2).reshape(B, 2 * C, H, -1).to(x.dtype)  # (B, 2C, H, W//2+1)
        parts = torch.relu(self.bn(self.conv_layer(parts)))
        parts = parts.float().view(B, C, 2, H, -1)  # (B, C, re/im, H, W//2+1)
        return torch.fft.irfft2(torch.complex(parts[:, :, 0], parts[:, :, 1]), s=(H, W), norm="ortho").to(x.dtype)


class SpectralTransform(nn.Module):
    """Global-to-global path: halve the channels, add the Fourier unit's output, expand back (no local FU)."""

    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(c_in, c_out // 2, 1, bias=False), nn.BatchNorm2d(c_out // 2), nn.ReLU())
        self.fu = FourierUnit(c_out // 2)
        self.conv2 = nn.Conv2d(c_out // 2, c_out, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv1(x)
        return self.conv2(x + self.fu(x))


def reflect_conv(c_in: int, c_out: int, kernel: int, stride: int, padding: int) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False, padding_mode="reflect")


class FFC(nn.Module):
    """Four paths between local (l) and global (g) channels; a path exists only when both of its ends have channels."""

    def __init__(self, c_in: int, c_out: int, kernel: int, ratio_in: float, ratio_out: float, stride: int = 1,
                 padding: int = 0):
        super().__init__()
        g_in, g_out = int(c_in * ratio_in), int(c_out * ratio_out)
        l_in, l_out = c_in - g_in, c_out - g_out
        self.convl2l = reflect_conv(l_in, l_out, kernel, stride, padding) if l_in and l_out else None
        self.convl2g = reflect_conv(l_in, g_out, kernel, stride, padding) if l_in and g_out else None
        self.convg2l = reflect_conv(g_in, l_out, kernel, stride, padding) if g_in and l_out else None
        self.convg2g = SpectralTransform(g_in, g_out) if g_in and g_out else None
        self.has_local, self.has_global = l_out > 0, g_out > 0

    def forward(self, x_l: torch.Tensor, x_g: torch.Tensor | None) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        def path(conv, x):
            return conv(x) if conv is not None and x is not None else 0

        out_l = path(self.convl2l, x_l) + path(self.convg2l, x_g) if self.has_local else None
        out_g = path(self.convl2g, x_l) + path(self.convg2g, x_g) if self.has_global else None
        return out_l, out_g


class FFC_BN_ACT(nn.Module):
    """FFC, then BatchNorm and ReLU on each part that has channels."""

    def __init__(self, c_in: int, c_out: int, kernel: int, ratio_in: float, ratio_out: float, stride: int = 1,
                 padding: int = 0):
        super().__init__()
        self.ffc = FFC(c_in, c_out, kernel, ratio_in, ratio_out, stride, padding)
        g_out = int(c_out * ratio_out)
        self.bn_l = nn.BatchNorm2d(c_out - g_out) if c_out - g_out else None
        self.bn_g = nn.BatchNorm2d(g_out) if g_out else None

    def forward(self, x_l, x_g=None):
        out_l, out_g = self.ffc(x_l, x_g)
        return (torch.relu(self.bn_l(out_l)) if out_l is not None else None,
                torch.relu(self.bn_g(out_g)) if out_g is not None else None)


class FFCResnetBlock(nn.Module):
    def __init__(self, dim: int, ratio: float):
        super().__init__()
        self.conv1 = FFC_BN_ACT(dim, dim, 3, ratio, ratio, padding=1)
        self.conv2 = FFC_BN_ACT(dim, dim, 3, ratio, ratio, padding=1)

    def forward(self, x):
        x_l, x_g = x
        y_l, y_g = self.conv2(*self.conv1(x_l, x_g))
        return x_l + y_l, x_g + y_g


class LaMa(nn.Module):
    pad_multiple = 8  # three stride-2 downsamplings

    def __init__(self, config: LaMaConfig):
        super().__init__()
        self.config = config
        c, ngf = config, config.ngf
        layers: list[nn.Module] = [nn.ReflectionPad2d(3), FFC_BN_ACT(c.input_nc, ngf, 7, 0, 0)]
        for i in range(c.n_downsampling):  # the last downsampling opens the global part
            ratio_out = c.ratio if i == c.n_downsampling - 1 else 0
            layers.append(FFC_BN_ACT(ngf * 2 ** i, ngf * 2 ** (i + 1), 3, 0, ratio_out, stride=2, padding=1))
        dim = ngf * 2 ** c.n_downsampling
        layers += [FFCResnetBlock(dim, c.ratio) for _ in range(c.n_blocks)]
        layers.append(nn.Identity())  # where the official model concatenates the two parts
        for i in range(c.n_downsampling):
            ch = dim // 2 ** i
            layers += [nn.ConvTranspose2d(ch, ch // 2, 3, stride=2, padding=1, output_padding=1),
                       nn.BatchNorm2d(ch // 2), nn.ReLU()]
        layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, c.output_nc, 7), nn.Sigmoid()]
        self.model = nn.Sequential(*layers)
        self.first_block = 2 + c.n_downsampling  # index of the first ResNet block
        self.concat = self.first_block + c.n_blocks

    def forward(self, image: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """image (B, 3, H, W) in [0, 1], mask (B, 1, H, W) with 1 = fill; H, W multiples of 8 -> (B, 3, H, W)."""
        x = torch.cat([image * (1 - mask), mask], dim=1)  # (B, 4, H, W)
        x_l, x_g = self.model[1](self.model[0](x))
        for layer in self.model[2:self.first_block]:
            x_l, x_g = layer(x_l, x_g)
        for block in self.model[self.first_block:self.concat]:
            x_l, x_g = block((x_l, x_g))
        x = torch.cat([x_l, x_g], dim=1)  # (B, 8 * ngf, H/8, W/8)
        return self.model[self.concat + 1:](x)


# The official checkpoint (a training checkpoint) also holds the discriminator and the losses' networks.
CHECKPOINT_PREFIX = "generator."


def from_official_state_dict(state: dict[str, torch.Tensor], config: LaMaConfig) -> dict[str, torch.Tensor]:
    out = {k.removeprefix(CHECKPOINT_PREFIX): v for k, v in state.items() if k.startswith(CHECKPOINT_PREFIX)}
    per_block = 52  # two FFC_BN_ACT of 26 tensors: 3 convs, the spectral transform's 13, two BatchNorms of 5
    expected = 6 * config.n_downsampling + 12 + per_block * config.n_blocks + 7 * config.n_downsampling + 2
    expect(len(out) == expected, f"expected {expected} generator tensors, found {len(out)}")
    return out
