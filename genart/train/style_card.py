"""The model card (README.md) of a fast style network trained by fast_style.py: its training log, and the network
measured beside gatys-random on held-out photos (metrics/style_quality.py), with a picture grid.

    python -m genart.train.style_card --out weights/fast-stained-glass

The trainer writes the card without the photo measurement; this measures (Gatys at 512 px takes minutes a photo on a
CPU) and writes quality.json, photos.jpg and the card again. --reuse rewrites the card from quality.json.
--keep-reference measures the network and keeps gatys-random's figures from quality.json when they were measured
with the same style image on the same photos or the first of them (Gatys then runs only on the grid's photos and on
the photos added since): for comparing retrained networks of one style, and for measuring on more photos.
"""
import argparse
import json
from pathlib import Path

from PIL import Image

from genart.checkpoint_io import training_runs
from genart.hub import sha256_file
from genart.metrics.style_quality import LOSS_NETWORK, SIZE, held_out_photos, measure, picture_grid
from genart.train.card import continued_from, training_section, write_card

QUALITY_FILE, GRID_FILE, SAMPLES_FILE = "quality.json", "photos.jpg", "samples.jpg"
GRID_PHOTOS = 4  # rows of the picture grid
STRUCTURE_GOAL, STYLE_GOAL = 0.9, 1.5  # of gatys-random's edge SSIM (at least), of its Gram distance (at most)


def measured_section(name: str, quality: dict) -> str:
    fast, ref = (next(r for r in quality["rows"] if r["model"] == m) for m in (name, LOSS_NETWORK))
    structure, style = fast["edge_ssim"] / ref["edge_ssim"], fast["gram_distance"] / ref["gram_distance"]
    verdict = [f"structure kept: {structure:.2f} of Gatys's (goal at least {STRUCTURE_GOAL}), "
               f"{'met' if structure >= STRUCTURE_GOAL else 'missed'}",
               f"Gram distance: {style:.2f}x Gatys's (goal at most {STYLE_GOAL}x), "
               f"{'met' if style <= STYLE_GOAL else 'missed'}"]
    rows = "\n".join(f"| {r['model']} | {r['edge_ssim']:.3f} | {r['gram_distance']:.4f} |" for r in (fast, ref))
    photos = ", ".join(quality["photos"])
    return f"""## Measured on held-out photos

{len(quality["photos"])} photos no training crop came from ({photos}), each scaled to {quality["size"]} px on its longest side
and stylised through the Style tab's pipeline at its defaults (Gatys: 200 steps, content 1, style 10, total
variation 1), with this network's `style.png` as Gatys's style image. `python -m genart.train.style_card --out
weights/{name}` measures it again. Structure kept is the SSIM between the luminance edge maps (Sobel magnitude) of
the photo and of the output; the Gram distance is the style loss's relative Gram error to `style.png`, averaged over
{LOSS_NETWORK}'s four levels (the features the network was trained with).

| method | structure kept (edge-map SSIM, higher) | Gram distance to the style (lower) |
|---|---|---|
{rows}

Against gatys-random: {verdict[0]}; {verdict[1]}.

![a row per held-out photo: the photo, the style, {name}, gatys-random]({GRID_FILE})
"""


def model_card(name: str, run: dict, config: dict, size_mb: float, quality: dict | None, runs_before: list[dict]) -> str:
    s, log = run["summary"], run["log"]
    first, last = log[0], log[-1]
    training = training_section(run, [*continued_from(runs_before, lambda summary: f" at {summary['size']} px"),
        f"- **Content**: {s['content_photo_crops']:,} random crops (scales, flips) of genart's training photos "
        f"(`genart/data/photos.py`: scikit-image's, scikit-learn's, gradio's and Debian's mate-backgrounds, the "
        f"held-out photos excluded) and {s['content_art']:,} procedural-art images of all six classes, "
        f"{s['size']}x{s['size']}.",
        "- **Losses**: Gatys et al.'s content loss (at the levels "
        f"{s['content_layers']}), style loss (Gram matrices) and total variation, each relative to its\n  target's "
        f"size, measured by `{s['features']}`: a fixed-seed random multi-scale convolutional network, because no\n  "
        "ImageNet VGG can be downloaded where this was trained. Random features capture colour and texture well and "
        "the\n  larger shapes of a style less well than VGG-19 would.",
        f"- **Optimisation**: Adam, lr {s['lr']:g}, batch {s['batch_size']}, {s['steps']:,} steps."])
    measured = measured_section(name, quality) if quality else (
        f"Not yet measured on photos: run `python -m genart.train.style_card --out weights/{name}`.\n")
    return f"""# {name}

A fast style-transfer network (Johnson et al. 2016, "Perceptual Losses for Real-Time Style Transfer and
Super-Resolution") that repaints any image in the style of `style.png`, a piece of genart's procedural
{s["style"]}. Layout of pytorch/examples fast_neural_style (`conv1..3`, `in1..5`, `res1..5`, `deconv1..3`) at
{s["parameters"] / 1e6:.2f} M parameters (first-layer width {config.get("width", 32)}; the example's is 32), float16
safetensors ({size_mb:.1f} MB). Pixels in and out are in [0, 255], as in that example.

```bash
python -m genart stylize --method {name} --content photo.jpg --out stylized.png
```

![top: the style, then held-out photos and art of each class; bottom: the network's output]({SAMPLES_FILE})

{training}
## Training batches

| step | content loss | style loss | total variation |
|---|---|---|---|
| {first["step"]} | {first["content"]:.4f} | {first["style"]:.4f} | {first["tv"]:.4f} |
| {last["step"]} | {last["content"]:.4f} | {last["style"]:.4f} | {last["tv"]:.4f} |

{measured}
## Limits

Trained on {s["size"]} px crops: its strokes are a fixed size in pixels, so on images much larger they look small and
on images much smaller they hide the subject (so the Style tab enlarges a small photo to its size, 512 px by default).
With random features as the loss network it keeps a photo's shapes but paints them in a few tones of the style
rather than all its colours, where Gatys's optimisation takes more of them (the Gram distance above, and the grid).
"""


def write_style_card(name: str, folder: Path, quality: dict | None = None):
    """The card of the folder's last run, naming the runs it continued from."""
    size_mb = (folder / "model.safetensors").stat().st_size / 1e6
    config = json.loads((folder / "config.json").read_text())
    *runs_before, run = training_runs(folder)
    write_card(folder, ["style-transfer", "fast-neural-style"], "image-to-image",
               model_card(name, run, config, size_mb, quality, runs_before))


def kept_reference(folder: Path, photo_names: list[str], style_sha256: str) -> tuple[dict, list[str]]:
    """gatys-random's row of the folder's quality.json, if it was measured with this style image on the first of these
    photos, and the photos it was not measured on."""
    path = folder / QUALITY_FILE
    old = json.loads(path.read_text()) if path.exists() else {}
    kept = old.get("photos", [])
    if old.get("style_sha256") != style_sha256 or old.get("size") != SIZE or not kept or photo_names[:len(kept)] != kept:
        raise SystemExit(f"{path} was not measured with this style.png on these photos; measure without --keep-reference.")
    reference = next(r for r in old["rows"] if r["model"] == LOSS_NETWORK)
    if "per_photo_edge_ssim" not in reference:  # nothing to check a rerun against
        raise SystemExit(f"{path} has no per-photo figures of {LOSS_NETWORK}; measure without --keep-reference.")
    return reference, photo_names[len(kept):]


def check_reproduced(kept: dict, again: dict, photo_names: list[str], relative: float = 5e-3):
    """Refuses to keep figures that Gatys, run again on the first photos, does not give back. Run again on this
    machine, its per-photo figures moved by up to 0.14% (its 200 steps amplify rounding), hence the tolerance."""
    for key in ("per_photo_edge_ssim", "per_photo_gram_distance"):
        for name, a, b in zip(photo_names, kept.get(key, []), again[key]):
            if abs(a - b) > relative * abs(a) + 1e-6:
                raise SystemExit(f"gatys-random measured again on {name} differs from {QUALITY_FILE} ({key.removeprefix('per_photo_')} "
                                 f"{b:.6g} against {a:.6g}); measure without --keep-reference.")


def with_more_photos(row: dict, more: dict) -> dict:
    """A row measured on some photos joined with the same model's row on more photos: the means weighted by their
    photo counts, the per-photo lists joined where both rows have them, seconds the photo-weighted mean of the two."""
    n, m = len(row["per_photo_edge_ssim"]), len(more["per_photo_edge_ssim"])
    joined = {key: (row[key] * n + more[key] * m) / (n + m) for key in ("edge_ssim", "gram_distance", "seconds")}
    lists = {key: row[key] + more[key] for key in ("per_photo_edge_ssim", "per_photo_gram_distance") if key in row}
    return {"model": row["model"], **joined, **lists}


def measure_folder(folder: Path, n_photos: int | None, keep_reference: bool = False) -> dict:
    """Measure the registry's model of this folder's name beside gatys-random on the first `n_photos` held-out photos
    (all when None); writes the picture grid too. With `keep_reference`, gatys-random's figures come from quality.json
    for the photos it has, and Gatys runs only on the grid's photos and the photos quality.json lacks."""
    with Image.open(folder / "style.png") as im:
        style = im.convert("RGB")
    style_sha256 = sha256_file(folder / "style.png")
    photos = held_out_photos()[:n_photos]
    names = [n for n, _ in photos]
    if keep_reference:
        reference, missing = kept_reference(folder, names, style_sha256)
        rows, outputs = measure([folder.name], style, photos)
        grid_rows, grid_outputs = measure([LOSS_NETWORK], style, photos[:GRID_PHOTOS])
        check_reproduced(reference, grid_rows[0], names)
        outputs |= grid_outputs
        if missing:
            reference = with_more_photos(reference, measure([LOSS_NETWORK], style, photos[len(names) - len(missing):])[0][0])
        rows.append(reference)
    else:
        rows, outputs = measure([folder.name, LOSS_NETWORK], style, photos)
    picture_grid(photos[:GRID_PHOTOS], style, outputs).save(folder / GRID_FILE, quality=85)
    return {"size": SIZE, "photos": names, "style_sha256": style_sha256, "rows": rows}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="the folder of the model the registry loads under its name")
    p.add_argument("--photos", type=int, default=None, help="only the first N held-out photos (Gatys is slow)")
    p.add_argument("--reuse", action="store_true", help=f"write the card from the folder's {QUALITY_FILE}, measuring nothing")
    p.add_argument("--keep-reference", action="store_true",
                   help=f"keep gatys-random's figures from {QUALITY_FILE}; Gatys runs only on photos it lacks")
    args = p.parse_args(argv)
    folder = Path(args.out)
    if args.reuse:
        quality = json.loads((folder / QUALITY_FILE).read_text())
    else:
        quality = measure_folder(folder, args.photos, args.keep_reference)
        (folder / QUALITY_FILE).write_text(json.dumps(quality, indent=1) + "\n")
    write_style_card(folder.name, folder, quality)
    print(measured_section(folder.name, quality))


if __name__ == "__main__":
    main()
