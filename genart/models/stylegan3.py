"""StyleGAN3's generator (Karras et al. 2021, "Alias-Free Generative Adversarial Networks"), in the module names of
NVlabs' stylegan3 network pickles (their `G_ema`), computed with plain torch ops as their reference (non-CUDA)
filtered_lrelu and upfirdn2d compute it.

The mapping network is StyleGAN2's. The synthesis network starts from Fourier features (rotated and translated by an
affine map of the first w) and runs `num_layers` modulated convolutions and a to-RGB layer, each followed by a
filtered leaky ReLU: upsampled and low-pass filtered around the non-linearity, then filtered and downsampled, so
that no frequency above a layer's cutoff aliases. Every layer's size, sampling rate and cutoff follow from a few
numbers of the constructor (computed here as NVlabs' code computes them); the filters themselves are in the
checkpoint.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

from .stylegan2 import LRELU_GAIN, FullyConnectedLayer, MappingNetwork, StyleBased, upfirdn2d


@dataclass
class StyleGAN3Config:
    z_dim: int = 512
    c_dim: int = 0
    w_dim: int = 512
    img_resolution: int = 1024
    img_channels: int = 3
    mapping_layers: int = 2
    mapping_lr_multiplier: float = 0.01
    channel_base: int = 32768
    channel_max: int = 512
    num_layers: int = 14  # excluding the Fourier features and the to-RGB layer
    num_critical: int = 2  # critically sampled layers at the end
    first_cutoff: float = 2
    first_stopband: float = 2 ** 2.1
    last_stopband_rel: float = 2 ** 0.3
    margin_size: int = 10
    output_scale: float = 0.25
    conv_kernel: int = 3  # 1 for StyleGAN3-R
    filter_size: int = 6
    lrelu_upsampling: int = 2
    use_radial_filters: bool = False  # StyleGAN3-R
    conv_clamp: float | None = 256
    class_names: list[str] = field(default_factory=list)

    @property
    def latent_dim(self) -> int:
        return self.z_dim

    @property
    def num_classes(self) -> int:
        return self.c_dim

    @property
    def num_ws(self) -> int:
        return self.num_layers + 2

    @property
    def mapping_features(self) -> int:
        return self.w_dim

    @property
    def embed_features(self) -> int:
        return self.w_dim if self.c_dim else 0


@dataclass(frozen=True)
class LayerGeometry:
    in_channels: int
    out_channels: int
    in_size: int
    out_size: int
    in_sampling_rate: int
    out_sampling_rate: int
    in_cutoff: float
    out_cutoff: float
    is_torgb: bool
    is_critically_sampled: bool


def geometry(c: StyleGAN3Config) -> tuple[dict, list[LayerGeometry]]:
    """NVlabs' SynthesisNetwork constructor's arithmetic: -> (the Fourier features' size, sampling rate, bandwidth
    and channels; each layer's)."""
    last_cutoff = c.img_resolution / 2
    last_stopband = last_cutoff * c.last_stopband_rel
    exponents = [min(i / (c.num_layers - c.num_critical), 1) for i in range(c.num_layers + 1)]
    cutoffs = [c.first_cutoff * (last_cutoff / c.first_cutoff) ** e for e in exponents]
    stopbands = [c.first_stopband * (last_stopband / c.first_stopband) ** e for e in exponents]
    rates = [2.0 ** math.ceil(math.log2(min(s * 2, c.img_resolution))) for s in stopbands]
    sizes = [r + c.margin_size * 2 for r in rates]
    sizes[-2:] = [c.img_resolution] * 2
    channels = [round(min((c.channel_base / 2) / f, c.channel_max)) for f in cutoffs]
    channels[-1] = c.img_channels
    first = {"size": int(sizes[0]), "sampling_rate": rates[0], "bandwidth": cutoffs[0], "channels": int(channels[0])}
    layers = []
    for i in range(c.num_layers + 1):
        p = max(i - 1, 0)
        layers.append(LayerGeometry(int(channels[p]), int(channels[i]), int(sizes[p]), int(sizes[i]), int(rates[p]),
                                    int(rates[i]), cutoffs[p], cutoffs[i], i == c.num_layers,
                                    i >= c.num_layers - c.num_critical))
    return first, layers


class SynthesisInput(nn.Module):
    def __init__(self, w_dim: int, channels: int, size: int, sampling_rate: float, bandwidth: float):
        super().__init__()
        self.channels, self.size, self.sampling_rate, self.bandwidth = channels, size, sampling_rate, bandwidth
        self.weight = nn.Parameter(torch.randn(channels, channels))
        self.affine = FullyConnectedLayer(w_dim, 4)
        self.register_buffer("transform", torch.eye(3))
        self.register_buffer("freqs", torch.zeros(channels, 2))
        self.register_buffer("phases", torch.zeros(channels))

    def forward(self, w: torch.Tensor) -> torch.Tensor:
        """w (B, w_dim) -> Fourier features (B, channels, size, size), rotated and translated by the affine of w."""
        batch = w.shape[0]
        t = self.affine(w)  # (B, 4): cos, sin of the rotation, x and y of the translation
        t = t / t[:, :2].norm(dim=1, keepdim=True)
        rotate = torch.eye(3, device=w.device).repeat(batch, 1, 1)  # (B, 3, 3)
        rotate[:, 0, 0], rotate[:, 0, 1], rotate[:, 1, 0], rotate[:, 1, 1] = t[:, 0], -t[:, 1], t[:, 1], t[:, 0]
        shift = torch.eye(3, device=w.device).repeat(batch, 1, 1)
        shift[:, 0, 2], shift[:, 1, 2] = -t[:, 2], -t[:, 3]
        transforms = rotate @ shift @ self.transform[None]  # (B, 3, 3)
        phases = self.phases[None] + (self.freqs[None] @ transforms[:, :2, 2:]).squeeze(2)  # (B, C)
        freqs = self.freqs[None] @ transforms[:, :2, :2]  # (B, C, 2)
        amplitudes = (1 - (freqs.norm(dim=2) - self.bandwidth) / (self.sampling_rate / 2 - self.bandwidth)).clamp(0, 1)
        theta = torch.eye(2, 3, device=w.device)
        theta[0, 0] = theta[1, 1] = 0.5 * self.size / self.sampling_rate
        grids = F.affine_grid(theta[None], [1, 1, self.size, self.size], align_corners=False)  # (1, S, S, 2)
        x = (grids.unsqueeze(3) @ freqs.permute(0, 2, 1)[:, None, None]).squeeze(3)  # (B, S, S, C)
        x = torch.sin((x + phases[:, None, None]) * (math.pi * 2)) * amplitudes[:, None, None]
        x = x @ (self.weight / math.sqrt(self.channels)).t()
        return x.permute(0, 3, 1, 2)  # (B, C, S, S)


def modulated_conv2d(x: torch.Tensor, weight: torch.Tensor, styles: torch.Tensor, demodulate: bool,
                     input_gain: torch.Tensor) -> torch.Tensor:
    """StyleGAN3's: weights and styles pre-normalised, input channels scaled by input_gain, a full convolution
    (padding k - 1). x (B, I, H, W), weight (O, I, k, k), styles (B, I) -> (B, O, H + k - 1, W + k - 1)"""
    batch, in_channels = x.shape[:2]
    out_channels, _, kh, kw = weight.shape
    if demodulate:
        weight = weight * weight.square().mean([1, 2, 3], keepdim=True).rsqrt()
        styles = styles * styles.square().mean().rsqrt()
    w = weight.unsqueeze(0) * styles[:, None, :, None, None]  # (B, O, I, k, k)
    if demodulate:
        w = w * (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt()[:, :, None, None, None]
    w = w * input_gain.expand(batch, in_channels)[:, None, :, None, None]
    x = F.conv2d(x.reshape(1, -1, *x.shape[2:]), w.reshape(-1, in_channels, kh, kw), padding=kh - 1, groups=batch)
    return x.reshape(batch, out_channels, *x.shape[2:])


class SynthesisLayer(nn.Module):
    def __init__(self, w_dim: int, g: LayerGeometry, c: StyleGAN3Config):
        super().__init__()
        self.g, self.conv_clamp = g, c.conv_clamp
        self.kernel = 1 if g.is_torgb else c.conv_kernel
        self.affine = FullyConnectedLayer(w_dim, g.in_channels)
        self.weight = nn.Parameter(torch.randn(g.out_channels, g.in_channels, self.kernel, self.kernel))
        self.bias = nn.Parameter(torch.zeros(g.out_channels))
        self.register_buffer("magnitude_ema", torch.ones([]))
        tmp_rate = max(g.in_sampling_rate, g.out_sampling_rate) * (1 if g.is_torgb else c.lrelu_upsampling)
        self.up = round(tmp_rate / g.in_sampling_rate)
        self.down = round(tmp_rate / g.out_sampling_rate)
        up_taps = c.filter_size * self.up if self.up > 1 and not g.is_torgb else 1
        down_taps = c.filter_size * self.down if self.down > 1 and not g.is_torgb else 1
        radial = c.use_radial_filters and not g.is_critically_sampled
        # A filter of one tap is none at all, and the checkpoint has no tensor for it.
        self.register_buffer("up_filter", torch.zeros(up_taps) if up_taps > 1 else None)
        self.register_buffer("down_filter", (torch.zeros(down_taps, down_taps) if radial else torch.zeros(down_taps))
                             if down_taps > 1 else None)
        total = (g.out_size - 1) * self.down + 1 - (g.in_size + self.kernel - 1) * self.up + up_taps + down_taps - 2
        low = (total + self.up) // 2  # the symmetric interpretation of the sample grid (the paper's appendix C.3)
        self.padding = (low, total - low, low, total - low)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        """x (B, I, in_size, in_size), w (B, w_dim) -> (B, O, out_size, out_size)"""
        styles = self.affine(w)
        if self.g.is_torgb:
            styles = styles / math.sqrt(self.g.in_channels * self.kernel ** 2)
        x = modulated_conv2d(x, self.weight, styles, not self.g.is_torgb, self.magnitude_ema.rsqrt())
        # The reference's filtered leaky ReLU: bias, upsample and filter, leaky ReLU with gain and clamp, filter and
        # downsample.
        x = x + self.bias[None, :, None, None]
        x = upfirdn2d(x, self.up_filter, up=self.up, padding=self.padding, gain=self.up ** 2)
        x = F.leaky_relu(x, 1.0 if self.g.is_torgb else 0.2) * (1.0 if self.g.is_torgb else LRELU_GAIN)
        if self.conv_clamp is not None:
            x = x.clamp(-self.conv_clamp, self.conv_clamp)
        return upfirdn2d(x, self.down_filter, down=self.down)


class SynthesisNetwork(nn.Module):
    def __init__(self, c: StyleGAN3Config):
        super().__init__()
        self.output_scale = c.output_scale
        first, layers = geometry(c)
        self.input = SynthesisInput(c.w_dim, first["channels"], first["size"], first["sampling_rate"],
                                    first["bandwidth"])
        self.layer_names = [f"L{i}_{g.out_size}_{g.out_channels}" for i, g in enumerate(layers)]
        for name, g in zip(self.layer_names, layers):
            setattr(self, name, SynthesisLayer(c.w_dim, g, c))
        # What each w drives, as the side of an image of that bandwidth: the input's, then each layer's output's.
        self.w_sides = [round(2 * first["bandwidth"]), *(round(2 * g.out_cutoff) for g in layers)]

    def forward(self, ws: torch.Tensor, noise_mode: str = "const", generator: torch.Generator | None = None,
                noises: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        """ws (B, num_ws, w_dim) -> images (B, C, R, R), about [-1, 1]. StyleGAN3 has no noise inputs: the noise
        arguments are taken as StyleGAN2's are and change nothing."""
        w = ws.float().unbind(dim=1)
        x = self.input(w[0])
        for name, w_i in zip(self.layer_names, w[1:]):
            x = getattr(self, name)(x, w_i)
        return x * self.output_scale


class StyleGAN3Generator(StyleBased):
    def __init__(self, config: StyleGAN3Config):
        super().__init__()
        self.config = config
        self.synthesis = SynthesisNetwork(config)
        self.mapping = MappingNetwork(config)

    def w_resolutions(self) -> list[int]:
        return list(self.synthesis.w_sides)

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None, truncation: float = 1.0,
                noise_mode: str = "const", generator: torch.Generator | None = None) -> torch.Tensor:
        return self.synthesis(self.ws(z, labels, truncation))


def config_from(state: dict[str, torch.Tensor], given: dict) -> StyleGAN3Config:
    """The shape the weights say (latent sizes, mapping depth, resolution, channels of the image) and the geometry's
    numbers the constructor was given."""
    names = [k.split(".")[1] for k in state if k.startswith("synthesis.L") and k.endswith(".weight")
             and k.count(".") == 2]
    last = max(names, key=lambda n: int(n[1:].split("_")[0]))  # the to-RGB layer: L{num_layers}_{R}_{C}
    index, resolution, channels = (int(v) for v in last[1:].split("_"))
    embed = state.get("mapping.embed.weight")  # (w_dim, c_dim)
    return StyleGAN3Config(
        z_dim=state["mapping.fc0.weight"].shape[1] - (0 if embed is None else embed.shape[0]),
        c_dim=0 if embed is None else embed.shape[1], w_dim=state["mapping.w_avg"].shape[0],
        img_resolution=resolution, img_channels=channels, num_layers=index,
        mapping_layers=sum(1 for k in state if k.startswith("mapping.fc") and k.endswith(".weight")), **given)
