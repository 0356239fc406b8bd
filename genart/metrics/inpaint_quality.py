"""Inpainting quality inside the hole, on a fixed held-out set: 200 procedural images (or, with --photos, crops of
the held-out photos) with fixed seeded masks.

    python -m genart.metrics.inpaint_quality --models inpaint-art tension harmonic biharmonic telea navier-stokes mean-fill [--photos]

PSNR and SSIM are computed over the hole's pixels only (the rest is pasted back unchanged by every method).
"""
import argparse
import json
import time

import cv2
import numpy as np
from PIL import Image

from ..data.datasets import art_dataset
from ..data.masks import free_form_mask
from ..data.photos import photo_crops_of, read_split
from ..data.procedural import CLASSES
from ..pipelines.inpaint import InpaintSettings, inpaint

HELD_OUT_SEEDS = 500_000  # images and masks; no training set uses these


def held_out(n: int = 200, size: int = 128, photos: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """-> images (n, size, size, 3) uint8 and masks (n, size, size) bool. The images are procedural art, all six
    classes in turn, or with `photos` random crops of the held-out photos (no training crop came from them)."""
    masks = np.stack([free_form_mask(HELD_OUT_SEEDS + i, size) for i in range(n)])
    if photos:
        return photo_crops_of(read_split(held_out=True), n, size, HELD_OUT_SEEDS), masks
    images, _ = art_dataset(-(-n // 6), size, first_seed=HELD_OUT_SEEDS)
    order = np.arange(len(images)).reshape(6, -1).T.reshape(-1)[:n]  # interleave the classes
    return images[order], masks


def psnr(a: np.ndarray, b: np.ndarray, where: np.ndarray) -> float:
    mse = ((a.astype(np.float64) - b.astype(np.float64)) ** 2)[where].mean()
    return float(10 * np.log10(255.0 ** 2 / max(mse, 1e-10)))


def ssim_map(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(H, W) SSIM (Wang et al. 2004; Gaussian window, sigma 1.5) averaged over the colour channels."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(x):
        return cv2.GaussianBlur(x, (11, 11), 1.5)

    mu_a, mu_b = blur(a), blur(b)
    var_a, var_b, cov = blur(a * a) - mu_a ** 2, blur(b * b) - mu_b ** 2, blur(a * b) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (var_a + var_b + c2))
    return s.mean(-1)


def measure(models: list[str], n: int = 200, photos: bool = False) -> list[dict]:
    images, masks = held_out(n, photos=photos)
    rows = []
    for model in models:
        start = time.time()
        scores = []
        for image, mask in zip(images, masks):
            art, _ = inpaint(model, Image.fromarray(image), mask, InpaintSettings(feather=0, crop=False))
            out = np.asarray(art.image)
            scores.append((psnr(out, image, mask), float(ssim_map(out, image)[mask].mean())))
        p, s = np.array(scores).T
        row = {"model": model, "images": n, "psnr_hole": round(float(p.mean()), 2),
               "ssim_hole": round(float(s.mean()), 4), "seconds": round(time.time() - start, 1)}
        if not photos:
            classes = np.arange(n) % len(CLASSES)  # held_out interleaves them
            row["psnr_hole_per_class"] = {c: round(float(p[classes == k].mean()), 2) for k, c in enumerate(CLASSES)}
        rows.append(row)
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+",
                   default=["inpaint-art", "tension", "harmonic", "biharmonic", "telea", "navier-stokes", "mean-fill"])
    p.add_argument("--images", type=int, default=200)
    p.add_argument("--photos", action="store_true", help="crops of the held-out photos instead of procedural art")
    args = p.parse_args(argv)
    print(json.dumps(measure(args.models, args.images, args.photos), indent=2))


if __name__ == "__main__":
    main()
