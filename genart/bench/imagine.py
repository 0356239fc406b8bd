"""Text to image speed: CLIP ViT-B/32 beside transformers' CLIPModel (the same full-size random weights), one step
of BigGAN-deep-128 steered by CLIP beside the same step through pytorch-pretrained-BigGAN and transformers, and
text2art-64 beside dcgan-art-64 (the generator it is built on). Random weights for the Hub models: no download; the
work is the same."""
import torch
import torch.nn.functional as F

from ..loaders import load_model
from ..models import clip
from ..pipelines.clip_guidance import cutouts
from ..pipelines.generate import GenerateSettings, generate
from ..pipelines.imagine import ImagineSettings, imagine
from ..pipelines.latent_models import truncated_latents
from ..registry import get_spec
from ..runtime import pick_device
from .biggan import networks as biggan_networks
from .timing import machine, median_seconds

TRUNCATION = 0.7


def clip_networks(device: torch.device):
    """-> (genart's CLIP, transformers' CLIPModel) with the same ViT-B/32 random weights."""
    import transformers  # dev dependency: the bench's reference

    torch.manual_seed(0)
    theirs = transformers.CLIPModel(transformers.CLIPConfig()).eval()
    ours = clip.CLIP(clip.from_transformers_config(theirs.config.to_dict()))
    ours.load_state_dict(clip.from_transformers(theirs.state_dict()), strict=True)
    return ours.to(device).eval(), theirs.to(device)


def normalised(pixels: torch.Tensor, config: clip.CLIPConfig) -> torch.Tensor:
    mean = torch.tensor(config.image_mean, device=pixels.device)[:, None, None]
    return (pixels - mean) / torch.tensor(config.image_std, device=pixels.device)[:, None, None]


def clip_rows(ours, theirs, device: torch.device) -> list[str]:
    ids = torch.randint(1, 49000, (8, 77), device=device)
    ids[:, -1] = 49407
    pixels = torch.rand(8, 3, 224, 224, device=device)
    with torch.no_grad():
        pairs = [("text, 8 prompts of 77 tokens", lambda: ours.encode_text(ids),
                  lambda: theirs.get_text_features(input_ids=ids)),
                 ("image, 8 at 224 px", lambda: ours.encode_image(pixels),
                  lambda: theirs.get_image_features(pixel_values=normalised(pixels, ours.config)))]
        rows = []
        for what, a, b in pairs:
            mine, ref = median_seconds(a, device), median_seconds(b, device)
            rows.append(f"| CLIP ViT-B/32 {what} | {mine:.3f} | {ref:.3f} | {ref / mine:.2f} |")
    return rows


def guided_step(generator, embed_image, z: torch.Tensor, embedding: torch.Tensor, prompt: torch.Tensor, count: int):
    """One optimisation step's work: the image, its cutouts through CLIP, the loss's gradient to z and the class."""
    def step():
        images = generator(torch.cat([z, embedding], dim=1), TRUNCATION)  # (1, 3, 128, 128)
        crops = cutouts((images + 1) / 2, count, 224, torch.Generator().manual_seed(0))
        loss = -(F.normalize(embed_image(crops), dim=1) @ prompt).mean()
        loss.backward()

    return step


def guidance_rows(device: torch.device) -> list[str]:
    gan, gan_ref = biggan_networks(device)
    ours, theirs = clip_networks(device)
    for module in (gan, gan_ref, ours, theirs):  # as the pipeline runs them: gradients to the latent and class only
        module.requires_grad_(False)
    prompt = F.normalize(torch.randn(ours.config.embed_dim, device=device), dim=0)
    z = (truncated_latents(0, 1, 128) * TRUNCATION).to(device).requires_grad_(True)
    embedding = torch.randn(1, 128, device=device).requires_grad_(True)
    rows = []
    for count in (8, 16):
        mine = median_seconds(guided_step(gan.generator, ours.encode_image, z, embedding, prompt, count), device)
        ref = median_seconds(guided_step(gan_ref.generator, lambda x: theirs.get_image_features(
            pixel_values=normalised(x, ours.config)).pooler_output, z, embedding, prompt, count), device)
        rows.append(f"| BigGAN-deep-128 + CLIP ViT-B/32, one step, {count} cutouts | {mine:.2f} | {ref:.2f} | "
                    f"{ref / mine:.2f} |")
    return rows


def text2art_row(device: torch.device) -> str:
    load_model(get_spec("text2art-64")), load_model(get_spec("dcgan-art-64"))
    mine = median_seconds(lambda: list(imagine("text2art-64", ImagineSettings(n=8))), device)
    ref = median_seconds(lambda: generate("dcgan-art-64", GenerateSettings(n=8, label="mandala")), device)
    return f"| text2art-64, 8 images (dcgan-art-64 beside it) | {mine:.3f} | {ref:.3f} | {ref / mine:.2f} |"


def run():
    device = pick_device()
    ours, theirs = clip_networks(device)
    rows = clip_rows(ours, theirs, device) + guidance_rows(device) + [text2art_row(device)]
    print(f"\n### Text to image (float32) — {machine(device)}\n")
    print("| what | genart (s) | reference (s) | reference / genart |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print("\nReferences: transformers' CLIPModel; pytorch-pretrained-BigGAN with transformers' CLIP; dcgan-art-64. "
          "Median of 3 calls after a warm-up.")
