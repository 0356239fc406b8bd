"""BigGAN-deep steered toward any prompt by CLIP, the 2021 recipe (Big Sleep; FuseDream, Liu et al. 2021,
arXiv:2112.01573): start from the ImageNet classes whose CLIP text embeddings are nearest the prompt, then optimise the
latent and the class embedding with Adam so that augmented crops of the image match the prompt in CLIP. The latent
stays inside the truncation; a seed fixes the start and every crop, so a replay on one device gives the same pixels."""
from collections.abc import Iterator
from dataclasses import asdict

import torch
import torch.nn.functional as F

from .. import runtime
from ..hub import Progress
from ..loaders import load_model
from ..registry import ModelSpec
from ..replay import Artwork, make_record
from .clip import ClipModel, clip_model, image_embeddings, text_embeddings
from .latent_models import LATENT_MODELS, check_truncation, to_images, truncated_latents

GUIDED_ARCHS = ("biggan",)
START_CLASSES = 3  # FuseDream's mixture of the nearest classes
STREAM_EVERY = 5  # steps between the images shown while it optimises
TRUNCATION_BOUND = 2.0  # BigGAN's latents are a normal truncated at ±2, then scaled by the truncation


def class_embeddings(clip: ClipModel, names: tuple[str, ...]) -> torch.Tensor:
    """(num_classes, embed_dim) unit CLIP embeddings of "a photo of a {class}", computed once per CLIP."""
    key = runtime.cache_key(clip.loaded.spec.name, clip.loaded.provenance, part=f"classes-{len(names)}")
    return runtime.MODELS.get(key, lambda: torch.cat([text_embeddings(clip, [f"a photo of a {n}" for n in chunk])
                                                      for chunk in batched(names, 100)]))


def batched(items: tuple, size: int) -> list[tuple]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def start_classes(clip: ClipModel, prompt: torch.Tensor, names: tuple[str, ...]) -> tuple[torch.Tensor, list[str]]:
    """prompt (1, embed_dim) -> (weights (num_classes,) over the START_CLASSES nearest classes, their names)."""
    similarity = (class_embeddings(clip, names) @ prompt[0].cpu())  # (num_classes,)
    top = similarity.topk(min(START_CLASSES, len(names)))
    weights = torch.zeros(len(names))
    weights[top.indices] = torch.softmax(100 * top.values, dim=0)
    return weights, [names[i] for i in top.indices]


def cutouts(images: torch.Tensor, count: int, size: int, g: torch.Generator) -> torch.Tensor:
    """images (B, 3, H, W) in [0, 1] -> (B * count, 3, size, size): random square crops of half to all of the side,
    moved a little, mirrored at random, their brightness and saturation jittered; all differentiable."""
    B, _, H, W = images.shape
    side = min(H, W)
    crops = []
    for _ in range(count):
        s = int(side * (0.5 + 0.5 * torch.rand((), generator=g)))
        top, left = (int(torch.randint(0, d - s + 1, (), generator=g)) for d in (H, W))
        crop = F.interpolate(images[:, :, top:top + s, left:left + s], size=(size, size), mode="bilinear",
                             align_corners=False)  # (B, 3, size, size)
        if torch.rand((), generator=g) < 0.5:
            crop = crop.flip(3)
        grey = crop.mean(1, keepdim=True)  # (B, 1, size, size)
        saturation = 1 + 0.2 * (torch.rand((), generator=g) - 0.5)
        brightness = 1 + 0.2 * (torch.rand((), generator=g) - 0.5)
        crops.append(((grey + (crop - grey) * saturation) * brightness).clamp(0, 1))
    return torch.cat(crops)


def guide(spec: ModelSpec, s, progress: Progress | None) -> Iterator[tuple[list[Artwork], int, str]]:
    """s: the imagine task's settings -> (images, step, notice) every STREAM_EVERY steps; the last (step == s.steps)
    carries the records."""
    gan = LATENT_MODELS["biggan"]
    check_truncation(gan, spec.name, s.truncation)
    loaded, clip = load_model(spec, progress), clip_model(s.clip, progress)
    module, device, dtype = loaded.module, loaded.device, loaded.dtype
    prompt = text_embeddings(clip, [s.prompt])  # (1, embed_dim)
    names = tuple(gan.classes(module.config))
    weights, nearest = start_classes(clip, prompt, names)
    z = (truncated_latents(s.seed, s.n, module.config.z_dim) * s.truncation).to(device).requires_grad_(True)
    with torch.no_grad():
        start = module.embeddings(weights.to(device, dtype)[None])  # (1, z_dim)
    embedding = start.float().expand(s.n, -1).clone().requires_grad_(True)  # (n, z_dim)
    opt = torch.optim.Adam([z, embedding], s.learning_rate)
    g = torch.Generator().manual_seed(s.seed)
    size, bound = clip.module.config.image_size, TRUNCATION_BOUND * s.truncation
    record = make_record("imagine", spec.name, loaded.provenance, **asdict(s), start_classes=nearest,
                         clip_provenance=clip.loaded.provenance)
    with runtime.oom_guard("fewer cutouts or a smaller batch"):
        for step in range(s.steps + 1):
            images = module.generator(torch.cat([z, embedding], dim=1).to(dtype), s.truncation)  # (n, 3, H, W)
            if step == s.steps or step % STREAM_EVERY == 0:
                shown = to_images(images.detach())
                yield ([Artwork(im, record | {"index": i} if step == s.steps else {}) for i, im in enumerate(shown)],
                       step, f"Started from {', '.join(nearest)}." if step == s.steps else "")
            if step == s.steps:
                return
            crops = cutouts((images.float() + 1) / 2, s.cutouts, size, g)  # (n * cutouts, 3, size, size)
            loss = -(image_embeddings(clip, crops) @ prompt[0]).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            with torch.no_grad():
                z.clamp_(-bound, bound)
