"""How much of a photo's structure a style method keeps, and how near it comes to the style, on held-out photos.

    python -m genart.metrics.style_quality --models fast-stained-glass gatys-random --style weights/fast-stained-glass/style.png

Structure kept: SSIM between the luminance edge maps (Sobel magnitude) of the content and of the output. Style
reached: the Gram distance to the style image in the loss network's features (gatys-random's random features, the
network the fast networks were trained with): the relative Gram error averaged over its style levels, as in the loss.
Every method runs through the Style tab's pipeline at its default settings, at 512 px.
"""
import argparse
import json
import time

import cv2
import numpy as np
import torch
from PIL import Image

from genart.data.photos import photo_split, read_photo
from genart.metrics.inpaint_quality import ssim_map
from genart.pipelines.gatys import FEATURES, gram, style_losses
from genart.pipelines.images import to_tensor
from genart.pipelines.style import StyleSettings, stylize
from genart.registry import get_spec

SIZE = 512
LOSS_NETWORK = "gatys-random"


def held_out_photos(size: int = SIZE) -> list[tuple[str, Image.Image]]:
    """The held-out photos with their longest side at `size` (small ones enlarged)."""
    out = []
    for p in photo_split(held_out=True):
        im = read_photo(p)
        scale = size / max(im.size)
        out.append((p.name, im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS)))
    return out


def luminance_edges(image: Image.Image) -> np.ndarray:
    """(H, W, 1) Sobel gradient magnitude of the luminance, in [0, 255] units of a unit step's response."""
    y = np.asarray(image.convert("L"), dtype=np.float64)
    gx, gy = cv2.Sobel(y, cv2.CV_64F, 1, 0, ksize=3), cv2.Sobel(y, cv2.CV_64F, 0, 1, ksize=3)
    return np.clip(np.hypot(gx, gy) / 4, 0, 255)[..., None]  # a step of 255 gives 4 x 255 before the division


def edge_ssim(content: Image.Image, output: Image.Image) -> float:
    output = output.resize(content.size, Image.Resampling.BILINEAR) if output.size != content.size else output
    return float(ssim_map(luminance_edges(content), luminance_edges(output)).mean())


class GramDistance:
    """The relative Gram error of an image against one style image, averaged over the loss network's style levels."""

    def __init__(self, style: Image.Image):
        spec = get_spec(LOSS_NETWORK, task="style")
        self.net, self.device = FEATURES[spec.arch](spec, None)
        layers = tuple(self.net.config.style_layers)
        with torch.no_grad():
            self.targets = {n: gram(f) for n, f in self.net(to_tensor(style).to(self.device), layers).items()}

    def __call__(self, image: Image.Image) -> float:
        with torch.no_grad():
            return style_losses(self.net, to_tensor(image).to(self.device), {}, self.targets)["style"].item()


def measure(models: list[str], style: Image.Image, photos: list[tuple[str, Image.Image]],
            settings: StyleSettings = StyleSettings()) -> tuple[list[dict], dict[str, list[Image.Image]]]:
    """-> (a row per model: mean edge SSIM, mean Gram distance, seconds per image), the outputs by model."""
    distance = GramDistance(style)
    rows, outputs = [], {}
    for model in models:
        ssims, grams, seconds, images = [], [], [], []
        for _, photo in photos:
            start = time.perf_counter()
            *_, last = stylize(model, photo, [style], settings)
            seconds.append(time.perf_counter() - start)
            images.append(last.image)
            ssims.append(edge_ssim(photo, last.image))
            grams.append(distance(last.image))
        rows.append({"model": model, "edge_ssim": float(np.mean(ssims)), "gram_distance": float(np.mean(grams)),
                     "seconds": float(np.median(seconds)), "per_photo_edge_ssim": [round(x, 4) for x in ssims],
                     "per_photo_gram_distance": [round(x, 6) for x in grams]})
        outputs[model] = images
    return rows, outputs


def picture_grid(photos: list[tuple[str, Image.Image]], style: Image.Image, outputs: dict[str, list[Image.Image]],
                 cell: int = 192) -> Image.Image:
    """A row per photo: the content, the style, then each model's output, each fitted into a `cell` square."""
    columns = 2 + len(outputs)
    grid = Image.new("RGB", (cell * columns, cell * len(photos)), "white")
    for r, (_, photo) in enumerate(photos):
        for c, im in enumerate([photo, style, *(images[r] for images in outputs.values())]):
            fitted = im.copy()
            fitted.thumbnail((cell, cell), Image.Resampling.LANCZOS)
            grid.paste(fitted, (c * cell + (cell - fitted.width) // 2, r * cell + (cell - fitted.height) // 2))
    return grid


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", nargs="+", default=["fast-stained-glass", LOSS_NETWORK])
    p.add_argument("--style", required=True, help="the style image (a fast network's style.png)")
    p.add_argument("--photos", type=int, default=None, help="only the first N held-out photos")
    args = p.parse_args(argv)
    with Image.open(args.style) as im:
        style = im.convert("RGB")
    rows, _ = measure(args.models, style, held_out_photos()[:args.photos])
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
