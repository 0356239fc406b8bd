"""BigGAN-deep-128 speed: genart's generator beside pytorch-pretrained-BigGAN's (the package its checkpoints were
made with), the same random weights, batch 1 and 8, float32. Random weights: no download; the work is the same."""
import torch

from ..loaders import ARCHITECTURES
from ..pipelines.latent_models import truncated_latents
from ..runtime import pick_device
from .timing import machine, median_seconds

TRUNCATION = 0.4


def networks(device: torch.device):
    """-> (genart's module, the reference module) holding the same full-size random weights."""
    import pytorch_pretrained_biggan as reference  # dev dependency: the bench's reference

    torch.manual_seed(0)
    theirs = reference.BigGAN(reference.BigGANConfig()).eval()
    config = theirs.config.to_dict()
    ours = ARCHITECTURES["biggan"].build(config, {})
    ours.load_state_dict(ARCHITECTURES["biggan"].convert(theirs.state_dict(), ours), strict=True)
    return ours.to(device).eval(), theirs.to(device)


def images_per_second(module, z: torch.Tensor, labels: torch.Tensor, device: torch.device) -> float:
    def call():
        with torch.no_grad():
            module(z, labels, TRUNCATION)

    return len(z) / median_seconds(call, device)


def run():
    device = pick_device()
    ours, theirs = networks(device)
    rows = []
    for batch in (1, 8):
        z = (truncated_latents(0, batch, 128) * TRUNCATION).to(device)
        labels = torch.full((batch,), 207, device=device)
        one_hot = torch.nn.functional.one_hot(labels, 1000).float()
        rates = [images_per_second(ours, z, labels, device), images_per_second(theirs, z, one_hot, device)]
        rows.append(f"| {batch} | {rates[0]:.2f} | {rates[1]:.2f} | {rates[0] / rates[1]:.2f} |")
    print(f"\n### BigGAN-deep-128 (random weights, float32) — {machine(device)}\n")
    print("| batch | genart (images/s) | pytorch-pretrained-BigGAN (images/s) | genart / reference |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{sum(p.numel() for p in ours.parameters()) / 1e6:.1f} M parameters; median of 3 calls after a warm-up.")
