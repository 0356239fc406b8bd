"""Train a fast style network (Johnson et al. 2016) for one style image, on photos and procedural art as content.

    python -m genart.train.fast_style --style-class stained_glass --out weights/fast-stained-glass

The perceptual losses are the Gatys losses of pipelines/style.py (relative content and Gram errors plus total
variation), measured by the offline random-feature network by default or by VGG-19 when it is cached (--features).
The content loss is taken at the finer levels as well (--content-layers), so that a photo's edges survive.
Writes config.json + model.safetensors + the style image + samples + a training log + a model card.
--init-from continues from a folder this trainer wrote (its training log is carried on).
"""
from pathlib import Path

import torch
from PIL import Image, ImageOps

from genart.checkpoint_io import save_hub_folder
from genart.data.photos import photo_split, photos_and_art, read_photo
from genart.data.procedural import CLASSES, render
from genart.models.transformer_net import TransformerNet, TransformerNetConfig
from genart.pipelines.gatys import FEATURES, gram, style_losses
from genart.pipelines.images import to_image, to_tensor
from genart.registry import get_spec
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, start_from, write_run
from genart.train.style_card import SAMPLES_FILE, write_style_card

CONTENT_SEEDS = 50_000  # content images: procedural art from these seeds, apart from every other training set
SAMPLE_SEEDS = 90_000
SAMPLE_PHOTOS = ("lion", "cheetah", "astronaut")  # held out; the first two are the Style tab's examples
SAMPLE_SIZE = 512  # pixels of each cell of the sample sheet: the Style tab's default size, whatever the crops' size


def sample_contents(size: int) -> list[Image.Image]:
    """Held-out content: three photos (centre squares) and one image of each class."""
    photos = [ImageOps.fit(read_photo(p), (size, size)) for p in photo_split(held_out=True) if p.name in SAMPLE_PHOTOS]
    return photos + [render(c, SAMPLE_SEEDS, size) for c in CLASSES]


def sample_sheet(net: TransformerNet, style: Image.Image, device, size: int) -> Image.Image:
    """Style image, then content / stylised pairs for held-out photos and art."""
    contents = sample_contents(size)
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
    content = photos_and_art(args.photo_crops, args.per_class, args.size, CONTENT_SEEDS, args.seed)
    data = torch.from_numpy(content).permute(0, 3, 1, 2).contiguous()  # (N, 3, size, size) uint8
    spec = get_spec(args.features, task="style")
    features, _ = FEATURES[spec.arch](spec, None)
    features = features.to(device)
    layers, content_layers = features.config, tuple(args.content_layers.split(","))
    with torch.no_grad():
        style_targets = {n: gram(features(to_tensor(style).to(device), (n,))[n]) for n in layers.style_layers}
    style_name = f"{args.style_class} (procedural art, seed {args.style_seed})"
    if args.init_from:
        config, net = start_from(args.init_from, TransformerNetConfig, TransformerNet)
        if config.style != style_name:
            raise SystemExit(f"{args.init_from} was trained on {config.style}; give its --style-class and --style-seed.")
    else:
        config = TransformerNetConfig(style=style_name, width=args.width)
        net = TransformerNet(config)
    net = net.to(device).train()
    opt = torch.optim.Adam(net.parameters(), args.lr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x = data[torch.randint(len(data), (args.batch_size,))].to(device).float() / 255  # (B, 3, S, S) in [0, 1]
        with torch.no_grad():
            content_targets = features(x, content_layers)
        y = net(x * 255) / 255
        losses = style_losses(features, y, content_targets, style_targets)
        loss = args.content_weight * losses["content"] + args.style_weight * losses["style"] + args.tv_weight * losses["tv"]
        optimise(opt, loss)
        if log.due(step):
            log.add(step, **{k: v.item() for k, v in losses.items()})
            net.eval()
            # to watch it learn; kept at half size, as weights/ must stay under 40 MB
            sample_sheet(net, style, device, SAMPLE_SIZE).reduce(2).save(out / SAMPLES_FILE, quality=85)
            net.train()
    net.eval()
    save_hub_folder(net, config, out, dtype=torch.float16)  # half the size; runs in float32 on a CPU
    style.save(out / "style.png")
    summary = {"style": config.style, "size": args.size, "lr": args.lr, "content_photo_crops": args.photo_crops,
               "content_art": len(data) - args.photo_crops, "features": args.features,
               "content_layers": args.content_layers, "parameters": sum(p.numel() for p in net.parameters())}
    write_run(out, "genart.train.fast_style", args, log, device, summary, continues=args.init_from)
    write_style_card(out.name, out)


def arguments(p):
    p.add_argument("--style-class", choices=CLASSES, default="stained_glass")
    p.add_argument("--style-seed", type=int, default=7)
    p.add_argument("--style-size", type=int, default=256)
    p.add_argument("--out", default="weights/fast-stained-glass")
    p.add_argument("--init-from", default=None, help="a folder this trainer wrote, to train further (same style)")
    p.add_argument("--features", default="gatys-random", help="the style model whose features measure the losses")
    p.add_argument("--steps", type=int, default=1600)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--size", type=int, default=128, help="content crops are this many pixels square")
    p.add_argument("--per-class", type=int, default=100, help="procedural-art content images per class")
    p.add_argument("--photo-crops", type=int, default=2400, help="content crops of the training photos")
    p.add_argument("--width", type=int, default=24, help="the network's first-layer channels (32 in Johnson et al.)")
    p.add_argument("--content-layers", default="level2,level3", help="feature levels the content loss compares")
    p.add_argument("--content-weight", type=float, default=2.0)
    p.add_argument("--style-weight", type=float, default=10.0)
    p.add_argument("--tv-weight", type=float, default=1.0)
    p.add_argument("--lr", type=float, default=1e-3)


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
