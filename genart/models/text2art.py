"""A text-conditioned GAN after StackGAN's stage I (Zhang et al. 2017, arXiv:1612.03242) at 64x64.

A caption's words go through a small bidirectional GRU (the text encoder, trained here beforehand against an image
encoder, as Reed et al. 2016 train theirs, arXiv:1605.05395); conditioning augmentation turns its embedding into a
mean and a variance to sample a condition from; the generator is genart's DCGAN generator fed the latent and that
condition, and with modulated_blocks > 0 the caption's embedding also scales and shifts the last BatchNorm layers'
outputs (conditional BatchNorm, as in Miyato & Koyama 2018 and BigGAN): a path to the late layers where an image's
colours are decided, apart from its class. The discriminator (training only) is matching-aware (GAN-INT-CLS, Reed et
al. 2016, arXiv:1605.05396): it scores an image with a caption by projecting the caption's embedding onto its
features.
"""
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from .dcgan import DCGANConfig, DCGANGenerator, ProjectionDiscriminator, minibatch_stddev

PAD = 0  # word id 0 pads a caption; ids 1.. are vocab[0..]


@dataclass
class Text2ArtConfig:
    model_type: str = "genart-text2art"
    vocab: list[str] = field(default_factory=list)
    max_words: int = 32
    word_dim: int = 64
    text_dim: int = 128  # the sentence embedding
    cond_dim: int = 32  # the condition sampled by conditioning augmentation
    latent_dim: int = 100
    hidden_size: int = 48
    image_size: int = 64  # fixed by the DCGAN generator
    modulated_blocks: int = 0  # how many of the generator's last BatchNorm layers the embedding scales and shifts (<= 3)

    def generator_config(self) -> DCGANConfig:
        return DCGANConfig(latent_dim=self.latent_dim + self.cond_dim, hidden_size=self.hidden_size)


class TextEncoder(nn.Module):
    """word ids (B, T) -> sentence embeddings (B, text_dim): a bidirectional GRU, its states averaged over the words,
    scaled to norm sqrt(text_dim) so that each dimension is about unit size beside conditioning augmentation's noise."""

    def __init__(self, config: Text2ArtConfig):
        super().__init__()
        self.embed = nn.Embedding(len(config.vocab) + 1, config.word_dim, padding_idx=PAD)
        self.gru = nn.GRU(config.word_dim, config.word_dim, batch_first=True, bidirectional=True)
        self.proj = nn.Linear(2 * config.word_dim, config.text_dim)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        states, _ = self.gru(self.embed(ids))  # (B, T, 2 * word_dim)
        mask = (ids != PAD).unsqueeze(2).to(states.dtype)  # (B, T, 1)
        mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1)  # (B, 2 * word_dim)
        return nn.functional.normalize(self.proj(mean), dim=1) * self.proj.out_features ** 0.5


class ConditioningAugmentation(nn.Module):
    """StackGAN's conditioning augmentation: embedding (B, text_dim) -> (condition, mean, log-variance), each
    (B, cond_dim); condition = mean + exp(logvar / 2) * eps, with eps given so a seed fixes it."""

    def __init__(self, config: Text2ArtConfig):
        super().__init__()
        self.fc = nn.Linear(config.text_dim, 2 * config.cond_dim)

    def forward(self, embedding: torch.Tensor, eps: torch.Tensor):
        mean, logvar = nn.functional.leaky_relu(self.fc(embedding), 0.2).chunk(2, dim=1)  # (B, cond_dim) each
        return mean + (0.5 * logvar).exp() * eps, mean, logvar


class Text2ArtGenerator(nn.Module):
    def __init__(self, config: Text2ArtConfig):
        super().__init__()
        self.config = config
        self.text = TextEncoder(config)
        self.augment = ConditioningAugmentation(config)
        self.generator = DCGANGenerator(config.generator_config())
        if not 0 <= config.modulated_blocks <= 3:
            raise ValueError(f"modulated_blocks is {config.modulated_blocks}; the generator has 3 BatchNorm layers "
                             "after its first block, so use 0 to 3.")
        norms = [i for i, m in enumerate(self.generator.model) if isinstance(m, nn.BatchNorm2d)]
        self.modulated = norms[len(norms) - config.modulated_blocks:] if config.modulated_blocks else []
        widths = [self.generator.model[i].num_features for i in self.modulated]
        if widths:  # zero at first: a generator started from the DCGAN draws as the DCGAN does
            self.modulation = nn.Linear(config.text_dim, 2 * sum(widths))
            nn.init.zeros_(self.modulation.weight)
            nn.init.zeros_(self.modulation.bias)
        self.widths = widths

    def forward(self, noise: torch.Tensor, embedding: torch.Tensor) -> torch.Tensor:
        """noise (B, latent_dim + cond_dim): the latent, then conditioning augmentation's eps; embedding (B, text_dim)
        -> images (B, 3, 64, 64) in [-1, 1]."""
        z, eps = noise.split([self.config.latent_dim, self.config.cond_dim], dim=1)
        condition, _, _ = self.augment(embedding, eps)
        x = torch.cat([z, condition], dim=1)[:, :, None, None]  # (B, latent_dim + cond_dim, 1, 1)
        if not self.widths:
            return self.generator.model(x)  # (B, 3, 64, 64)
        scales = iter(self.modulation(embedding).split([w for w in self.widths for _ in (0, 1)], dim=1))
        for i, layer in enumerate(self.generator.model):
            x = layer(x)
            if i in self.modulated:  # (B, C, H, W) * (1 + gain (B, C, 1, 1)) + bias (B, C, 1, 1)
                gain, bias = next(scales), next(scales)
                x = x * (1 + gain[:, :, None, None]) + bias[:, :, None, None]
        return x  # (B, 3, 64, 64)


class ImageEncoder(nn.Module):
    """Training only: images (B, 3, 64, 64) -> (B, text_dim), the other half of the text encoder's joint embedding."""

    def __init__(self, config: Text2ArtConfig):
        super().__init__()
        h = 32
        layers, c_in = [], 3
        for c_out in (h, 2 * h, 4 * h, 8 * h):  # 64 -> 32 -> 16 -> 8 -> 4
            layers += [nn.Conv2d(c_in, c_out, 4, 2, 1), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2, inplace=True)]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.proj = nn.Linear(8 * h, config.text_dim)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.proj(self.features(images).mean(dim=(2, 3)))  # (B, 8h, 4, 4) -> (B, 8h) -> (B, text_dim)


class MatchingDiscriminator(ProjectionDiscriminator):
    """Training only: images (B, 3, 64, 64) and caption embeddings (B, text_dim) -> (realness logits (B,), high only
    for a real image with its own caption; class logits (B, num_classes) of the auxiliary classifier, AC-GAN's head;
    colour logits (B, num_colours), one per colour name, of a second auxiliary head: which colours cover the image.
    The trainer fits both heads to real images only)."""

    def __init__(self, config: Text2ArtConfig, num_classes: int, num_colours: int):
        super().__init__(DCGANConfig(hidden_size=config.hidden_size, num_classes=num_classes))
        width = (config.hidden_size * 8 + 1) * 16  # the features' width, with the minibatch-stddev channel
        self.embed = spectral_norm(nn.Linear(config.text_dim, width))
        self.colours = nn.Linear(width, num_colours)

    def forward(self, images: torch.Tensor, embedding: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        feats = minibatch_stddev(self.features(images)).flatten(1)  # (B, width)
        score = self.linear(feats).squeeze(1) + (self.embed(embedding) * feats).sum(1)
        return score, self.classify(feats), self.colours(feats)


def padded(rows: list[list[int]], length: int) -> torch.Tensor:
    """Word-id lists -> (len(rows), length) int64, PAD after each caption's words."""
    out = torch.full((len(rows), length), PAD, dtype=torch.int64)
    for i, row in enumerate(rows):
        out[i, :len(row)] = torch.tensor(row[:length], dtype=torch.int64)
    return out
