"""A VAE-regularised U-Net over short-time spectra that fills a gap in a recording.

It does not draw the gap from nothing: it is given the two classical guesses, the recording continued into the gap by
linear prediction forward from before it and backward from after it, and learns how to mix them in each
time-frequency cell (which side a partial belongs to, where a note changes) and what to add to the mix. The U-Net runs
over time with the frequency bins as channels; its bottleneck is a Gaussian latent with a KL term (sampled while
training, its mean at inference), which keeps the code smooth and the network from memorising clips.
"""
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass
class RepairVAEConfig:
    n_fft: int = 512
    hop: int = 128
    width: int = 112  # channels of the U-Net at every level
    levels: int = 3  # halvings of the frame rate
    latent: int = 32  # channels of the Gaussian code at the bottom
    sample_rate: int = 22050  # the rate it was trained at; other recordings are resampled to it
    window: int = 16384  # samples of its training windows: a shorter gap's window is this long
    model_type: str = "genart-repair-vae"

    @property
    def bins(self) -> int:
        return self.n_fft // 2 + 1

    @property
    def multiple(self) -> int:
        """Samples a window's length must be a multiple of (whole frames at every level)."""
        return self.hop * 2 ** self.levels


def compress(z: torch.Tensor) -> torch.Tensor:
    """Complex spectrum -> the same phase with its magnitude to the power 0.3 (quiet partials count)."""
    return z * (z.abs() + 1e-8) ** -0.7


class RepairVAE(nn.Module):
    def __init__(self, config: RepairVAEConfig):
        super().__init__()
        self.config = config
        w, k = config.width, config.bins
        self.register_buffer("window", torch.hann_window(config.n_fft), persistent=False)
        self.inp = nn.Conv1d(4 * k + 1, w, 1)  # both guesses' compressed spectra and the gap's share of each frame
        self.down = nn.ModuleList(nn.Conv1d(w, w, 3, padding=1) for _ in range(config.levels))
        self.pool = nn.ModuleList(nn.Conv1d(w, w, 4, stride=2, padding=1) for _ in range(config.levels))
        self.mid = nn.ModuleList(nn.Conv1d(w, w, 3, padding=d, dilation=d) for d in (1, 2, 4))
        self.code = nn.Conv1d(w, 2 * config.latent, 1)  # -> mean and log-variance
        self.decode = nn.Conv1d(config.latent, w, 1)
        self.up = nn.ModuleList(nn.ConvTranspose1d(w, w, 4, stride=2, padding=1) for _ in range(config.levels))
        self.merge = nn.ModuleList(nn.Conv1d(2 * w, w, 3, padding=1) for _ in range(config.levels))
        self.out = nn.Conv1d(w, 3 * k, 1)  # -> mixing logit, residual real and imaginary part per bin
        nn.init.zeros_(self.out.weight)  # an untrained network gives the two guesses' mean, not noise
        nn.init.zeros_(self.out.bias)

    def stft(self, x: torch.Tensor) -> torch.Tensor:
        """(B, N) -> (B, bins, N / hop + 1) complex."""
        return torch.stft(x, self.config.n_fft, self.config.hop, window=self.window, return_complex=True)

    def forward(self, forward_fill: torch.Tensor, backward_fill: torch.Tensor, gap: torch.Tensor,
                sample: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
        """forward_fill, backward_fill (B, N): a window of the recording with the gap filled by each guess; gap (B, N)
        1 inside the gap, N a multiple of config.multiple -> (the window with the gap filled (B, N), the KL divergence
        of the code from N(0, 1) per example (B,)). Outside the gap the result is the recording itself."""
        n = forward_fill.shape[-1]
        scale = forward_fill.mul(1 - gap).square().mean(-1, keepdim=True).sqrt() + 1e-4  # (B, 1) the context's level
        sf, sb = self.stft(forward_fill / scale), self.stft(backward_fill / scale)  # (B, K, T)
        share = F.avg_pool1d(F.pad(gap, (self.config.n_fft // 2,) * 2)[:, None], self.config.n_fft,
                             self.config.hop)  # (B, 1, T) the gap's share of each frame's samples
        cf, cb = compress(sf), compress(sb)
        h = self.inp(torch.cat([cf.real, cf.imag, cb.real, cb.imag, share], 1))[..., :-1]  # (B, W, T - 1)
        skips = []
        for conv, pool in zip(self.down, self.pool):
            h = h + F.gelu(conv(h))
            skips.append(h)
            h = F.gelu(pool(h))  # (B, W, T / 2)
        for conv in self.mid:
            h = h + F.gelu(conv(h))
        mean, log_var = self.code(h).chunk(2, 1)  # (B, L, T / 2^levels) each
        z = mean + torch.randn_like(mean) * (0.5 * log_var).exp() if sample else mean
        kl = 0.5 * (mean.square() + log_var.exp() - 1 - log_var).sum((1, 2))  # (B,)
        h = self.decode(z)
        for up, merge, skip in zip(self.up, self.merge, reversed(skips)):
            h = F.gelu(merge(torch.cat([F.gelu(up(h)), skip], 1)))
        mix, re, im = self.out(F.pad(h, (0, 1), mode="replicate")).chunk(3, 1)  # (B, K, T) each
        m = torch.sigmoid(mix)
        spectrum = m * sf + (1 - m) * sb + torch.complex(re, im)
        filled = torch.istft(spectrum, self.config.n_fft, self.config.hop, window=self.window, length=n) * scale
        return gap * filled + (1 - gap) * forward_fill, kl
