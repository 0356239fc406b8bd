"""What the text2art trainer looks at while it trains: held-out captions drawn by the averaged generator, judged by
the art classifier (the class) and the colour namer (the colours asked for), and a sheet of them to look at."""
from functools import cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from genart.data.caption_dataset import captioned_art
from genart.data.captions import dominant_colours, word_ids
from genart.data.procedural import CLASSES
from genart.metrics.gan_quality import predict, to_tensor, train_classifier
from genart.models.text2art import Text2ArtConfig, Text2ArtGenerator, padded
from genart.pipelines.latent_models import to_images

CHECK_SEEDS = 500_000  # the held-out captions' renders, apart from the training seeds and gan_quality's


def caption_ids(config: Text2ArtConfig, captions: list[str]) -> torch.Tensor:
    return padded([word_ids(config.vocab, c, config.max_words) for c in captions], config.max_words)


@cache
def held_out_captions(per_class: int = 200) -> tuple[list[str], np.ndarray, list[list[str]]]:
    """(a first caption per held-out render, its class (n,), its colours): captions no training image has."""
    data = captioned_art(per_class, first_seed=CHECK_SEEDS)
    rows = np.flatnonzero(data["held_out"])
    return [data["captions"][i][0] for i in rows], data["labels"][rows], [data["colours"][i] for i in rows]


def colour_agreement(images: list[Image.Image], asked: list[list[str]]) -> float:
    """The share of the asked colours found among each image's dominant colours, averaged over images."""
    return float(np.mean([len(set(a) & set(dominant_colours(im))) / len(a) for im, a in zip(images, asked)]))


@torch.no_grad()
def draw(gen: Text2ArtGenerator, captions: list[str], device: torch.device, seed: int = 12345) -> list[Image.Image]:
    ids = caption_ids(gen.config, captions).to(device)
    g = torch.Generator().manual_seed(seed)
    noise = torch.randn(len(captions), gen.config.latent_dim + gen.config.cond_dim, generator=g).to(device)
    return to_images(gen.eval()(noise, gen.text(ids)))


@torch.no_grad()
def recalibrate(gen: Text2ArtGenerator, embeddings: torch.Tensor, device: torch.device, batches: int = 20):
    """BatchNorm statistics recomputed for the averaged weights, over training captions' embeddings (N, k, D)."""
    norms = [m for m in gen.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches below
    gen.train()
    g = torch.Generator().manual_seed(1)
    for _ in range(batches):
        pick = torch.randint(len(embeddings), (256,), generator=g)
        emb = embeddings[pick, torch.randint(embeddings.shape[1], (256,), generator=g)].to(device)
        gen(torch.randn(256, gen.config.latent_dim + gen.config.cond_dim, generator=g).to(device), emb)
    for m in norms:
        m.momentum = 0.1
    gen.eval()


def judge(gen: Text2ArtGenerator, device: torch.device, per_class: int = 200) -> dict:
    """Class agreement (the art classifier reads the asked class) and colour agreement on the held-out captions."""
    captions, labels, colours = held_out_captions(per_class)
    images = draw(gen, captions, device)
    predicted, _ = predict(train_classifier(), to_tensor(np.stack([np.asarray(i) for i in images])))
    return {"class_agreement": round(float((predicted.numpy() == labels).mean()), 4),
            "colour_agreement": round(colour_agreement(images, colours), 4)}


def sample_sheet(gen: Text2ArtGenerator, path: Path, device: torch.device, per_class: int = 200, rows: int = 12,
                 per_row: int = 8):
    """Held-out captions, one a row (two of each class), each drawn from per_row latents, the caption beside them."""
    captions, labels, _ = held_out_captions(per_class)
    chosen = [captions[i] for k in range(len(CLASSES)) for i in np.flatnonzero(labels == k)[:rows // len(CLASSES)]]
    size, text_width = gen.config.image_size, 330
    sheet = Image.new("RGB", (text_width + per_row * size, len(chosen) * size), "white")
    pen = ImageDraw.Draw(sheet)
    for r, caption in enumerate(chosen):
        for c, image in enumerate(draw(gen, [caption] * per_row, device, seed=r)):
            sheet.paste(image, (text_width + c * size, r * size))
        pen.multiline_text((4, r * size + 4), "\n".join(wrapped(caption, 52)), fill="black")
    sheet.save(path, quality=85)  # a JPEG: a PNG of these 96 noisy tiles is four times the size


def wrapped(text: str, width: int) -> list[str]:
    lines = [""]
    for word in text.split():
        lines[-1:] = [f"{lines[-1]} {word}".strip()] if len(lines[-1]) + len(word) < width else [lines[-1], word]
    return lines
