"""A class-conditional convolutional VAE (Kingma & Welling 2014, arXiv:1312.6114) for 64x64 images.

The encoder q(z | x) does not see the class, so a user's own image can be encoded without one; the decoder
p(x | z, y) takes the class as a label embedding concatenated to the latent (as the DCGAN's generator does), so
sampling picks a class and the prior's latent gives the rest.
"""
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class VAEConfig:
    num_channels: int = 3
    latent_dim: int = 64
    hidden_size: int = 32
    num_classes: int = 0
    label_dim: int = 0
    class_names: list[str] = field(default_factory=list)
    image_size: int = 64  # fixed by the four stride-2 steps below
    model_type: str = "genart-vae"


def down(c_in: int, c_out: int) -> list[nn.Module]:
    """(B, c_in, S, S) -> (B, c_out, S/2, S/2)."""
    return [nn.Conv2d(c_in, c_out, 4, 2, 1), nn.GroupNorm(8, c_out), nn.SiLU()]


def up(c_in: int, c_out: int) -> list[nn.Module]:
    """(B, c_in, S, S) -> (B, c_out, 2S, 2S): a nearest resize and a 3x3 convolution (no checkerboard)."""
    return [nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(c_in, c_out, 3, 1, 1), nn.GroupNorm(8, c_out),
            nn.SiLU()]


class ConvVAE(nn.Module):
    def __init__(self, config: VAEConfig):
        super().__init__()
        self.config = config
        h, top = config.hidden_size, 4 * config.hidden_size
        self.encoder = nn.Sequential(*down(config.num_channels, h), *down(h, 2 * h), *down(2 * h, top),
                                     *down(top, top), nn.Flatten())  # (B, top * 16)
        self.posterior = nn.Linear(top * 16, 2 * config.latent_dim)  # -> mean and log-variance
        if config.num_classes:
            self.label_embedding = nn.Embedding(config.num_classes, config.label_dim)
        self.project = nn.Linear(config.latent_dim + config.label_dim, top * 16)
        self.decoder = nn.Sequential(
            nn.SiLU(), nn.Unflatten(1, (top, 4, 4)),  # (B, top, 4, 4)
            *up(top, top), *up(top, 2 * h), *up(2 * h, h),  # (B, h, 32, 32)
            # the last doubling straight to pixels, as the DCGAN's: a 64x64 layer of h channels would double the time
            nn.ConvTranspose2d(h, config.num_channels, 4, 2, 1), nn.Tanh())  # (B, C, 64, 64)

    def encode(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """images (B, C, 64, 64) in [-1, 1] -> (mean, log-variance), each (B, latent_dim)."""
        return self.posterior(self.encoder(images)).chunk(2, dim=1)

    def decode(self, z: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """z (B, latent_dim), labels (B,) class indices or (B, num_classes) weights mixing the classes' embeddings ->
        images (B, C, 64, 64) in [-1, 1]."""
        if self.config.num_classes:
            if labels is None:
                raise ValueError("This decoder is class-conditional: pass a label for every latent.")
            table = self.label_embedding.weight  # (num_classes, label_dim)
            embedded = labels.to(table.dtype) @ table if labels.is_floating_point() else self.label_embedding(labels)
            z = torch.cat([z, embedded.to(z.dtype)], dim=1)  # (B, latent_dim + label_dim)
        return self.decoder(self.project(z))

    def forward(self, images: torch.Tensor, labels: torch.Tensor | None = None):
        """Training: images (B, C, 64, 64) -> (reconstructions, mean, log-variance), with a sampled latent."""
        mean, logvar = self.encode(images)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp()  # the reparameterisation trick
        return self.decode(z, labels), mean, logvar
