"""StyleGAN2's generator (Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN"), in the module
names of NVlabs' stylegan2-ada-pytorch and stylegan3 network pickles (their `G_ema`), computed with plain torch ops
as their reference (non-CUDA) implementation computes them.

A mapping network turns z (and a class vector) into w; the synthesis network starts from a learned 4x4 constant and
doubles the side each block, every convolution modulated by an affine map of one w (a row of ws) and demodulated,
with per-pixel noise, the image summed from each block's to-RGB layer ("skip"), or drawn by the last ("orig") beside
residual connections ("resnet"). Weights are stored as drawn and scaled at run time (equalised learning rate).
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

ARCHITECTURES = ("skip", "orig", "resnet")
NOISE_MODES = ("const", "random", "none")
LRELU_GAIN = math.sqrt(2)


@dataclass
class StyleGAN2Config:
    z_dim: int = 512
    c_dim: int = 0  # class-vector length; 0: unconditional
    w_dim: int = 512
    channels: list[int] = field(default_factory=lambda: [512] * 9)  # each block's, from 4x4 up
    img_channels: int = 3
    mapping_layers: int = 8
    mapping_features: int = 512  # the mapping network's hidden width
    embed_features: int = 0  # the class embedding's width (0 when unconditional)
    mapping_lr_multiplier: float = 0.01
    conv_clamp: float | None = None  # activations clamped to ±this
    architecture: str = "skip"
    use_noise: bool = True
    class_names: list[str] = field(default_factory=list)

    @property
    def img_resolution(self) -> int:
        return 4 * 2 ** (len(self.channels) - 1)

    @property
    def latent_dim(self) -> int:
        return self.z_dim

    @property
    def num_classes(self) -> int:
        return self.c_dim

    @property
    def num_ws(self) -> int:
        """One w per convolution, and one more for the last to-RGB layer."""
        return 2 * len(self.channels)


def normalize_2nd_moment(x: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    return x * (x.square().mean(dim=1, keepdim=True) + eps).rsqrt()


def bias_act(x: torch.Tensor, b: torch.Tensor | None, lrelu: bool, gain: float = 1.0,
             clamp: float | None = None) -> torch.Tensor:
    """NVlabs' bias_act: add the bias (per channel, dim 1), leaky ReLU (0.2) with its gain sqrt(2) when `lrelu`, times
    `gain`, clamped to ±clamp."""
    if b is not None:
        x = x + b.reshape(1, -1, *([1] * (x.ndim - 2)))
    if lrelu:
        x = F.leaky_relu(x, 0.2) * LRELU_GAIN
    if gain != 1:
        x = x * gain
    return x if clamp is None else x.clamp(-clamp, clamp)


def upfirdn2d(x: torch.Tensor, f: torch.Tensor | None, up: int = 1, down: int = 1,
              padding: tuple[int, int, int, int] = (0, 0, 0, 0), gain: float = 1.0) -> torch.Tensor:
    """NVlabs' reference upfirdn2d: upsample by inserting up-1 zeros after each pixel, pad (x0, x1, y0, y1; negative
    crops), convolve each channel with the FIR filter f (2D, or 1D applied across then down; None: identity;
    flipped: a convolution), keep every down-th pixel. (B, C, H, W) -> (B, C, H', W')."""
    b, c, h, w = x.shape
    if up > 1:
        x = x.reshape(b, c, h, 1, w, 1)
        x = F.pad(x, [0, up - 1, 0, 0, 0, up - 1]).reshape(b, c, h * up, w * up)
    x0, x1, y0, y1 = padding
    x = F.pad(x, [max(x0, 0), max(x1, 0), max(y0, 0), max(y1, 0)])
    x = x[:, :, max(-y0, 0):x.shape[2] - max(-y1, 0), max(-x0, 0):x.shape[3] - max(-x1, 0)]
    if f is not None:
        f = (f * gain ** (f.ndim / 2)).flip(list(range(f.ndim))).to(x.dtype)
        if f.ndim == 2:
            x = F.conv2d(x, f[None, None].repeat(c, 1, 1, 1), groups=c)  # (C, 1, fh, fw)
        else:
            taps = f[None, None].repeat(c, 1, 1)  # (C, 1, k)
            x = F.conv2d(F.conv2d(x, taps.unsqueeze(2), groups=c), taps.unsqueeze(3), groups=c)
    return x[:, :, ::down, ::down]


def upsample_conv(x: torch.Tensor, weight: torch.Tensor, f: torch.Tensor, groups: int) -> torch.Tensor:
    """NVlabs' conv2d_resample with up=2 for a 3x3 kernel and a 4-tap filter: a transposed convolution of stride 2,
    then the filter. x (1, groups*I, H, W), weight (groups*O, I, 3, 3) -> (1, groups*O, 2H, 2W)."""
    out_channels, in_channels, kh, kw = weight.shape
    weight = weight.reshape(groups, out_channels // groups, in_channels, kh, kw).transpose(1, 2)
    weight = weight.reshape(groups * in_channels, out_channels // groups, kh, kw)
    x = F.conv_transpose2d(x, weight, stride=2, groups=groups)  # (1, groups*O, 2H+1, 2W+1)
    return upfirdn2d(x, f, padding=(1, 1, 1, 1), gain=4)


def modulated_conv2d(x: torch.Tensor, weight: torch.Tensor, styles: torch.Tensor, demodulate: bool = True,
                     up: bool = False, f: torch.Tensor | None = None) -> torch.Tensor:
    """Each sample's own weights (the shared weight scaled per input channel by its styles, demodulated to unit
    norm per output channel), run as one grouped convolution. x (B, I, H, W), weight (O, I, k, k), styles (B, I)
    -> (B, O, H', W')."""
    batch, in_channels, height, width = x.shape
    out_channels, _, kh, kw = weight.shape
    w = weight.unsqueeze(0) * styles.reshape(batch, 1, -1, 1, 1)  # (B, O, I, k, k)
    if demodulate:
        w = w * (w.square().sum(dim=[2, 3, 4]) + 1e-8).rsqrt().reshape(batch, -1, 1, 1, 1)
    x = x.reshape(1, -1, height, width)  # (1, B*I, H, W)
    w = w.reshape(-1, in_channels, kh, kw)  # (B*O, I, k, k)
    x = upsample_conv(x, w, f, batch) if up else F.conv2d(x, w, padding=kh // 2, groups=batch)
    return x.reshape(batch, out_channels, *x.shape[2:])


class FullyConnectedLayer(nn.Module):
    def __init__(self, in_features: int, out_features: int, lrelu: bool = False, lr_multiplier: float = 1.0,
                 bias: bool = True):
        super().__init__()
        self.lrelu = lrelu
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / lr_multiplier)
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None
        self.weight_gain = lr_multiplier / math.sqrt(in_features)
        self.bias_gain = lr_multiplier

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, in) -> (B, out)"""
        w = self.weight * self.weight_gain
        b = None if self.bias is None else self.bias * self.bias_gain
        if not self.lrelu and b is not None:
            return torch.addmm(b.unsqueeze(0), x, w.t())
        return bias_act(x.matmul(w.t()), b, self.lrelu)


class MappingNetwork(nn.Module):
    def __init__(self, config: StyleGAN2Config):
        super().__init__()
        c = config
        self.config = c
        if c.c_dim:
            self.embed = FullyConnectedLayer(c.c_dim, c.embed_features)
        features = [c.z_dim + c.embed_features] + [c.mapping_features] * (c.mapping_layers - 1) + [c.w_dim]
        for i in range(c.mapping_layers):
            setattr(self, f"fc{i}", FullyConnectedLayer(features[i], features[i + 1], lrelu=True,
                                                        lr_multiplier=c.mapping_lr_multiplier))
        self.register_buffer("w_avg", torch.zeros(c.w_dim))

    def forward(self, z: torch.Tensor, c: torch.Tensor | None) -> torch.Tensor:
        """z (B, z_dim), c (B, c_dim) or None -> w (B, w_dim)"""
        x = normalize_2nd_moment(z.float()) if self.config.z_dim else None
        if self.config.c_dim:
            y = normalize_2nd_moment(self.embed(c.float()))
            x = y if x is None else torch.cat([x, y], dim=1)
        for i in range(self.config.mapping_layers):
            x = getattr(self, f"fc{i}")(x)
        return x


class SynthesisLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, w_dim: int, resolution: int, up: bool,
                 config: StyleGAN2Config):
        super().__init__()
        self.up, self.resolution, self.conv_clamp, self.use_noise = up, resolution, config.conv_clamp, config.use_noise
        self.affine = FullyConnectedLayer(w_dim, in_channels)
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, 3, 3))
        self.register_buffer("resample_filter", torch.zeros(4, 4))
        if config.use_noise:
            self.register_buffer("noise_const", torch.zeros(resolution, resolution))
            self.noise_strength = nn.Parameter(torch.zeros([]))
        self.bias = nn.Parameter(torch.zeros(out_channels))

    def forward(self, x: torch.Tensor, w: torch.Tensor, noise_mode: str, generator: torch.Generator | None,
                noise: torch.Tensor | None = None, gain: float = 1.0) -> torch.Tensor:
        """x (B, I, R/up, R/up), w (B, w_dim), noise (R, R) in place of noise_const (a projection optimises it)
        -> (B, O, R, R)"""
        x = modulated_conv2d(x, self.weight, self.affine(w), up=self.up, f=self.resample_filter)
        if self.use_noise and noise_mode == "random":
            drawn = torch.randn(x.shape[0], 1, self.resolution, self.resolution, generator=generator)
            x = x + drawn.to(x.device, x.dtype) * self.noise_strength
        elif self.use_noise and noise_mode == "const":
            x = x + (self.noise_const if noise is None else noise) * self.noise_strength
        clamp = None if self.conv_clamp is None else self.conv_clamp * gain
        return bias_act(x, self.bias, lrelu=True, gain=gain, clamp=clamp)


class ToRGBLayer(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, w_dim: int, conv_clamp: float | None):
        super().__init__()
        self.conv_clamp = conv_clamp
        self.affine = FullyConnectedLayer(w_dim, in_channels)
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, 1, 1))
        self.bias = nn.Parameter(torch.zeros(out_channels))
        self.weight_gain = 1 / math.sqrt(in_channels)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        """x (B, I, R, R), w (B, w_dim) -> (B, img_channels, R, R)"""
        x = modulated_conv2d(x, self.weight, self.affine(w) * self.weight_gain, demodulate=False)
        return bias_act(x, self.bias, lrelu=False, clamp=self.conv_clamp)


class SkipLayer(nn.Module):
    """The resnet architecture's shortcut: a 1x1 convolution without bias, then the filtered 2x upsampling."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_channels, in_channels, 1, 1))
        self.register_buffer("resample_filter", torch.zeros(4, 4))

    def forward(self, x: torch.Tensor, gain: float) -> torch.Tensor:
        """(B, I, H, W) -> (B, O, 2H, 2W)"""
        x = F.conv2d(x, self.weight / math.sqrt(self.weight[0].numel()))
        return upfirdn2d(x, self.resample_filter, up=2, padding=(2, 1, 2, 1), gain=4) * gain


class SynthesisBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, resolution: int, is_last: bool, config: StyleGAN2Config):
        super().__init__()
        c = config
        self.in_channels, self.is_last, self.architecture = in_channels, is_last, c.architecture
        self.register_buffer("resample_filter", torch.zeros(4, 4))
        if in_channels == 0:
            self.const = nn.Parameter(torch.randn(out_channels, resolution, resolution))
        else:
            self.conv0 = SynthesisLayer(in_channels, out_channels, c.w_dim, resolution, True, c)
        self.conv1 = SynthesisLayer(out_channels, out_channels, c.w_dim, resolution, False, c)
        if is_last or c.architecture == "skip":
            self.torgb = ToRGBLayer(out_channels, c.img_channels, c.w_dim, c.conv_clamp)
        if in_channels and c.architecture == "resnet":
            self.skip = SkipLayer(in_channels, out_channels)

    @property
    def num_conv(self) -> int:
        return 1 if self.in_channels == 0 else 2

    @property
    def num_torgb(self) -> int:
        return int(self.is_last or self.architecture == "skip")

    def forward(self, x: torch.Tensor | None, img: torch.Tensor | None, ws: torch.Tensor, noise_mode: str,
                generator: torch.Generator | None, noises: dict[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x (B, I, R/2, R/2) or None for the first block, img (B, C, R/2, R/2) or None, ws (B, num_conv +
        num_torgb, w_dim), noises: "conv0"/"conv1" -> (R, R) in place of noise_const -> x (B, O, R, R), img (B, C, R, R)"""
        w = iter(ws.unbind(dim=1))
        if self.in_channels == 0:
            x = self.conv1(self.const.unsqueeze(0).repeat(ws.shape[0], 1, 1, 1), next(w), noise_mode, generator,
                           noises.get("conv1"))
        elif self.architecture == "resnet":
            y = self.skip(x, gain=math.sqrt(0.5))
            x = self.conv0(x, next(w), noise_mode, generator, noises.get("conv0"))
            x = y + self.conv1(x, next(w), noise_mode, generator, noises.get("conv1"), gain=math.sqrt(0.5))
        else:
            x = self.conv0(x, next(w), noise_mode, generator, noises.get("conv0"))
            x = self.conv1(x, next(w), noise_mode, generator, noises.get("conv1"))
        if img is not None:
            img = upfirdn2d(img, self.resample_filter, up=2, padding=(2, 1, 2, 1), gain=4)
        if self.num_torgb:
            y = self.torgb(x, next(w))
            img = y if img is None else img + y
        return x, img


class SynthesisNetwork(nn.Module):
    def __init__(self, config: StyleGAN2Config):
        super().__init__()
        self.resolutions = [4 * 2 ** i for i in range(len(config.channels))]
        ins = [0, *config.channels[:-1]]
        for res, c_in, c_out in zip(self.resolutions, ins, config.channels):
            setattr(self, f"b{res}", SynthesisBlock(c_in, c_out, res, res == self.resolutions[-1], config))

    def forward(self, ws: torch.Tensor, noise_mode: str = "const", generator: torch.Generator | None = None,
                noises: dict[str, torch.Tensor] | None = None) -> torch.Tensor:
        """ws (B, num_ws, w_dim) -> images (B, C, R, R), about [-1, 1]. Block i reads its convolutions' ws and the
        next one, which its to-RGB layer shares with the next block's first convolution. `noises`: maps that take
        the place of the constant ones, by the name of theirs without ".noise_const" ("b8.conv0")."""
        x = img = None
        start = 0
        for res in self.resolutions:
            block = getattr(self, f"b{res}")
            own = {name.split(".")[1]: noise for name, noise in (noises or {}).items() if name.startswith(f"b{res}.")}
            x, img = block(x, img, ws[:, start:start + block.num_conv + block.num_torgb], noise_mode, generator, own)
            start += block.num_conv
        return img


class StyleBased(nn.Module):
    """What StyleGAN2 and StyleGAN3 share around their synthesis networks: the mapping network's ws, truncated."""

    config: StyleGAN2Config
    mapping: MappingNetwork

    def class_vector(self, labels: torch.Tensor | None, batch: int) -> torch.Tensor | None:
        """Class indices (B,) as one-hot rows, or class weights (B, c_dim) as they are; None when unconditional."""
        if not self.config.c_dim:
            return None
        if labels is None:
            raise ValueError("this generator is class-conditional: give it labels")
        return F.one_hot(labels, self.config.c_dim).float() if labels.ndim == 1 else labels.float().expand(batch, -1)

    def ws(self, z: torch.Tensor, labels: torch.Tensor | None = None, truncation: float = 1.0) -> torch.Tensor:
        """z (B, z_dim) -> ws (B, num_ws, w_dim): w pulled toward the average w by the truncation ψ, one per layer."""
        return self.truncated(self.mapping(z, self.class_vector(labels, z.shape[0]))[:, None], truncation)

    def truncated(self, w: torch.Tensor, truncation: float) -> torch.Tensor:
        """w (B, 1 or num_ws, w_dim) -> ws (B, num_ws, w_dim), each pulled toward the average w by ψ."""
        return self.mapping.w_avg.lerp(w, truncation).expand(-1, self.config.num_ws, -1).contiguous()


class StyleGAN2Generator(StyleBased):
    def __init__(self, config: StyleGAN2Config):
        super().__init__()
        self.config = config
        self.synthesis = SynthesisNetwork(config)
        self.mapping = MappingNetwork(config)

    def w_resolutions(self) -> list[int]:
        """For each row of ws, the side of the layer that reads it: the convolutions' blocks, then the last to-RGB
        layer's (a block's other to-RGB layers share the next block's first w)."""
        sides = [res for res in self.synthesis.resolutions for _ in range(getattr(self.synthesis, f"b{res}").num_conv)]
        return [*sides, self.synthesis.resolutions[-1]]

    def forward(self, z: torch.Tensor, labels: torch.Tensor | None = None, truncation: float = 1.0,
                noise_mode: str = "const", generator: torch.Generator | None = None) -> torch.Tensor:
        """z (B, z_dim) -> images (B, C, R, R), about [-1, 1]"""
        return self.synthesis(self.ws(z, labels, truncation), noise_mode, generator)


def config_from_state(state: dict[str, torch.Tensor], **given) -> StyleGAN2Config:
    """The generator's shape read from its weights; `given`: what the weights cannot say (conv_clamp, the mapping's
    learning-rate multiplier, class names)."""
    resolutions = sorted(int(k.split(".")[1][1:]) for k in state if k.startswith("synthesis.b") and k.endswith(".conv1.weight"))
    channels = [state[f"synthesis.b{r}.conv1.weight"].shape[0] for r in resolutions]
    layers = sum(1 for k in state if k.startswith("mapping.fc") and k.endswith(".weight"))
    embed = state.get("mapping.embed.weight")  # (embed_features, c_dim)
    first = state["mapping.fc0.weight"]  # (features, z_dim + embed_features)
    last = resolutions[-1]
    second = f"synthesis.b{resolutions[1]}" if len(resolutions) > 1 else None  # the first block with a shortcut
    if second and f"{second}.skip.weight" in state:
        architecture = "resnet"
    elif second and f"synthesis.b{resolutions[0]}.torgb.weight" not in state:
        architecture = "orig"
    else:
        architecture = "skip"
    return StyleGAN2Config(
        z_dim=first.shape[1] - (0 if embed is None else embed.shape[0]),
        c_dim=0 if embed is None else embed.shape[1],
        w_dim=state["mapping.w_avg"].shape[0],
        channels=channels,
        img_channels=state[f"synthesis.b{last}.torgb.weight"].shape[0],
        mapping_layers=layers,
        mapping_features=first.shape[0] if layers > 1 else state["mapping.w_avg"].shape[0],
        embed_features=0 if embed is None else embed.shape[0],
        architecture=architecture,
        use_noise=f"synthesis.b{last}.conv1.noise_const" in state,
        **given,
    )
