"""The DCGAN trainer's extra generator losses, beside the hinge loss: each charges a defect the discriminator let
through."""
import torch

from genart.metrics.tiling import grey_repeat_at


def mode_seeking_loss(fake: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """MSGAN's term (Mao et al. 2019, arXiv:1903.05628): fake (B, C, H, W) from latents z (B, latent_dim), where
    sample i and i + B/2 have the same class. Small when two latents of a class give images far apart, so a
    generator that draws one picture per class whatever the latent pays for it."""
    half = fake.shape[0] // 2
    image_gap = (fake[:half] - fake[half:]).abs().mean(dim=(1, 2, 3))  # (B/2,)
    latent_gap = (z[:half] - z[half:]).abs().mean(dim=1)  # (B/2,)
    return 1 / ((image_gap / latent_gap).mean() + 1e-5)


def repeat_penalty(fake: torch.Tensor, labels: torch.Tensor, real_repeat: torch.Tensor) -> torch.Tensor:
    """fake (B, C, H, W), labels (B,), real_repeat (num_classes,) -> scalar: how far samples repeat every 16 px
    beyond real art of their class (metrics.tiling), the defect the discriminator let through."""
    return torch.relu(grey_repeat_at(fake.float().mean(1)) - real_repeat[labels]).mean()
