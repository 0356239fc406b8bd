"""Restoration quality on the held-out inpainting set (procedural art, or with --photos crops of the held-out
photos): PSNR of the damaged input and of each method.

    python -m genart.metrics.restore_quality [--photos]

Gaussian noise at sigma 15, 25 and 50 (the methods are told the true sigma); salt-and-pepper at 10% and 30%.
"""
import argparse
import json

import numpy as np
from PIL import Image

from ..data.damage import gaussian_noise, salt_and_pepper
from ..pipelines.images import psnr
from ..pipelines.restore import RestoreSettings, restore
from .inpaint_quality import HELD_OUT_SEEDS, held_out

GAUSSIAN = (15, 25, 50)
IMPULSE = (0.10, 0.30)
GAUSSIAN_METHODS = ("denoise-art", "gaussian-filter", "bilateral-filter")
IMPULSE_METHODS = ("impulse-inpaint", "median-filter")


def table(n: int, photos: bool = False) -> list[dict]:
    images, _ = held_out(n, photos=photos)
    damages = [(f"gaussian sigma {s}", s, lambda x, i, s=s: gaussian_noise(x, s, HELD_OUT_SEEDS + i), GAUSSIAN_METHODS)
               for s in GAUSSIAN]
    damages += [(f"salt and pepper {p:.0%}", 25, lambda x, i, p=p: salt_and_pepper(x, p, HELD_OUT_SEEDS + i),
                 IMPULSE_METHODS) for p in IMPULSE]
    rows = []
    for name, sigma, damage, methods in damages:
        damaged = [damage(x, i) for i, x in enumerate(images)]
        row = {"damage": name, "damaged input": round(np.mean([psnr(d, x) for d, x in zip(damaged, images)]), 2)}
        for method in methods:
            scores = [psnr(np.asarray(restore(method, Image.fromarray(d), RestoreSettings(sigma))[0].image), x)
                      for d, x in zip(damaged, images)]
            row[method] = round(float(np.mean(scores)), 2)
        rows.append(row)
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--images", type=int, default=200)
    p.add_argument("--photos", action="store_true", help="crops of the held-out photos instead of procedural art")
    args = p.parse_args(argv)
    print(json.dumps(table(args.images, args.photos), indent=2))


if __name__ == "__main__":
    main()
