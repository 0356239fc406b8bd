"""What the DCGAN trainer's discriminator is shown of real art: batches weighted by class and grouped by class."""
import torch

from genart.data.procedural import CLASSES

GROUP = 4  # minibatch_stddev's default group size


def class_weights(spec: list[str]) -> torch.Tensor:
    """['mandala=3'] -> sampling weights over CLASSES, 1 for classes not named."""
    weights = torch.ones(len(CLASSES))
    for item in spec:
        name, _, value = item.partition("=")
        if name not in CLASSES:
            raise SystemExit(f"--class-weight: unknown class {name!r}; choose from {', '.join(CLASSES)}.")
        weights[CLASSES.index(name)] = float(value)
    return weights


def real_batch(data: torch.Tensor, weights: torch.Tensor, per_class: int, batch_size: int,
               device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """-> real images (B, 3, 64, 64) in [-1, 1], randomly mirrored, and their classes (B,). Samples i, i + B/4,
    i + B/2, i + 3B/4 form one minibatch-stddev group in D; giving each group one class lets D see a class with too
    little variety (mixed groups hide it behind the differences between classes)."""
    y = torch.multinomial(weights, batch_size // GROUP, replacement=True).repeat(GROUP)  # (B,)
    idx = y * per_class + torch.randint(per_class, (batch_size,))  # data (N, 3, 64, 64) uint8 is in class blocks
    real = data[idx].to(device).float() / 127.5 - 1  # (B, 3, 64, 64)
    real = torch.where(torch.rand(batch_size, 1, 1, 1, device=device) < 0.5, real, real.flip(3))
    return real, y.to(device)
