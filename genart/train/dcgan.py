"""Train the class-conditional DCGAN on procedural art and write a Hub-format folder.

    python -m genart.train.dcgan --out weights/dcgan-art-64

Hinge loss with a projection discriminator (optionally an auxiliary classifier, DiffAugment, a mode-seeking term);
the shipped generator is an exponential moving average of the trained one. The training state that goes with the
folder's generator is kept out of weights/ (gan_state.py), so --init-from continues from it; with --keep-best the last
step, when it is not the kept one, goes to a folder beside it (OUT-last). GPU when available, CPU otherwise; bf16
autocast by default on a GPU, and on a CPU with --precision bf16 (25% less time per step on an AVX-512 BF16 CPU).
"""
import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import art_dataset
from genart.data.procedural import CLASSES
from genart.metrics.gan_quality import train_classifier
from genart.metrics.tiling import repeat_at
from genart.models.dcgan import DCGANConfig, DCGANGenerator, ProjectionDiscriminator
from genart.runtime import pick_device
from genart.train.common import TrainingLog, ema_update, optimise, run_main, start_from, write_run
from genart.train.diff_augment import diff_augment
from genart.train.gan_checks import diversity, judge, recalibrate_batchnorm, sample_grid, validation_features
from genart.train.gan_data import GROUP, class_weights, real_batch
from genart.train.gan_losses import mode_seeking_loss, repeat_penalty
from genart.train.gan_state import STATE_DIR, load_state, save_state, state_path
from genart.train.resize_kernels import constrain, folded


@dataclass
class GanRun:
    """What one training run works with."""
    args: object  # the parsed options
    device: torch.device
    config: DCGANConfig
    data: torch.Tensor  # (N, 3, 64, 64) uint8, class by class in blocks of args.per_class
    gen: DCGANGenerator
    ema: DCGANGenerator  # the average the folder ships
    disc: ProjectionDiscriminator
    opt_g: torch.optim.Optimizer
    opt_d: torch.optim.Optimizer
    schedules: list
    autocast: torch.autocast
    precision: str
    seen: Callable[[torch.Tensor], torch.Tensor]  # what the discriminator is shown (DiffAugment or as it is)
    weights: torch.Tensor  # (num_classes,) sampling weights
    real_repeat: torch.Tensor | None  # (num_classes,) each class's own 16 px repetition, for --repeat-penalty
    ema_start: int  # steps before the average starts (a fresh one would start from random weights)
    resumed_from: int | None  # the step of the state a continued run picked up


def networks(args, device: torch.device) -> tuple[DCGANConfig, DCGANGenerator, ProjectionDiscriminator]:
    if args.init_from:  # continue from a generator this trainer wrote
        config, gen = start_from(args.init_from, DCGANConfig, DCGANGenerator)
    else:
        config = DCGANConfig(hidden_size=args.hidden_size, num_classes=len(CLASSES), label_dim=args.label_dim,
                             class_names=list(CLASSES))
        gen = DCGANGenerator(config)
    gen, disc = gen.to(device), ProjectionDiscriminator(config).to(device)
    if args.resize_kernels:
        constrain(gen)
    return config, gen, disc


def setup(args) -> GanRun:
    if args.batch_size % GROUP:
        raise SystemExit(f"--batch-size must be a multiple of {GROUP}.")
    device = pick_device(args.device)
    images, labels = art_dataset(args.per_class, 64)
    config, gen, disc = networks(args, device)
    ema = copy.deepcopy(gen).eval()
    # Two time-scale update rule (Heusel et al. 2017) with the SN-GAN betas.
    opt_g = torch.optim.Adam(gen.parameters(), args.lr_g, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), args.lr_d, betas=(0.0, 0.9))
    # The state the last run left with the folder's generator: the trained generator, average, discriminator and
    # optimisers of that step.
    saved_state = state_path(args.init_from) if args.init_from else None
    resumed_from = None
    if saved_state and saved_state.exists():
        resumed_from = load_state(saved_state, gen, ema, disc, opt_g, opt_d, args.lr_g, args.lr_d)
    # Optionally decay both learning rates linearly to zero by the last step (as SN-GAN's training did), so a run of
    # fixed length ends on a settled generator rather than mid-oscillation.
    schedules = [torch.optim.lr_scheduler.LambdaLR(o, lambda i: 1 - i / args.steps)
                 for o in (opt_g, opt_d)] if args.lr_decay else []
    precision = args.precision or ("bf16" if device.type == "cuda" else "fp32")
    real_repeat = torch.stack([repeat_at(images[labels == k]).mean() for k in range(len(CLASSES))]).to(device) \
        if args.repeat_penalty else None
    return GanRun(args, device, config, torch.from_numpy(images).permute(0, 3, 1, 2).contiguous(), gen, ema, disc,
                  opt_g, opt_d, schedules, torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16"),
                  precision, diff_augment if args.diff_augment else torch.nn.Identity(),
                  class_weights(args.class_weight), real_repeat, 0 if args.init_from else 500, resumed_from)


def gan_step(run: GanRun, step: int) -> dict:
    """One discriminator and one generator update (hinge loss, projection D); -> their losses."""
    args, real_repeat = run.args, run.real_repeat
    real, y = real_batch(run.data, run.weights, args.per_class, args.batch_size, run.device)
    z = torch.randn(args.batch_size, run.config.latent_dim, device=run.device)
    with run.autocast:
        fake = run.gen(z, y)
        real_score, real_classes = run.disc(run.seen(real), y)
        fake_score, _ = run.disc(run.seen(fake.detach()), y)
        loss_d = torch.relu(1 - real_score).mean() + torch.relu(1 + fake_score).mean()
        if args.ac_weight:
            loss_d = loss_d + args.ac_weight * F.cross_entropy(real_classes, y)
    optimise(run.opt_d, loss_d)
    with run.autocast:
        fake_score, fake_classes = run.disc(run.seen(fake), y)
        loss_g = -fake_score.mean()
        if args.mode_seeking:
            loss_g = loss_g + args.mode_seeking * mode_seeking_loss(fake.float(), z)
        if args.repeat_penalty:
            loss_g = loss_g + args.repeat_penalty * repeat_penalty(fake, y, real_repeat)
        if args.ac_weight:  # samples the real-trained head does not read as their class cost the generator
            loss_g = loss_g + args.ac_weight * F.cross_entropy(fake_classes, y)
    optimise(run.opt_g, loss_g)
    for schedule in run.schedules:
        schedule.step()
    ema_update(run.ema, run.gen, args.ema if step > run.ema_start else 0.0)
    return {"loss_d": loss_d.item(), "loss_g": loss_g.item()}


def keep(run: GanRun, generator: DCGANGenerator, folder: Path, step: int):
    """The folder gets the generator (folded to plain transposed convolutions), its samples, and the training
    state that goes with it."""
    save_hub_folder(folded(generator), run.config, folder)
    sample_grid(generator.eval(), run.config, folder / "samples.png", run.device)
    save_state(state_path(folder), step, run.gen, run.ema, run.disc, run.opt_g, run.opt_d)


def train(args):
    torch.manual_seed(args.seed)
    run = setup(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    classifier = train_classifier() if args.keep_best else None
    real_features = validation_features(classifier) if classifier is not None else None
    log, best = TrainingLog(args.steps, args.log_every), float("inf")
    if classifier is not None and args.init_from:  # the folder's generator is the one to beat
        baseline = copy.deepcopy(run.gen).eval()
        best = log.add(0, **judge(baseline, classifier, real_features, run.device))["frechet"]
        sample_grid(baseline, run.config, out / "samples.png", run.device)
        save_hub_folder(folded(baseline), run.config, out)
    for step in range(1, args.steps + 1):
        losses = gan_step(run, step)
        if log.due(step):
            recalibrate_batchnorm(run.ema, run.device)
            figures = {**losses, "diversity": diversity(run.gen, run.device),
                       "diversity_ema": diversity(run.ema, run.device)}
            if classifier is not None:
                figures |= judge(run.ema, classifier, real_features, run.device)
            entry = log.add(step, **figures)
            # With --keep-best the folder holds the averaged generator closest to real art so far. Class agreement
            # alone would stop at 100% and keep an early generator; the distance still tells later ones apart. The
            # state goes with it: a continuation starts from the kept step, not from a later one the check found worse.
            if classifier is None or entry["frechet"] < best:
                best = entry.get("frechet", best)
                keep(run, run.ema, out, step)
    finish(run, out, log)


def finish(run: GanRun, out: Path, log: TrainingLog):
    args = run.args
    summary = {"train_images": len(run.data), "precision": run.precision, "diff_augment": args.diff_augment,
               "resize_kernels": args.resize_kernels, "resumed_from_step": run.resumed_from,
               "class_weights": dict(zip(CLASSES, run.weights.tolist()))}
    if args.keep_best:
        summary["kept_step"] = min(log.entries, key=lambda e: e["frechet"])["step"]
        if summary["kept_step"] != args.steps:
            # The check's distance is not all a person sees (run 26's last step looked best and was lost): the last
            # step is written beside the kept one, with its state, so it can be looked at and continued from.
            last = out.with_name(out.name + "-last")
            keep(run, run.ema, last, args.steps)
            summary["last_step_folder"] = str(last)
    # A continued run's log follows the runs of the checkpoint it started from.
    write_run(out, "genart.train.dcgan", args, log, run.device, summary, continues=args.init_from)


def arguments(p):
    p.add_argument("--out", default="weights/dcgan-art-64")
    p.add_argument("--steps", type=int, default=5000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--hidden-size", type=int, default=48)
    p.add_argument("--label-dim", type=int, default=16)
    p.add_argument("--per-class", type=int, default=2000, help="training images per class")
    p.add_argument("--lr-g", type=float, default=1e-4)
    p.add_argument("--lr-d", type=float, default=4e-4)
    p.add_argument("--lr-decay", action="store_true", help="decay both learning rates linearly to zero")
    p.add_argument("--ema", type=float, default=0.999)
    p.add_argument("--precision", choices=("fp32", "bf16"), default=None,
                   help="bf16 autocast or plain float32 (default: bf16 on a GPU, fp32 on a CPU)")
    p.add_argument("--init-from", default=None,
                   help="a folder this trainer wrote, to continue from: its generator, and the state the run that "
                        f"wrote it saved with that generator in {STATE_DIR}, the discriminator and optimisers too "
                        "(otherwise a fresh discriminator)")
    p.add_argument("--class-weight", nargs="*", default=[], metavar="CLASS=W",
                   help="sample CLASS W times as often as the others, e.g. mandala=3")
    p.add_argument("--ac-weight", type=float, default=0.0,
                   help="weight of the auxiliary classifier loss (AC-GAN); 0 = projection only")
    p.add_argument("--mode-seeking", type=float, default=0.0,
                   help="weight of the mode-seeking term (MSGAN), which makes two latents of a class give "
                        "different images; 0 = off")
    p.add_argument("--repeat-penalty", type=float, default=0.0,
                   help="weight of a charge on samples that repeat every 16 px more than real art of their class "
                        "does (the tiling of metrics.tiling); 0 = off")
    p.add_argument("--diff-augment", action="store_true",
                   help="show the discriminator real and generated images through the same random translation and "
                        "cutout (DiffAugment), so it cannot memorise the training set")
    p.add_argument("--resize-kernels", action="store_true",
                   help="train each x2 transposed convolution as a nearest resize + 3x3 convolution (no checkerboard "
                        "patterns); the folder still holds plain transposed-convolution weights")
    p.add_argument("--keep-best", action="store_true",
                   help="at each log step, keep the generator whose samples are closest to held-out real art in the "
                        "art classifier's feature space (Fréchet distance); the last step's goes to OUT-last")


def main(argv=None):
    run_main(__doc__, arguments, train, argv, log_every=500)


if __name__ == "__main__":
    main()
