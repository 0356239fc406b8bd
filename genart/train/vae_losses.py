"""The terms of a VAE's loss that the image and sentence VAEs share, and their figures."""
import torch
import torch.nn.functional as F


def kl_per_unit(mean: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mean, exp(logvar)) || N(0, 1)) per latent unit: (B, D) -> (B, D)."""
    return 0.5 * (mean.square() + logvar.exp() - 1 - logvar)


def free_bits(kl: torch.Tensor, floor: float) -> torch.Tensor:
    """The KL charged with free bits (Kingma et al. 2016): each unit's batch mean costs at least `floor` nats, so the
    optimiser gains nothing by pushing a unit below it; (B, D) -> a scalar per sentence."""
    return kl.mean(0).clamp_min(floor).sum()


def token_loss(logits: torch.Tensor, targets: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Summed cross-entropy per sequence over its first `lengths` tokens: logits (B, T, V), targets (B, T) -> (B,)."""
    per_token = F.cross_entropy(logits.transpose(1, 2), targets, reduction="none")  # (B, T)
    real = torch.arange(targets.shape[1], device=targets.device)[None] < lengths[:, None]  # (B, T)
    return (per_token * real).sum(1)


def active_units(means: torch.Tensor, threshold: float = 0.01) -> int:
    """Latent units whose posterior mean varies across inputs (Burda et al. 2016): means (N, D) -> count."""
    return int((means.var(0) > threshold).sum())
