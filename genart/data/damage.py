"""Seeded damage for training and measuring restoration: Gaussian noise and salt-and-pepper impulses."""
import numpy as np


def gaussian_noise(image: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """uint8 (H, W, 3) + N(0, sigma) per channel, sigma in 0-255 units -> uint8."""
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image.astype(np.float64) + noise, 0, 255).round().astype(np.uint8)


def salt_and_pepper(image: np.ndarray, share: float, seed: int) -> np.ndarray:
    """A `share` of the pixels set to black or white (all channels), half each."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape[:2]) < share
    out[hit] = np.where(rng.random(int(hit.sum())) < 0.5, 0, 255)[:, None]
    return out
