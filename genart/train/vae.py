"""Train the class-conditional image VAE on procedural art and write a Hub-format folder.

    python -m genart.train.vae --out weights/vae-art-64

The loss is the negative evidence lower bound with a Gaussian likelihood of a fixed pixel deviation (--pixel-sigma,
in [-1, 1] units: smaller reconstructs sharper, larger keeps the prior's samples closer to the data), the KL term
warmed up from zero over the first steps so the decoder learns to use the latent before it is charged for it.
"""
from pathlib import Path

import torch

from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import art_dataset
from genart.data.procedural import CLASSES
from genart.models.vae import ConvVAE, VAEConfig
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, write_run
from genart.train.gan_checks import sample_grid
from genart.train.vae_losses import kl_per_unit


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """Mean PSNR in dB of images in [-1, 1] (peak-to-peak 2)."""
    mse = (a.float() - b.float()).square().mean(dim=(1, 2, 3)).clamp_min(1e-10)  # (B,)
    return float((10 * torch.log10(4 / mse)).mean())


def vae_loss(model: ConvVAE, x: torch.Tensor, y: torch.Tensor, sigma: float, kl_weight: float) -> tuple[torch.Tensor, dict]:
    """-> (the loss, its parts per image): x (B, C, 64, 64) in [-1, 1]."""
    recon, mean, logvar = model(x, y)
    nll = (recon - x).square().sum(dim=(1, 2, 3)).mean() / (2 * sigma ** 2)
    kl = kl_per_unit(mean, logvar).sum(1).mean()
    return nll + kl_weight * kl, {"nll": nll.item(), "kl": kl.item(), "psnr": psnr(recon.detach(), x)}


def batch(data: torch.Tensor, labels: torch.Tensor, size: int, device: torch.device):
    """A random batch, flipped left-right at random: (size, 3, 64, 64) in [-1, 1] and (size,)."""
    idx = torch.randint(len(data), (size,))
    x = data[idx].to(device).float() / 127.5 - 1
    flip = torch.rand(size, device=device) < 0.5
    return torch.where(flip[:, None, None, None], x.flip(3), x), labels[idx].to(device)


def train(args):
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    images, labels = art_dataset(args.per_class, 64)
    data, labels = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous(), torch.from_numpy(labels)
    config = VAEConfig(latent_dim=args.latent_dim, hidden_size=args.hidden_size, num_classes=len(CLASSES),
                       label_dim=args.label_dim, class_names=list(CLASSES))
    model = ConvVAE(config).to(device)
    opt = torch.optim.AdamW(model.parameters(), args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.steps, pct_start=0.05)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x, y = batch(data, labels, args.batch_size, device)
        loss, parts = vae_loss(model, x, y, args.pixel_sigma, min(1.0, step / args.kl_warmup))
        optimise(opt, loss, clip=args.clip, schedule=schedule)
        if log.due(step):
            log.add(step, **parts)
    out = Path(args.out)
    save_hub_folder(model.eval(), config, out, dtype=torch.float16)  # half the bytes; loads run it in float32 on a CPU
    sample_grid(model.decode, config, out / "samples.png", device)
    write_run(out, "genart.train.vae", args, log, device, {"train_images": len(data), "parameters": sum(
        p.numel() for p in model.parameters())})


def arguments(p):
    p.add_argument("--out", default="weights/vae-art-64")
    p.add_argument("--steps", type=int, default=5000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--per-class", type=int, default=2000, help="training images per class")
    p.add_argument("--latent-dim", type=int, default=64)
    p.add_argument("--hidden-size", type=int, default=32)
    p.add_argument("--label-dim", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--clip", type=float, default=100.0, help="gradient norm clip")
    p.add_argument("--pixel-sigma", type=float, default=0.2,
                   help="the likelihood's pixel deviation in [-1, 1] units")
    p.add_argument("--kl-warmup", type=int, default=1000, help="steps over which the KL weight rises from 0 to 1")


def main(argv=None):
    run_main(__doc__, arguments, train, argv, log_every=250)


if __name__ == "__main__":
    main()
