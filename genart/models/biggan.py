"""BigGAN-deep's generator (Brock et al. 2019, "Large Scale GAN Training for High Fidelity Natural Image Synthesis",
arXiv:1809.11096), in the key layout of the pytorch-pretrained-BigGAN checkpoints on the Hub (config.json +
pytorch_model.bin): `embeddings`, `generator.gen_z`, `generator.layers.N` (bottleneck residual blocks, one
self-attention layer), `generator.bn`, `generator.conv_to_rgb`.

The checkpoints store each spectrally normalised weight as `weight_orig` with its power-iteration vectors `weight_u`
and `weight_v`; `fold_spectral_norm` divides each by its spectral norm once, as the normalisation does at inference,
so the modules here are plain convolutions. Batch norm uses statistics recorded for 51 truncation values and picks
(or blends) the ones for the truncation asked for.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from .checkpoint import expect

DEEP_128_LAYERS = [[False, 16, 16], [True, 16, 16], [False, 16, 16], [True, 16, 8], [False, 8, 8], [True, 8, 4],
                   [False, 4, 4], [True, 4, 2], [False, 2, 2], [True, 2, 1]]


@dataclass
class BigGANConfig:
    output_dim: int = 128
    z_dim: int = 128
    class_embed_dim: int = 128  # equal to z_dim in every released model; the class embedding is z_dim wide
    channel_width: int = 128
    num_classes: int = 1000
    layers: list = field(default_factory=lambda: [list(layer) for layer in DEEP_128_LAYERS])  # [upsample, in, out] x ch
    attention_layer_position: int = 8  # self-attention goes before the block at this index
    eps: float = 1e-4
    n_stats: int = 51  # batch-norm statistics recorded for truncations 0, 0.02, ..., 1

    @property
    def latent_dim(self) -> int:
        return self.z_dim


class TruncatedBatchNorm(nn.Module):
    """Batch norm with fixed statistics per truncation; conditional on the class-and-latent vector (a gain and a bias
    from it), or with plain affine parameters for the last one."""

    def __init__(self, channels: int, n_stats: int, eps: float, condition_dim: int | None = None):
        super().__init__()
        self.eps, self.step = eps, 1.0 / (n_stats - 1)
        self.register_buffer("running_means", torch.zeros(n_stats, channels))
        self.register_buffer("running_vars", torch.ones(n_stats, channels))
        if condition_dim is None:
            self.weight, self.bias = nn.Parameter(torch.ones(channels)), nn.Parameter(torch.zeros(channels))
        else:
            self.scale = nn.Linear(condition_dim, channels, bias=False)
            self.offset = nn.Linear(condition_dim, channels, bias=False)

    def statistics(self, truncation: float) -> tuple[torch.Tensor, torch.Tensor]:
        """(C,) mean and variance for `truncation`. Between two recorded values the checkpoints' reference blends with
        the weights this way round (the fraction on the lower entry); kept as it is, since the weights were
        released with it."""
        fraction, index = math.modf(truncation / self.step)
        index, means, variances = int(index), self.running_means, self.running_vars
        if fraction == 0.0:
            return means[index], variances[index]
        return (means[index] * fraction + means[index + 1] * (1 - fraction),
                variances[index] * fraction + variances[index + 1] * (1 - fraction))

    def forward(self, x: torch.Tensor, truncation: float, condition: torch.Tensor | None = None) -> torch.Tensor:
        mean, var = self.statistics(truncation)
        if condition is None:
            return F.batch_norm(x, mean, var, self.weight, self.bias, training=False, eps=self.eps)
        gain = 1 + self.scale(condition)[:, :, None, None]  # (B, C, 1, 1)
        bias = self.offset(condition)[:, :, None, None]
        return (x - mean[None, :, None, None]) / torch.sqrt(var[None, :, None, None] + self.eps) * gain + bias


class SelfAttention(nn.Module):
    """SAGAN's attention (Zhang et al. 2019) with keys and values max-pooled 2x2, as BigGAN uses it."""

    def __init__(self, channels: int):
        super().__init__()
        self.snconv1x1_theta = nn.Conv2d(channels, channels // 8, 1, bias=False)
        self.snconv1x1_phi = nn.Conv2d(channels, channels // 8, 1, bias=False)
        self.snconv1x1_g = nn.Conv2d(channels, channels // 2, 1, bias=False)
        self.snconv1x1_o_conv = nn.Conv2d(channels // 2, channels, 1, bias=False)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, C, H, W = x.shape
        theta = self.snconv1x1_theta(x).reshape(B, C // 8, H * W)  # queries (B, C/8, HW)
        phi = F.max_pool2d(self.snconv1x1_phi(x), 2).reshape(B, C // 8, H * W // 4)  # keys (B, C/8, HW/4)
        attention = torch.softmax(theta.transpose(1, 2) @ phi, dim=-1)  # (B, HW, HW/4)
        g = F.max_pool2d(self.snconv1x1_g(x), 2).reshape(B, C // 2, H * W // 4)  # values (B, C/2, HW/4)
        out = (g @ attention.transpose(1, 2)).reshape(B, C // 2, H, W)
        return x + self.gamma * self.snconv1x1_o_conv(out)


class GenBlock(nn.Module):
    """BigGAN-deep's residual block: a 1x1 bottleneck (a quarter of the channels), two 3x3 convolutions, a 1x1 back
    out, each after conditional batch norm and ReLU; optionally x2 nearest upsampling; the skip drops the channels
    the block halves."""

    def __init__(self, c_in: int, c_out: int, condition_dim: int, upsample: bool, n_stats: int, eps: float):
        super().__init__()
        middle, self.upsample = c_in // 4, upsample
        for i, (a, b, k) in enumerate([(c_in, middle, 1), (middle, middle, 3), (middle, middle, 3), (middle, c_out, 1)]):
            setattr(self, f"bn_{i}", TruncatedBatchNorm(a, n_stats, eps, condition_dim))
            setattr(self, f"conv_{i}", nn.Conv2d(a, b, k, padding=k // 2))

    def forward(self, x: torch.Tensor, condition: torch.Tensor, truncation: float) -> torch.Tensor:
        skip = x
        for i in range(4):
            x = F.relu(getattr(self, f"bn_{i}")(x, truncation, condition))
            if i == 1 and self.upsample:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = getattr(self, f"conv_{i}")(x)
        if skip.shape[1] != x.shape[1]:
            skip = skip[:, :x.shape[1]]
        if self.upsample:
            skip = F.interpolate(skip, scale_factor=2, mode="nearest")
        return x + skip


class Generator(nn.Module):
    def __init__(self, config: BigGANConfig):
        super().__init__()
        ch, condition_dim = config.channel_width, 2 * config.z_dim
        self.gen_z = nn.Linear(condition_dim, 4 * 4 * 16 * ch)
        layers = []
        for i, (upsample, c_in, c_out) in enumerate(config.layers):
            if i == config.attention_layer_position:
                layers.append(SelfAttention(ch * c_in))
            layers.append(GenBlock(ch * c_in, ch * c_out, condition_dim, upsample, config.n_stats, config.eps))
        self.layers = nn.ModuleList(layers)
        self.bn = TruncatedBatchNorm(ch, config.n_stats, config.eps)
        self.conv_to_rgb = nn.Conv2d(ch, ch, 3, padding=1)
        self.channel_width = ch

    def forward(self, condition: torch.Tensor, truncation: float) -> torch.Tensor:
        x = self.gen_z(condition).reshape(-1, 4, 4, 16 * self.channel_width)  # TF's layout: (B, H, W, C)
        x = x.permute(0, 3, 1, 2)  # (B, 16 ch, 4, 4)
        for layer in self.layers:
            x = layer(x, condition, truncation) if isinstance(layer, GenBlock) else layer(x)
        x = self.conv_to_rgb(F.relu(self.bn(x, truncation)))
        return torch.tanh(x[:, :3])  # (B, 3, H, W) in [-1, 1]


class BigGAN(nn.Module):
    def __init__(self, config: BigGANConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.Linear(config.num_classes, config.z_dim, bias=False)
        self.generator = Generator(config)

    def forward(self, z: torch.Tensor, labels: torch.Tensor, truncation: float) -> torch.Tensor:
        """z (B, z_dim) already truncated, labels (B,) class indices or (B, num_classes) weights that mix classes,
        truncation in (0, 1] -> (B, 3, H, W) in [-1, 1]."""
        classes = labels if labels.is_floating_point() else F.one_hot(labels, self.config.num_classes)
        return self.generator(torch.cat([z, self.embeddings(classes.to(z.dtype))], dim=1), truncation)


def fold_spectral_norm(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Each `X.weight_orig` with its `X.weight_u` and `X.weight_v` -> `X.weight` = weight_orig / sigma, where
    sigma = u . (W v) over W reshaped to (out, -1): what spectral normalisation computes at inference."""
    out = {}
    for key, value in state.items():
        if key.endswith(("weight_u", "weight_v")):
            continue
        if not key.endswith(".weight_orig"):
            out[key] = value
            continue
        prefix = key.removesuffix("_orig")
        u, v = state.get(prefix + "_u"), state.get(prefix + "_v")
        matrix = value.reshape(value.shape[0], -1)  # (out, in * k * k)
        expect(u is not None and v is not None, f"{key} has no {prefix}_u and {prefix}_v beside it")
        expect(u.shape == (matrix.shape[0],) and v.shape == (matrix.shape[1],),
               f"{prefix}_u {tuple(u.shape)} / _v {tuple(v.shape)} do not fit {key} {tuple(value.shape)}")
        out[prefix] = value / torch.dot(u, matrix @ v)
    return out
