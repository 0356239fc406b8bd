"""The model card (README.md) of a fast style network trained by fast_style.py, written from its training log."""
from pathlib import Path

from genart.train.card import training_section, write_card


def model_card(name: str, run: dict, size_mb: float, seen: str = "") -> str:
    """`seen`: what looking at the samples showed, in a sentence or two, for the Limits section."""
    s, log = run["summary"], run["log"]
    first, last = log[0], log[-1]
    training = training_section(run, [
        f"- **Content**: {s['content_images']:,} procedural-art images, {s['size']}x{s['size']}, all six classes (seeds "
        "from 50,000).",
        "- **Losses**: Gatys et al.'s content loss, style loss (Gram matrices) and total variation, each relative to "
        f"its\n  target's size, measured by `{s['features']}`: a fixed-seed random multi-scale convolutional network, "
        "because no\n  ImageNet VGG can be downloaded where this was trained. Random features capture colour and "
        "texture well and the\n  larger shapes of a style less well than VGG-19 would.",
        f"- **Optimisation**: Adam, lr 1e-3, batch {s['batch_size']}, {s['steps']:,} steps."])
    return f"""# {name}

A fast style-transfer network (Johnson et al. 2016, "Perceptual Losses for Real-Time Style Transfer and
Super-Resolution") that repaints any image in the style of `style.png`, a piece of genart's procedural
{s["style"]}. Layout of pytorch/examples fast_neural_style (`conv1..3`, `in1..5`, `res1..5`, `deconv1..3`), 1.68 M
parameters, float16 safetensors ({size_mb:.1f} MB). Pixels in and out are in [0, 255], as in that example.

```bash
python -m genart stylize --method {name} --content photo.jpg --out stylized.png
```

![top: the style, then held-out content of each class; bottom: the network's output](samples.png)

{training}
## Measured (training batches)

| step | content loss | style loss | total variation |
|---|---|---|---|
| {first["step"]} | {first["content"]:.4f} | {first["style"]:.4f} | {first["tv"]:.4f} |
| {last["step"]} | {last["content"]:.4f} | {last["style"]:.4f} | {last["tv"]:.4f} |

## Limits

Trained on 128 px procedural images: at 512 px and above the strokes it learned look smaller relative to the image.
{seen}
"""


def write_style_card(name: str, run: dict, folder: Path, seen: str = ""):
    size_mb = (folder / "model.safetensors").stat().st_size / 1e6
    write_card(folder, ["style-transfer", "fast-neural-style"], "image-to-image", model_card(name, run, size_mb, seen))
