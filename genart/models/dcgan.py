"""DCGAN (Radford et al. 2016, arXiv:1511.06434) with the huggan community-events key layout.

The generator's `model` Sequential matches huggan's Generator(num_channels, latent_dim, hidden_size), so their Hub
checkpoints load unchanged. With num_classes > 0 a label embedding is concatenated to the latent: the class-conditional
variant trained on procedural art. The discriminator is a projection discriminator (Miyato & Koyama 2018,
arXiv:1802.05637) with spectral norm and a minibatch-standard-deviation feature (Karras et al. 2018,
arXiv:1710.10196) against mode collapse; it is only used for training.
"""
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm


@dataclass
class DCGANConfig:
    num_channels: int = 3
    latent_dim: int = 100
    hidden_size: int = 64
    num_classes: int = 0  # 0 = unconditional, exactly the huggan layout
    label_dim: int = 0  # size of the label embedding concatenated to the latent
    class_names: list[str] = field(default_factory=list)
    image_size: int = 64  # fixed by the five transposed convolutions below


def up_block(c_in: int, c_out: int, first: bool = False) -> list[nn.Module]:
    """ConvTranspose (x2, or 1 -> 4 for the first) + BatchNorm + ReLU."""
    stride, padding = (1, 0) if first else (2, 1)
    return [nn.ConvTranspose2d(c_in, c_out, 4, stride, padding, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True)]


class DCGANGenerator(nn.Module):
    def __init__(self, config: DCGANConfig):
        super().__init__()
        self.config = config
        h = config.hidden_size
        if config.num_classes:
            self.label_embedding = nn.Embedding(config.num_classes, config.label_dim)
        self.model = nn.Sequential(
            *up_block(config.latent_dim + config.label_dim, h * 8, first=True),  # (B, 8h, 4, 4)
            *up_block(h * 8, h * 4),  # (B, 4h, 8, 8)
            *up_block(h * 4, h * 2),  # (B, 2h, 16, 16)
            *up_block(h * 2, h),  # (B, h, 32, 32)
            nn.ConvTranspose2d(h, config.num_channels, 4, 2, 1, bias=False),  # (B, C, 64, 64)
            nn.Tanh(),
        )

    def forward(self, noise: torch.Tensor, labels: torch.Tensor | None = None) -> torch.Tensor:
        """noise (B, latent_dim) or (B, latent_dim, 1, 1), labels (B,) class indices or (B, num_classes) weights that
        mix the classes' embeddings (a morph between classes) -> images (B, C, 64, 64) in [-1, 1]."""
        z = noise.reshape(noise.shape[0], -1)  # (B, latent_dim)
        if self.config.num_classes:
            if labels is None:
                raise ValueError("This generator is class-conditional: pass a label for every latent.")
            table = self.label_embedding.weight  # (num_classes, label_dim)
            embedded = labels.to(table.dtype) @ table if labels.is_floating_point() else self.label_embedding(labels)
            z = torch.cat([z, embedded.to(z.dtype)], dim=1)  # (B, latent_dim + label_dim)
        return self.model(z[:, :, None, None])  # (B, latent, 1, 1) -> (B, C, 64, 64)


def minibatch_stddev(x: torch.Tensor, group: int = 4) -> torch.Tensor:
    """(B, C, H, W) -> (B, C + 1, H, W): appends how much each group of samples differs, so D can see a batch
    with too little variety. B must be a multiple of the group size."""
    B, C, H, W = x.shape
    g = min(group, B)
    spread = x.reshape(g, -1, C, H, W).var(0, unbiased=False).add(1e-8).sqrt().mean(dim=(1, 2, 3))  # (B / g,)
    return torch.cat([x, spread.repeat(g)[:, None, None, None].expand(B, 1, H, W)], dim=1)


class ProjectionDiscriminator(nn.Module):
    def __init__(self, config: DCGANConfig):
        super().__init__()
        h = config.hidden_size

        def down(c_in, c_out):  # (B, c_in, S, S) -> (B, c_out, S/2, S/2)
            return [spectral_norm(nn.Conv2d(c_in, c_out, 4, 2, 1)), nn.LeakyReLU(0.2, inplace=True)]

        self.features = nn.Sequential(*down(config.num_channels, h), *down(h, h * 2), *down(h * 2, h * 4),
                                      *down(h * 4, h * 8))  # (B, 8h, 4, 4)
        width = (h * 8 + 1) * 16  # with the minibatch-stddev channel
        self.linear = spectral_norm(nn.Linear(width, 1))
        self.embed = spectral_norm(nn.Embedding(max(config.num_classes, 1), width))
        # An auxiliary classifier on the same features (AC-GAN, Odena et al. 2017), trained on real images only.
        self.classify = nn.Linear(width, max(config.num_classes, 1))

    def forward(self, images: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """images (B, C, 64, 64), labels (B,) -> (realness logits (B,), class logits (B, num_classes))."""
        feats = minibatch_stddev(self.features(images)).flatten(1)  # (B, (8h + 1) * 16)
        return self.linear(feats).squeeze(1) + (self.embed(labels) * feats).sum(1), self.classify(feats)
