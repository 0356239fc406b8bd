"""Train the denoiser on photos and procedural art with Gaussian noise of random strength; write a Hub-format folder.

    python -m genart.train.denoise --out weights/denoise-art

Each training crop gets a noise level drawn uniformly from 0 to 55 (0-255 units), given to the network as a map.
--init-from continues from a folder this trainer wrote (its training log is carried on).
"""
from pathlib import Path

import torch
import torch.nn.functional as F

from genart.checkpoint_io import save_hub_folder
from genart.data.photos import photos_and_art
from genart.models.dncnn import DnCNN, DnCNNConfig
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, start_from, write_run

TRAIN_SEEDS = 600_000
MAX_SIGMA = 55.0


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    images = photos_and_art(args.photo_crops, args.per_class, args.size, TRAIN_SEEDS, args.seed)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # (N, 3, S, S) uint8
    if args.init_from:
        config, net = start_from(args.init_from, DnCNNConfig, DnCNN)
    else:
        config = DnCNNConfig(width=args.width, depth=args.depth)
        net = DnCNN(config)
    net = net.to(device).train()
    opt = torch.optim.Adam(net.parameters(), args.lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, args.steps)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x = data[torch.randint(len(data), (args.batch_size,))].to(device).float() / 255  # (B, 3, S, S)
        x = x[..., :args.crop, :args.crop] if torch.rand(()) < 0.5 else x[..., -args.crop:, -args.crop:]
        sigma = torch.rand(args.batch_size, device=device) * MAX_SIGMA / 255  # (B,)
        # Noisy pixels are rounded to 8 bits, as a real noisy image is.
        noisy = ((x + torch.randn_like(x) * sigma.view(-1, 1, 1, 1)).clamp(0, 1) * 255).round() / 255
        loss = F.mse_loss(net(noisy, sigma), x)
        optimise(opt, loss, schedule=schedule)
        if log.due(step):
            log.add(step, mse=loss.item())
    out = Path(args.out)
    save_hub_folder(net.eval(), config, out, dtype=torch.float16)
    summary = {"crop": args.crop, "train_images": len(data), "photo_crops": args.photo_crops, "max_sigma": MAX_SIGMA,
               "parameters": sum(p.numel() for p in net.parameters())}
    write_run(out, "genart.train.denoise", args, log, device, summary, continues=args.init_from)


def arguments(p):
    p.add_argument("--out", default="weights/denoise-art")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--size", type=int, default=128, help="rendered image size")
    p.add_argument("--crop", type=int, default=64, help="training crop size")
    p.add_argument("--width", type=int, default=48)
    p.add_argument("--depth", type=int, default=10)
    p.add_argument("--per-class", type=int, default=300)
    p.add_argument("--photo-crops", type=int, default=3000, help="crops of the training photos, beside the art")
    p.add_argument("--init-from", default=None, help="a folder this trainer wrote, to train further")
    p.add_argument("--lr", type=float, default=1e-3)


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
