"""Fréchet distance between two sets of feature vectors (the FID formula, in any feature space)."""
import torch


def _sqrt_psd(matrix: torch.Tensor) -> torch.Tensor:
    values, vectors = torch.linalg.eigh(matrix)
    return vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """a (N, D), b (M, D) -> ||mu_a - mu_b||^2 + Tr(C_a + C_b - 2 (C_a C_b)^1/2), in float64."""
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = torch.cov(a.T), torch.cov(b.T)  # (D, D)
    root_a = _sqrt_psd(cov_a)
    # Tr((C_a C_b)^1/2) = Tr((A^1/2 C_b A^1/2)^1/2), whose argument is symmetric PSD.
    cross = torch.linalg.eigvalsh(root_a @ cov_b @ root_a).clamp(min=0).sqrt().sum()
    return float((mu_a - mu_b).square().sum() + cov_a.trace() + cov_b.trace() - 2 * cross)
