"""CLIP as an instrument any task can call: embeddings of prompts and images, and the CLIP score (100 x the cosine
of the two, floored at 0, as Hessel et al. 2021 and torchmetrics report it). The tokenizer is the repo's own
tokenizer.json, read by `tokenizers`."""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from tokenizers import Tokenizer

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import get_spec

DEFAULT_CLIP = "clip-vit-b32"


@dataclass(frozen=True)
class ClipModel:
    loaded: LoadedModel
    tokenizer: Tokenizer

    @property
    def module(self):
        return self.loaded.module


def clip_model(name: str = DEFAULT_CLIP, progress: Progress | None = None) -> ClipModel:
    loaded = load_model(get_spec(name, task="clip"), progress)
    tokenizer = runtime.MODELS.get(runtime.cache_key(loaded.spec.name, loaded.provenance, part="tokenizer"),
                                   lambda: read_tokenizer(loaded))
    return ClipModel(loaded, tokenizer)


def read_tokenizer(loaded: LoadedModel) -> Tokenizer:
    path = loaded.folder / "tokenizer.json"
    if not path.exists():
        raise GenartError(f"{loaded.spec.name} has no tokenizer.json; genart reads only fast-tokenizer files.")
    tokenizer = Tokenizer.from_file(str(path))
    # As CLIP's own tokenizers cut: the first context_length - 2 tokens between the start and end markers.
    tokenizer.enable_truncation(loaded.module.config.context_length)
    tokenizer.no_padding()
    return tokenizer


def token_ids(model: ClipModel, texts: list[str]) -> torch.Tensor:
    """texts -> (B, context_length) ids, zero after each end-of-text token (the largest id, which pooling finds)."""
    rows = [e.ids for e in model.tokenizer.encode_batch(texts)]
    for text, row in zip(texts, rows):
        if len(row) <= 2:  # only the start and end markers
            raise GenartError(f"The prompt {text[:40]!r} has no words CLIP can read; write a description.")
    out = torch.zeros(len(rows), model.module.config.context_length, dtype=torch.int64)
    for i, row in enumerate(rows):
        out[i, :len(row)] = torch.tensor(row)
    return out


@torch.no_grad()
def text_embeddings(model: ClipModel, texts: list[str]) -> torch.Tensor:
    """-> (B, embed_dim), unit length, float32."""
    ids = token_ids(model, texts).to(model.loaded.device)
    return F.normalize(model.module.encode_text(ids).float(), dim=1)


def pixels(images: list[Image.Image], size: int) -> torch.Tensor:
    """PIL images -> (B, 3, size, size) in [0, 1]: the shorter side resized to `size` (bicubic), then the centre."""
    out = []
    for image in images:
        image = image.convert("RGB")
        scale = size / min(image.size)
        w, h = max(size, round(image.width * scale)), max(size, round(image.height * scale))
        image = image.resize((w, h), Image.Resampling.BICUBIC)
        left, top = (w - size) // 2, (h - size) // 2
        out.append(np.asarray(image.crop((left, top, left + size, top + size)), dtype=np.float32) / 255)
    return torch.from_numpy(np.stack(out)).permute(0, 3, 1, 2)  # (B, H, W, 3) -> (B, 3, H, W)


def image_embeddings(model: ClipModel, batch: torch.Tensor) -> torch.Tensor:
    """(B, 3, S, S) in [0, 1] at CLIP's input size -> (B, embed_dim), unit length; differentiable."""
    loaded = model.loaded
    return F.normalize(model.module.encode_image(batch.to(loaded.device, loaded.dtype)).float(), dim=1)


@torch.no_grad()
def clip_scores(model: ClipModel, images: list[Image.Image], text: str) -> list[float]:
    """The CLIP score of each image against one description: 100 * max(cosine, 0)."""
    image = image_embeddings(model, pixels(images, model.module.config.image_size))
    return (100 * (image @ text_embeddings(model, [text])[0]).clamp(min=0)).tolist()
