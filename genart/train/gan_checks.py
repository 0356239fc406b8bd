"""What the DCGAN trainer looks at while it trains: sample grids, the variety of samples, and the art classifier's
judgement of them against held-out real art (the figures --keep-best keeps the best generator by)."""
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from genart.data.datasets import art_dataset
from genart.data.procedural import CLASSES
from genart.metrics.frechet import frechet_distance
from genart.metrics.gan_quality import predict, to_tensor
from genart.metrics.precision_recall import precision_recall
from genart.metrics.tiling import repeat_at
from genart.models.dcgan import DCGANGenerator
from genart.pipelines.latent_models import to_images

VALIDATION_SEEDS = 400_000  # real art that --keep-best compares samples with, apart from gan_quality's sets


@torch.no_grad()
def recalibrate_batchnorm(generator: DCGANGenerator, device: torch.device, batches: int = 20, batch_size: int = 256):
    """Recompute BatchNorm statistics for the averaged weights: the trained model's statistics do not fit them
    and wash the colours out."""
    for m in generator.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over all batches below
    generator.train()
    g = torch.Generator().manual_seed(1)
    for _ in range(batches):
        z = torch.randn(batch_size, generator.config.latent_dim, generator=g).to(device)
        generator(z, torch.randint(generator.config.num_classes, (batch_size,), generator=g).to(device))
    for m in generator.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = 0.1
    generator.eval()


def sample_grid(draw: Callable, config, path: Path, device: torch.device, per_class: int = 8):
    """One row per class of what `draw(z, labels)` makes from fixed latents, so successive grids are comparable:
    a generator in eval mode, or a VAE's decoder."""
    g = torch.Generator().manual_seed(0)
    z = torch.randn(per_class * len(CLASSES), config.latent_dim, generator=g).to(device)
    labels = torch.arange(len(CLASSES)).repeat_interleave(per_class).to(device)
    with torch.no_grad():
        images = to_images(draw(z, labels))  # 6 * per_class images, class by class
    size = config.image_size
    sheet = Image.new("RGB", (per_class * size, len(CLASSES) * size))
    for i, image in enumerate(images):
        sheet.paste(image, ((i % per_class) * size, (i // per_class) * size))
    # 256 colours: a third of the bytes of full colour, which weights/ (under 40 MB) feels; the grid reads the same
    sheet.quantize(256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


@torch.no_grad()
def diversity(generator: DCGANGenerator, device: torch.device, n: int = 64) -> float:
    """Mean per-pixel standard deviation over n latents, averaged over classes: near 0 means mode collapse."""
    was_training = generator.training
    generator.eval()
    spreads = [generator(torch.randn(n, generator.config.latent_dim, device=device),
                         torch.full((n,), k, device=device)).float().std(0).mean().item()
               for k in range(generator.config.num_classes)]
    generator.train(was_training)
    return round(sum(spreads) / len(spreads), 3)


def validation_features(classifier) -> torch.Tensor:
    """The art classifier's features of the held-out real art that judge() compares samples with: (600, D)."""
    return predict(classifier, to_tensor(art_dataset(100, 64, first_seed=VALIDATION_SEEDS)[0]))[1]


@torch.no_grad()
def judge(generator: DCGANGenerator, classifier, real_features: torch.Tensor, device: torch.device,
          per_class: int = 100) -> dict:
    """How often the art classifier reads samples as the class asked for; the Fréchet distance, precision and recall
    between the samples and held-out real art in its feature space; and how much the samples repeat every 16 px (real
    art: 0.07). Latents and real seeds disjoint from gan_quality's."""
    g = torch.Generator().manual_seed(12345)
    z = torch.randn(per_class * len(CLASSES), generator.config.latent_dim, generator=g).to(device)
    labels = torch.arange(len(CLASSES)).repeat_interleave(per_class)
    images = np.stack([np.asarray(i) for i in to_images(generator.eval()(z, labels.to(device)))])
    predicted, features = predict(classifier, to_tensor(images))
    precision, recall = precision_recall(real_features, features)
    return {"class_agreement": round((predicted == labels).float().mean().item(), 4),
            "frechet": round(frechet_distance(features, real_features), 3),
            "precision": round(precision, 3), "recall": round(recall, 3),
            "repeat_16px": round(repeat_at(images).mean().item(), 3)}
