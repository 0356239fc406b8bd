"""The figures on text2art-64's card, measured with instruments trained apart from it: the art classifier (class
agreement, and the Fréchet distance in its feature space beside dcgan-art-64's in the same run) and the colour namer
(the asked colours among an image's dominant colours), on captions of renders the trainer never saw.

    python -m genart.metrics.text2art_quality --model text2art-64 --out weights/text2art-64

Held-out captions pair a class with a colour no training caption pairs it with (data/captions.HELD_OUT); seen
captions pair them as training did, on other renders. Real renders of the same captions are measured the same way.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from ..data.caption_dataset import captioned_art
from ..data.datasets import art_dataset
from ..data.procedural import CLASSES
from ..pipelines.generate import GenerateSettings, generate
from ..pipelines.imagine import ImagineSettings, imagine
from ..pipelines.runner import settings_for
from ..train.text2art_checks import colour_agreement
from .frechet import frechet_distance
from .gan_quality import REAL_A_SEEDS, predict, to_tensor, train_classifier

CARD_SEEDS = 600_000  # renders whose captions the card uses: apart from training (0...) and the trainer's check


def drawn(model: str, captions: list[str], truncation: float, seed: int = 0) -> list[Image.Image]:
    """One image per caption, from latent seed + i for caption i."""
    images = []
    for i, caption in enumerate(captions):
        *_, last = imagine(model, ImagineSettings(prompt=caption, seed=seed + i, n=1, truncation=truncation))
        images.append(last.artworks[0].image)
    return images


def judged(classifier, images: list, labels: np.ndarray, colours: list[list[str]]) -> dict:
    predicted, features = predict(classifier, to_tensor(np.stack([np.asarray(i) for i in images])))
    return {"class_agreement": round(float((predicted.numpy() == labels).mean()), 4),
            "colour_agreement": round(colour_agreement(images, colours), 4), "count": len(images)}, features


def measure(model: str, per_class: int, truncation: float) -> dict:
    classifier = train_classifier()
    data = captioned_art(per_class, first_seed=CARD_SEEDS)
    real_features = predict(classifier, to_tensor(art_dataset(per_class, 64, first_seed=REAL_A_SEEDS)[0]))[1]
    out, all_features = {}, []
    for split, rows in (("held_out", np.flatnonzero(data["held_out"])), ("seen", np.flatnonzero(~data["held_out"]))):
        captions = [data["captions"][i][0] for i in rows]
        labels, colours = data["labels"][rows], [data["colours"][i] for i in rows]
        images = drawn(model, captions, truncation)
        out[split], features = judged(classifier, images, labels, colours)
        all_features.append(features)
        real = [Image.fromarray(data["images"][i]) for i in rows]
        out[f"{split}_real"], _ = judged(classifier, real, labels, colours)
    out["truncation"] = truncation
    out["frechet"] = round(frechet_distance(torch.cat(all_features), real_features), 3)
    dcgan = [a.image for k, name in enumerate(CLASSES) for start in range(0, per_class, 64)
             for a in generate("dcgan-art-64", GenerateSettings(seed=10_000 * k + start, label=name,
                                                                n=min(64, per_class - start)))]
    out["frechet_dcgan_art_64"] = round(frechet_distance(
        predict(classifier, to_tensor(np.stack([np.asarray(i) for i in dcgan])))[1], real_features), 3)
    for split in ("held_out", "seen"):
        out[f"{split}_of_real"] = {k: round(out[split][k] / out[f"{split}_real"][k], 3)
                                   for k in ("class_agreement", "colour_agreement")}
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="text2art-64")
    p.add_argument("--per-class", type=int, default=300, help="renders per class whose captions are drawn")
    p.add_argument("--truncation", type=float, default=None,
                   help="the latent's clamp (default: the model's own default, as the app draws)")
    p.add_argument("--out", default=None, help="a folder to write quality.json into")
    args = p.parse_args(argv)
    truncation = args.truncation or settings_for("imagine", args.model, {}).truncation
    figures = measure(args.model, args.per_class, truncation)
    print(json.dumps(figures, indent=1))
    if args.out:
        (Path(args.out) / "quality.json").write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
