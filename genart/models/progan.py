"""Progressive GAN's generator at its final scale (Karras et al. 2018, "Progressive Growing of GANs"), in the layout
of facebookresearch/pytorch_GAN_zoo's PGAN checkpoints.

Equalised learning rate: weights are stored as drawn from N(0, 1) and the layer's output (its bias included, as the
zoo computes it) is scaled by He's constant sqrt(2 / fan_in) at run time. Pixel norm on the latent and after every
layer. A checkpoint keeps the to-RGB layer of every scale it grew through; at the final scale only the last draws, and
the others are kept so that a checkpoint loads strictly.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ProGANConfig:
    latent_dim: int = 512
    depth_scale0: int = 512  # channels at 4x4
    depth_other_scales: list[int] = field(default_factory=list)  # channels of each later scale, each doubling the side
    dim_output: int = 3
    leaky: float = 0.2
    num_classes: int = 0  # unconditional

    @property
    def size(self) -> int:
        return 4 * 2 ** len(self.depth_other_scales)


def pixel_norm(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Each position's feature vector scaled to unit root-mean-square over the channels (dim 1)."""
    return x * (x.pow(2).mean(dim=1, keepdim=True) + eps).rsqrt()


class Equalized(nn.Module):
    """A linear or convolution layer whose output is scaled by He's constant (equalised learning rate)."""

    def __init__(self, module: nn.Linear | nn.Conv2d):
        super().__init__()
        self.module = module
        self.scale = math.sqrt(2.0 / module.weight[0].numel())  # fan_in: the weights feeding one output

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.module(x) * self.scale


def conv(c_in: int, c_out: int, k: int) -> Equalized:
    return Equalized(nn.Conv2d(c_in, c_out, k, padding=k // 2))


class ProGANGenerator(nn.Module):
    """The zoo's GNet with its blending factor at 0 (training finished at the last scale)."""

    def __init__(self, config: ProGANConfig):
        super().__init__()
        self.config = config
        d0 = config.depth_scale0
        self.formatLayer = Equalized(nn.Linear(config.latent_dim, 16 * d0))
        self.groupScale0 = nn.ModuleList([conv(d0, d0, 3)])
        depths = [d0, *config.depth_other_scales]
        self.scaleLayers = nn.ModuleList(nn.ModuleList([conv(a, b, 3), conv(b, b, 3)])
                                         for a, b in zip(depths, depths[1:]))
        self.toRGBLayers = nn.ModuleList(conv(d, config.dim_output, 1) for d in depths)

    def act(self, x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(x, self.config.leaky)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """z (B, latent_dim) -> images (B, C, size, size), about [-1, 1]; `labels` as a conditional GAN is called,
        unused (the zoo's PGAN checkpoints are unconditional)."""
        x = self.act(self.formatLayer(pixel_norm(z))).view(z.shape[0], -1, 4, 4)  # (B, d0, 4, 4)
        x = pixel_norm(x)
        for layer in self.groupScale0:
            x = pixel_norm(self.act(layer(x)))
        for group in self.scaleLayers:
            x = F.interpolate(x, scale_factor=2, mode="nearest")  # (B, C, 2H, 2W)
            for layer in group:
                x = pixel_norm(self.act(layer(x)))
        return self.toRGBLayers[-1](x)


def config_from_state(state: dict[str, torch.Tensor]) -> ProGANConfig:
    """The generator's shape read from its weights (the zoo's checkpoints keep their config as a pickled object)."""
    fmt = state["formatLayer.module.weight"]  # (16 * d0, latent)
    scales = sum(1 for k in state if k.startswith("scaleLayers.") and k.endswith(".0.module.weight"))
    return ProGANConfig(latent_dim=fmt.shape[1], depth_scale0=fmt.shape[0] // 16,
                        depth_other_scales=[state[f"scaleLayers.{i}.0.module.weight"].shape[0] for i in range(scales)],
                        dim_output=state["toRGBLayers.0.module.weight"].shape[0])


def from_zoo_state(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The zoo's keys in this module's names: the same, but for early checkpoints that leave out `.module.`
    ("formatLayer.weight" for "formatLayer.module.weight")."""
    out = {}
    for key, value in state.items():
        head, _, leaf = key.rpartition(".")
        out[key if head.endswith(".module") or leaf not in ("weight", "bias") else f"{head}.module.{leaf}"] = value
    return out
