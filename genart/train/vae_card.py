"""The model card (README.md) of vae-art-64: the VAE measured beside dcgan-art-64 with the same instruments, and its
reconstructions of held-out art, written from the figures this run measures.

    python -m genart.train.vae_card --out weights/vae-art-64

The generated sets and real sets are gan_quality's (the art classifier's features: class agreement, Fréchet distance,
precision and recall per class); reconstruction is measured on held-out art no training or measuring set draws from.
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
from PIL import Image

from genart.checkpoint_io import last_run
from genart.data.datasets import art_dataset
from genart.data.procedural import CLASSES
from genart.metrics.gan_quality import measure
from genart.metrics.inpaint_quality import HELD_OUT_SEEDS
from genart.pipelines.encode import encode
from genart.train.card import training_section, write_card

VAE, GAN = "vae-art-64", "dcgan-art-64"


def reconstruction_figures(model: str, per_class: int) -> dict:
    """Mean reconstruction PSNR (dB) per class and overall, and how often the nearest class is the true one."""
    images, labels = art_dataset(per_class, 64, first_seed=HELD_OUT_SEEDS)
    psnr, right = [], []
    for image, label in zip(images, labels):
        art, _ = encode(model, Image.fromarray(image))
        psnr.append(art.record["psnr"])
        right.append(art.record["nearest_class"] == CLASSES[label])
    psnr, right = np.array(psnr), np.array(right)
    return {"images": len(images), "psnr": round(float(psnr.mean()), 2),
            "psnr_per_class": {c: round(float(psnr[labels == k].mean()), 2) for k, c in enumerate(CLASSES)},
            "nearest_class_right": round(float(right.mean()), 4)}


def row(name: str, figure, vae: dict, gan: dict, fmt: str = "{:.3f}") -> str:
    return f"| {name} | {fmt.format(figure(vae))} | {fmt.format(figure(gan))} |"


def model_card(run: dict, vae: dict, gan: dict, rec: dict, images: int) -> str:
    s = run["summary"]
    table = "\n".join([
        "| figure | vae-art-64 (temperature 1.0) | dcgan-art-64 (truncation 2.0) |", "|---|---|---|",
        row("class agreement (higher is better)", lambda r: r["class_agreement"], vae, gan, "{:.1%}"),
        row("Fréchet distance to real art (lower)", lambda r: r["frechet_generated_vs_real"], vae, gan, "{:.2f}"),
        row("precision: samples among real art (higher)", lambda r: r["precision"], vae, gan),
        row("recall: real variety covered (higher)", lambda r: r["recall"], vae, gan),
        *(row(f"recall, {c}", lambda r, c=c: r["recall_per_class"][c], vae, gan) for c in CLASSES),
        *(row(f"class agreement, {c}", lambda r, c=c: r["class_agreement_per_class"][c], vae, gan, "{:.1%}")
          for c in CLASSES)])
    per_class = "\n".join(f"| {c} | {v:.1f} |" for c, v in rec["psnr_per_class"].items())
    overall = (("precision", "precision", 1), ("recall", "recall", 1),
               ("Fréchet distance", "frechet_generated_vs_real", -1), ("class agreement", "class_agreement", 1))
    better = [name for name, key, sign in overall if sign * (vae[key] - gan[key]) > 0]
    worse = [name for name, _, _ in overall if name not in better]
    better += [f"recall on {c}" for c in CLASSES if vae["recall_per_class"][c] > gan["recall_per_class"][c]]
    training = training_section(run, [
        f"- **Data**: {s['train_images']:,} procedural images at 64x64 (the DCGAN's training set), flipped left-right "
        "at random.",
        "- **Loss**: the negative ELBO with a Gaussian likelihood of fixed pixel deviation, the KL weight warmed up\n"
        f"  from 0; AdamW, one-cycle schedule, batch {s['batch_size']}, {s['steps']:,} steps."])
    return f"""# vae-art-64

A class-conditional convolutional VAE (Kingma & Welling 2014) of {s["parameters"] / 1e6:.2f} M parameters trained
here on genart's six classes of procedural art at 64x64: an encoder to a 64-dimensional Gaussian latent that does not
see the class, and a decoder that takes the latent and a class. Sampling draws the latent from the prior (times a
temperature); the encoder takes your own image into the latent space, so it can be reconstructed and walked between.
Stored as a PyTorchModelHubMixin folder (`model_type` genart-vae) in float16 safetensors, measured as shipped.

```bash
python -m genart generate --model vae-art-64 --label mandala --seed 1 --n 8
python -m genart encode --model vae-art-64 --image IN.png --out OUT.png
python -m genart interpolate --model vae-art-64 --image-a A.png --image-b B.png --frames 24 --out walk.webp
```

![samples: a row per class](samples.png)

{training}
## Measured beside dcgan-art-64

{images:,} samples per model, the classes equal, measured with `genart.metrics.gan_quality` (the art classifier's
features, real sets from seeds no training used):

{table}

Where the VAE is better: {", ".join(better) or "nowhere"}; where the DCGAN is: {", ".join(worse) or "nowhere"}
overall. As expected of a VAE, its samples are blurrier than the GAN's (it averages over what the latent does not pin
down): sharp edges (stained glass's leading, geometric's lines, flow fields' strokes) come out as soft blobs, which the
classifier's features see as far from real art, and so as low precision and recall in those classes. The figures
compare within this table: the classifier is trained at its first use on a machine (then cached), so its feature
space, and with it every distance, differs from the one behind dcgan-art-64's own card.

**Reconstruction** of {rec["images"]} held-out images (procedural seeds from {HELD_OUT_SEEDS:,}, never trained on),
through the posterior's mean and the nearest class: PSNR {rec["psnr"]:.2f} dB on average, and the nearest class is the
true one for {rec["nearest_class_right"]:.1%}. Sharp-edged classes lose the most:

| class | reconstruction PSNR (dB) |
|---|---|
{per_class}

Re-measure with `python -m genart.train.vae_card --out weights/vae-art-64`.
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=f"weights/{VAE}", help="the folder of the model the registry loads as vae-art-64")
    p.add_argument("--images", type=int, default=1000, help="generated images per model")
    p.add_argument("--per-class", type=int, default=34, help="held-out images per class for reconstruction")
    p.add_argument("--reuse", action="store_true", help="write the card from the folder's quality.json, measuring nothing")
    args = p.parse_args(argv)
    start, out = time.time(), Path(args.out)
    if args.reuse:
        figures = json.loads((out / "quality.json").read_text())
        vae, gan, rec = figures["vae"], figures["dcgan"], figures["reconstruction"]
    else:
        vae, = measure(VAE, args.images, [1.0])
        gan, = measure(GAN, args.images, [2.0])
        rec = reconstruction_figures(VAE, args.per_class)
        (out / "quality.json").write_text(json.dumps({"vae": vae, "dcgan": gan, "reconstruction": rec}, indent=1) + "\n")
    write_card(out, ["image-generation", "vae"], "unconditional-image-generation",
               model_card(last_run(out), vae, gan, rec, vae["generated_images"]))
    print(json.dumps(rec), f"{time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
