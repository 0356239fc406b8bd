"""Quality figures for a class-conditional generator of procedural art.

    python -m genart.metrics.gan_quality --model dcgan-art-64

Trains a small classifier on real procedural art (fixed seeds, cached), then reports (a) how often it recognises the
requested class in 1,000 generated images and (b) the Fréchet distance in its feature space between generated and real
images, beside the distance between two independent real sets, and (c) precision and recall in the same space, class by
class: how many generated images lie among real ones, and how much of the real variety the generated images cover, and
(d) how much images repeat themselves every 16 px (metrics.tiling), generated beside real, class by class.
Real sets use seeds disjoint from the GAN's training set.
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from ..checkpoint_io import save_hub_folder
from ..data.datasets import CACHE_DIR, art_dataset
from ..data.procedural import CLASSES
from ..models.art_classifier import ArtClassifier, ArtClassifierConfig
from ..pipelines.generate import GenerateSettings, generate
from .frechet import frechet_distance
from .precision_recall import precision_recall
from .tiling import repeat_at

CLASSIFIER_SEEDS, REAL_A_SEEDS, REAL_B_SEEDS = 100_000, 200_000, 300_000


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> float (N, 3, H, W) in [-1, 1]."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 127.5 - 1


def train_classifier(per_class: int = 1000, epochs: int = 4, seed: int = 0) -> ArtClassifier:
    folder = CACHE_DIR / f"art-classifier-{per_class}x{epochs}-s{seed}"
    config = ArtClassifierConfig(num_classes=len(CLASSES))
    model = ArtClassifier(config)
    if (folder / "model.safetensors").exists():
        model.load_state_dict(load_file(folder / "model.safetensors"))
        return model.eval()
    torch.manual_seed(seed)
    images, labels = art_dataset(per_class, 64, first_seed=CLASSIFIER_SEEDS)
    x, y = to_tensor(images), torch.from_numpy(labels)
    opt = torch.optim.AdamW(model.parameters(), 2e-3, weight_decay=1e-4)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(x)).split(64):
            batch = x[idx].flip(3) if torch.rand(()) < 0.5 else x[idx]
            loss = F.cross_entropy(model(batch), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    save_hub_folder(model, config, folder)
    return model.eval()


@torch.no_grad()
def predict(model: ArtClassifier, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """-> (predicted classes (N,), features (N, D))."""
    feats = torch.cat([model.embed(b) for b in x.split(256)])
    return model.head(feats).argmax(1), feats


def generated_set(model_name: str, total: int, truncation: float) -> tuple[np.ndarray, np.ndarray]:
    """`total` images, the classes as equal as the count allows; seeds 10,000 * class + i."""
    images, labels = [], []
    for k, name in enumerate(CLASSES):
        count = total // len(CLASSES) + (k < total % len(CLASSES))
        for start in range(0, count, 64):
            n = min(64, count - start)
            images += [np.asarray(a.image) for a in generate(model_name, GenerateSettings(
                seed=10_000 * k + start, n=n, label=name, truncation=truncation))]
        labels += [k] * count
    return np.stack(images), np.array(labels)


def measure(model_name: str, total: int, truncations: list[float]) -> list[dict]:
    """One report per truncation; the classifier and the real sets' features are computed once for all of them."""
    classifier = train_classifier()
    per_class = -(-total // len(CLASSES))
    real_a, labels_a = art_dataset(per_class, 64, first_seed=REAL_A_SEEDS)
    real_b, _ = art_dataset(per_class, 64, first_seed=REAL_B_SEEDS)
    pred_a, feats_a = predict(classifier, to_tensor(real_a))
    _, feats_b = predict(classifier, to_tensor(real_b))
    real_accuracy = round(float((pred_a.numpy() == labels_a).mean()), 4)
    real_vs_real = round(frechet_distance(feats_b, feats_a), 3)
    real_repeat = repeat_at(real_a)
    reports = []
    for truncation in truncations:
        start = time.time()
        fake, fake_labels = generated_set(model_name, total, truncation)
        pred_fake, feats_fake = predict(classifier, to_tensor(fake))
        hits = pred_fake.numpy() == fake_labels
        # Per class, so that a generator cannot cover one class's variety with another class's images.
        class_pr = [precision_recall(feats_a[torch.from_numpy(labels_a == k)], feats_fake[torch.from_numpy(fake_labels == k)])
                    for k in range(len(CLASSES))]
        reports.append({
            "model": model_name,
            "truncation": truncation,
            "generated_images": len(fake),
            "class_agreement": round(float(hits.mean()), 4),
            "class_agreement_per_class": {c: round(float(hits[fake_labels == k].mean()), 3) for k, c in enumerate(CLASSES)},
            "classifier_accuracy_on_real": real_accuracy,
            "frechet_generated_vs_real": round(frechet_distance(feats_fake, feats_a), 3),
            "frechet_real_vs_real": real_vs_real,
            "precision": round(float(np.mean([p for p, _ in class_pr])), 3),
            "recall": round(float(np.mean([r for _, r in class_pr])), 3),
            "recall_per_class": {c: round(r, 3) for c, (_, r) in zip(CLASSES, class_pr)},
            "repeat_16px_per_class": {c: {"generated": round(repeat_at(fake[fake_labels == k]).mean().item(), 3),
                                          "real": round(real_repeat[torch.from_numpy(labels_a == k)].mean().item(), 3)}
                                      for k, c in enumerate(CLASSES)},
            "seconds": round(time.time() - start, 1),
        })
    return reports


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="dcgan-art-64")
    p.add_argument("--images", type=int, default=1000)
    p.add_argument("--truncation", type=float, nargs="+", default=[2.0], help="one report per value")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    result = measure(args.model, args.images, args.truncation)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
