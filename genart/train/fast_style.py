"""Train a fast style network (Johnson et al. 2016) for one style image, on procedural art as content.

    python -m genart.train.fast_style --style-class stained_glass --out weights/fast-stained-glass

The perceptual losses are the Gatys losses of pipelines/style.py (relative content and Gram errors plus total
variation), measured by the offline random-feature network by default or by VGG-19 when it is cached (--features).
Writes config.json + model.safetensors + the style image + samples + a training log + a model card.
"""
from pathlib import Path

import torch
from PIL import Image

from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import art_dataset
from genart.data.procedural import CLASSES, render
from genart.models.transformer_net import TransformerNet, TransformerNetConfig
from genart.pipelines.gatys import FEATURES, gram, style_losses
from genart.pipelines.images import to_image, to_tensor
from genart.registry import get_spec
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, write_run
from genart.train.style_card import write_style_card

CONTENT_SEEDS = 50_000  # content images: procedural art from these seeds, apart from every other training set
SAMPLE_SEEDS = 90_000


def sample_sheet(net: TransformerNet, style: Image.Image, device, size: int) -> Image.Image:
    """Style image, then content / stylised pairs for one held-out image of each class."""
    contents = [render(c, SAMPLE_SEEDS, size) for c in CLASSES]
    sheet = Image.new("RGB", (size * (1 + len(contents)), size * 2), "white")
    sheet.paste(style.resize((size, size)), (0, 0))
    with torch.no_grad():
        for i, content in enumerate(contents, start=1):
            out = net(to_tensor(content).to(device) * 255) / 255
            sheet.paste(content, (i * size, 0))
            sheet.paste(to_image(out.cpu()), (i * size, size))
    return sheet


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    style = render(args.style_class, args.style_seed, args.style_size)
    images, _ = art_dataset(args.per_class, args.size, first_seed=CONTENT_SEEDS)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # (N, 3, size, size) uint8
    spec = get_spec(args.features, task="style")
    features, _ = FEATURES[spec.arch](spec, None)
    features = features.to(device)
    layers = features.config
    with torch.no_grad():
        style_targets = {n: gram(features(to_tensor(style).to(device), (n,))[n]) for n in layers.style_layers}
    config = TransformerNetConfig(style=f"{args.style_class} (procedural art, seed {args.style_seed})")
    net = TransformerNet(config).to(device).train()
    opt = torch.optim.Adam(net.parameters(), args.lr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x = data[torch.randint(len(data), (args.batch_size,))].to(device).float() / 255  # (B, 3, S, S) in [0, 1]
        with torch.no_grad():
            content_targets = features(x, tuple(layers.content_layers))
        y = net(x * 255) / 255
        losses = style_losses(features, y, content_targets, style_targets)
        loss = args.content_weight * losses["content"] + args.style_weight * losses["style"] + args.tv_weight * losses["tv"]
        optimise(opt, loss)
        if log.due(step):
            log.add(step, **{k: v.item() for k, v in losses.items()})
            net.eval()
            sample_sheet(net, style, device, args.size * 2).save(out / "samples.png")  # to watch it learn
            net.train()
    net.eval()
    save_hub_folder(net, config, out, dtype=torch.float16)  # half the size; runs in float32 on a CPU
    style.save(out / "style.png")
    summary = {"style": config.style, "size": args.size, "content_images": len(data), "features": args.features}
    run = write_run(out, "genart.train.fast_style", args, log, device, summary)
    write_style_card(out.name, run, out)


def arguments(p):
    p.add_argument("--style-class", choices=CLASSES, default="stained_glass")
    p.add_argument("--style-seed", type=int, default=7)
    p.add_argument("--style-size", type=int, default=256)
    p.add_argument("--out", default="weights/fast-stained-glass")
    p.add_argument("--features", default="gatys-random", help="the style model whose features measure the losses")
    p.add_argument("--steps", type=int, default=1500)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--size", type=int, default=128, help="content crops are this many pixels square")
    p.add_argument("--per-class", type=int, default=300)
    p.add_argument("--content-weight", type=float, default=1.0)
    p.add_argument("--style-weight", type=float, default=10.0)
    p.add_argument("--tv-weight", type=float, default=1.0)
    p.add_argument("--lr", type=float, default=1e-3)


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
