"""Improved precision and recall (Kynkäänniemi et al. 2019, arXiv:1904.06991) between two sets of feature vectors.

Each set's manifold is the union of balls around its points reaching their k-th nearest neighbour. Precision: the
share of generated points inside the real manifold (are the images like real ones?). Recall: the share of real points
inside the generated manifold (does the generator cover the real variety?). A generator that draws one good picture
per class scores high precision and low recall, which the Fréchet distance mixes into one number.
"""
import torch


def _radii(points: torch.Tensor, k: int) -> torch.Tensor:
    """(N, D) -> (N,): distance from each point to its k-th nearest other point."""
    return torch.cdist(points, points).kthvalue(k + 1, dim=1).values  # +1: the nearest is the point itself


def precision_recall(real: torch.Tensor, fake: torch.Tensor, k: int = 3) -> tuple[float, float]:
    """real (N, D), fake (M, D) -> (precision, recall), each in [0, 1]."""
    real, fake = real.double(), fake.double()
    distances = torch.cdist(fake, real)  # (M, N)
    precision = (distances <= _radii(real, k)[None, :]).any(dim=1).double().mean()
    recall = (distances <= _radii(fake, k)[:, None]).any(dim=0).double().mean()
    return float(precision), float(recall)
