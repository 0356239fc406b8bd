"""Train genart's inpainting network on photos and procedural art with free-form holes; write a Hub-format folder.

    python -m genart.train.inpaint --out weights/inpaint-art

--init-from continues from a folder this trainer wrote (its training log is carried on).
L1 loss (or squared error, --loss mse), six times heavier inside the hole than outside (Liu et al. 2018 weigh
theirs the same way); or --loss psnr, minus each image's PSNR in the hole, which is what the quality measure
averages. The shipped weights are an exponential moving average of the trained ones.
"""
import copy
from pathlib import Path

import numpy as np
import torch

from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import art_dataset
from genart.data.masks import free_form_mask
from genart.data.photos import photo_crops_of, photos_and_art, read_split
from genart.models.inpaint_net import SMOOTH_FILLS, InpaintNet, InpaintNetConfig
from genart.runtime import pick_device
from genart.train.common import TrainingLog, ema_update, optimise, run_main, start_from, write_run

TRAIN_SEEDS = 400_000  # procedural art for training, apart from the measuring set
VALIDATION_SEEDS = 450_000  # watched during training; the measuring set (genart.metrics.inpaint_quality) is not
VALIDATION_PHOTOS = 30  # crops of held-out photos, after 10 art images of each class
HOLE_WEIGHT = 6.0
PSNR_FLOOR = 1e-6  # squared error in [0, 1] units below which the psnr loss stops pushing (about 8 bit rounding)


def weighted_hole_loss(penalty: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """penalty (B, 3, S, S) per pixel and channel, m (B, 1, S, S) -> scalar, the hole weighing HOLE_WEIGHT times more."""
    return (HOLE_WEIGHT * penalty * m).mean() + (penalty * (1 - m)).mean()


def hole_mse(error: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """error (B, 3, S, S), m (B, 1, S, S) -> (B,) each image's mean squared error in its hole."""
    return ((error ** 2) * m).sum((1, 2, 3)) / (3 * m.sum((1, 2, 3))).clamp_min(1)


def negative_psnr(error: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """-> minus the mean over images of the PSNR (dB) in the hole. Per image, as the measure takes it, so a smooth
    sky's small error counts as much as a busy crop's large one."""
    return 10 * torch.log10(hole_mse(error, m) + PSNR_FLOOR).mean()


LOSSES = {  # (error, mask) -> scalar
    "l1": lambda error, m: weighted_hole_loss(error.abs(), m),
    "mse": lambda error, m: weighted_hole_loss(error.square(), m),
    "psnr": negative_psnr,
}


def mask_bank(n: int, size: int, first_seed: int) -> torch.Tensor:
    """(n, 1, size, size) float masks, 1 in the hole."""
    return torch.from_numpy(np.stack([free_form_mask(first_seed + i, size) for i in range(n)])).float()[:, None]


def validation_images(size: int) -> np.ndarray:
    """uint8 (90, size, size, 3): 10 images of each art class, then 30 crops of held-out photos (the measuring set
    draws other crops of them, with other masks)."""
    art, _ = art_dataset(10, size, first_seed=VALIDATION_SEEDS)
    photos = photo_crops_of(read_split(held_out=True), VALIDATION_PHOTOS, size, seed=VALIDATION_SEEDS)
    return np.concatenate([art, photos])


@torch.no_grad()
def hole_psnr(net: InpaintNet, images: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """(N,) PSNR (dB) over each image's hole, as genart.metrics.inpaint_quality measures it."""
    scores = []
    for x, m in zip(images.split(20), masks.split(20)):
        out = (net(x, m) * 255).round() / 255  # (B, 3, S, S), in 8 bit steps as a saved image
        scores.append(-10 * torch.log10(hole_mse(out - x, m).clamp_min(1e-15)))
    return torch.cat(scores)


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    images = photos_and_art(args.photo_crops, args.per_class, args.size, TRAIN_SEEDS, args.seed)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # (N, 3, S, S) uint8
    masks = mask_bank(args.masks, args.size, first_seed=TRAIN_SEEDS)
    val_images = validation_images(args.size)
    val_x = (torch.from_numpy(val_images).permute(0, 3, 1, 2).float() / 255).to(device)  # (90, 3, S, S)
    val_m = mask_bank(len(val_x), args.size, first_seed=VALIDATION_SEEDS).to(device)  # (90, 1, S, S)
    if args.init_from:
        config, net = start_from(args.init_from, InpaintNetConfig, InpaintNet, smooth_fill=args.smooth_fill)
    else:
        config = InpaintNetConfig(width=args.width, smooth_fill=args.smooth_fill)
        net = InpaintNet(config)
    net = net.to(device).train()
    ema = copy.deepcopy(net).eval()
    opt = torch.optim.AdamW(net.parameters(), args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.steps, pct_start=0.05)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x = data[torch.randint(len(data), (args.batch_size,))].to(device).float() / 255  # (B, 3, S, S)
        x = torch.where(torch.rand(args.batch_size, 1, 1, 1, device=device) < 0.5, x, x.flip(3))
        m = masks[torch.randint(len(masks), (args.batch_size,))].to(device)  # (B, 1, S, S)
        out = net(x, m)
        error = out - x
        loss = LOSSES[args.loss](error, m)
        optimise(opt, loss, schedule=schedule)
        ema_update(ema, net, min(args.ema, (1 + step) / (10 + step)))  # short memory early, while weights move fast
        if log.due(step):
            hole_l1 = ((error.abs() * m).sum() / (3 * m.sum())).item()  # per channel and pixel
            ema_scores = hole_psnr(ema, val_x, val_m)  # (90,): art, then photos
            log.add(step, loss=loss.item(), hole_l1=hole_l1,
                    val_psnr_hole=hole_psnr(net.eval(), val_x, val_m).mean().item(),
                    val_psnr_hole_ema=ema_scores.mean().item(),
                    val_psnr_hole_ema_photos=ema_scores[-VALIDATION_PHOTOS:].mean().item())
            net.train()
    out = Path(args.out)
    save_hub_folder(ema, config, out, dtype=torch.float16)
    summary = {"size": args.size, "train_images": len(data), "photo_crops": args.photo_crops, "masks": args.masks,
               "smooth_fill": config.smooth_fill,
               "parameters": sum(p.numel() for p in net.parameters())}
    write_run(out, "genart.train.inpaint", args, log, device, summary, continues=args.init_from)


def arguments(p):
    p.add_argument("--out", default="weights/inpaint-art")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--per-class", type=int, default=500)
    p.add_argument("--photo-crops", type=int, default=3000, help="crops of the training photos, beside the art")
    p.add_argument("--init-from", default=None, help="a folder this trainer wrote, to train further")
    p.add_argument("--smooth-fill", choices=SMOOTH_FILLS, default="biharmonic", help="the network's first candidate")
    p.add_argument("--masks", type=int, default=2000, help="distinct free-form masks to draw from")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--loss", choices=LOSSES, default="l1",
                   help="l1: sharper edges; mse: squared error over all pixels; psnr: each image's PSNR in the hole")
    p.add_argument("--ema", type=float, default=0.999)


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
