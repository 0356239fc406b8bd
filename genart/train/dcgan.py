"""Train the class-conditional DCGAN on procedural art and write a Hub-format folder.

    python -m genart.train.dcgan --out weights/dcgan-art-64

Hinge loss with a projection discriminator (optionally with an auxiliary classifier, DiffAugment and a mode-seeking
term); the shipped generator is an exponential moving average of the trained one. For each output folder the trainer
keeps a training state in genart's data cache, out of weights/ (never shipped, 56 MB for the shipped size): the trained
generator, the discriminator and both optimisers at the step whose generator the folder holds, so that a run continued
with --init-from picks up from that generator instead of first re-training a fresh discriminator. With --keep-best,
when the last step is not the kept one, its generator and state go to a folder beside it (OUT-last).
GPU when available, CPU otherwise; bf16 autocast by default on a GPU, and on a CPU with --precision bf16 (a step took
25% less time than float32 on an AVX-512 BF16 CPU).
"""
import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from safetensors.torch import load_file

from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import CACHE_DIR, art_dataset
from genart.data.procedural import CLASSES
from genart.metrics.frechet import frechet_distance
from genart.metrics.gan_quality import predict, to_tensor, train_classifier
from genart.metrics.precision_recall import precision_recall
from genart.metrics.tiling import grey_repeat_at, repeat_at
from genart.models.dcgan import DCGANConfig, DCGANGenerator, ProjectionDiscriminator
from genart.pipelines.generate import to_images
from genart.runtime import pick_device
from genart.train.diff_augment import diff_augment
from genart.train.resize_kernels import constrain, folded

GROUP = 4  # minibatch_stddev's default group size
VALIDATION_SEEDS = 400_000  # real art that --keep-best compares samples with, apart from gan_quality's sets
STATE_DIR = CACHE_DIR / "training-state"


def ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float):
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p, 1 - decay)


@torch.no_grad()
def recalibrate_batchnorm(generator: DCGANGenerator, device: torch.device, batches: int = 20, batch_size: int = 256):
    """Recompute BatchNorm statistics for the averaged weights: the trained model's statistics do not fit them
    and wash the colours out."""
    for m in generator.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over all batches below
    generator.train()
    g = torch.Generator().manual_seed(1)
    for _ in range(batches):
        z = torch.randn(batch_size, generator.config.latent_dim, generator=g).to(device)
        generator(z, torch.randint(generator.config.num_classes, (batch_size,), generator=g).to(device))
    for m in generator.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = 0.1
    generator.eval()


def sample_grid(generator: DCGANGenerator, path: Path, device: torch.device, per_class: int = 8):
    """One row per class, fixed latents, so successive grids are comparable."""
    g = torch.Generator().manual_seed(0)
    z = torch.randn(per_class * len(CLASSES), generator.config.latent_dim, generator=g).to(device)
    labels = torch.arange(len(CLASSES)).repeat_interleave(per_class).to(device)
    with torch.no_grad():
        images = to_images(generator.eval()(z, labels))  # 6 * per_class images, class by class
    size = generator.config.image_size
    sheet = Image.new("RGB", (per_class * size, len(CLASSES) * size))
    for i, image in enumerate(images):
        sheet.paste(image, ((i % per_class) * size, (i // per_class) * size))
    sheet.save(path)


@torch.no_grad()
def diversity(generator: DCGANGenerator, device: torch.device, n: int = 64) -> float:
    """Mean per-pixel standard deviation over n latents, averaged over classes: near 0 means mode collapse."""
    was_training = generator.training
    generator.eval()
    spreads = [generator(torch.randn(n, generator.config.latent_dim, device=device),
                         torch.full((n,), k, device=device)).float().std(0).mean().item()
               for k in range(generator.config.num_classes)]
    generator.train(was_training)
    return round(sum(spreads) / len(spreads), 3)


def validation_features(classifier) -> torch.Tensor:
    """The art classifier's features of the held-out real art that judge() compares samples with: (600, D)."""
    return predict(classifier, to_tensor(art_dataset(100, 64, first_seed=VALIDATION_SEEDS)[0]))[1]


@torch.no_grad()
def judge(generator: DCGANGenerator, classifier, real_features: torch.Tensor, device: torch.device,
          per_class: int = 100) -> dict:
    """How often the art classifier reads samples as the class asked for; the Fréchet distance, precision and recall
    between the samples and held-out real art in its feature space; and how much the samples repeat every 16 px (real
    art: 0.07). Latents and real seeds disjoint from gan_quality's."""
    g = torch.Generator().manual_seed(12345)
    z = torch.randn(per_class * len(CLASSES), generator.config.latent_dim, generator=g).to(device)
    labels = torch.arange(len(CLASSES)).repeat_interleave(per_class)
    images = np.stack([np.asarray(i) for i in to_images(generator.eval()(z, labels.to(device)))])
    predicted, features = predict(classifier, to_tensor(images))
    precision, recall = precision_recall(real_features, features)
    return {"class_agreement": round((predicted == labels).float().mean().item(), 4),
            "frechet": round(frechet_distance(features, real_features), 3),
            "precision": round(precision, 3), "recall": round(recall, 3),
            "repeat_16px": round(repeat_at(images).mean().item(), 3)}


def mode_seeking_loss(fake: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """MSGAN's term (Mao et al. 2019, arXiv:1903.05628): fake (B, C, H, W) from latents z (B, latent_dim), where
    sample i and i + B/2 have the same class. Small when two latents of a class give images far apart, so a
    generator that draws one picture per class whatever the latent pays for it."""
    half = fake.shape[0] // 2
    image_gap = (fake[:half] - fake[half:]).abs().mean(dim=(1, 2, 3))  # (B/2,)
    latent_gap = (z[:half] - z[half:]).abs().mean(dim=1)  # (B/2,)
    return 1 / ((image_gap / latent_gap).mean() + 1e-5)


def repeat_penalty(fake: torch.Tensor, labels: torch.Tensor, real_repeat: torch.Tensor) -> torch.Tensor:
    """fake (B, C, H, W), labels (B,), real_repeat (num_classes,) -> scalar: how far samples repeat every 16 px
    beyond real art of their class (metrics.tiling), the defect the discriminator let through."""
    return torch.relu(grey_repeat_at(fake.float().mean(1)) - real_repeat[labels]).mean()


def state_path(folder: str | Path) -> Path:
    """Where the training state of the run that writes `folder` lives: weights/dcgan-art-64 -> STATE_DIR /
    'work--main--weights--dcgan-art-64.pt' (the folder's absolute path, so that two checkouts do not share one)."""
    return STATE_DIR / (str(Path(folder).resolve()).strip("/").replace("/", "--") + ".pt")


def save_state(path: Path, step: int, gen, ema, disc, opt_g, opt_d):
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"step": step, "generator": gen.state_dict(), "ema": ema.state_dict(),
                "discriminator": disc.state_dict(), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict()}, path)


def load_state(path: Path, gen, ema, disc, opt_g, opt_d, lr_g: float, lr_d: float) -> int:
    """Restore what save_state wrote; the learning rates are this run's (the last run's may have decayed to 0).
    Returns the step the state was saved at."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    for module, key in ((gen, "generator"), (ema, "ema"), (disc, "discriminator"), (opt_g, "opt_g"), (opt_d, "opt_d")):
        module.load_state_dict(state[key])
    for opt, lr in ((opt_g, lr_g), (opt_d, lr_d)):
        for group in opt.param_groups:
            group["lr"] = group["initial_lr"] = lr
    return state["step"]


def class_weights(spec: list[str]) -> torch.Tensor:
    """['mandala=3'] -> sampling weights over CLASSES, 1 for classes not named."""
    weights = torch.ones(len(CLASSES))
    for item in spec:
        name, _, value = item.partition("=")
        if name not in CLASSES:
            raise SystemExit(f"--class-weight: unknown class {name!r}; choose from {', '.join(CLASSES)}.")
        weights[CLASSES.index(name)] = float(value)
    return weights


def train(args):
    torch.manual_seed(args.seed)
    if args.batch_size % GROUP:
        raise SystemExit(f"--batch-size must be a multiple of {GROUP}.")
    device = pick_device(args.device)
    images, labels = art_dataset(args.per_class, 64)
    data = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # (N, 3, 64, 64) uint8
    targets = torch.from_numpy(labels)
    config = DCGANConfig(hidden_size=args.hidden_size, num_classes=len(CLASSES), label_dim=args.label_dim,
                         class_names=list(CLASSES))
    if args.init_from:  # continue from a generator this trainer wrote
        config = DCGANConfig(**json.loads((Path(args.init_from) / "config.json").read_text()))
    gen, disc = DCGANGenerator(config).to(device), ProjectionDiscriminator(config).to(device)
    if args.init_from:
        gen.load_state_dict(load_file(Path(args.init_from) / "model.safetensors"), strict=True)
    if args.resize_kernels:
        constrain(gen)
    ema = copy.deepcopy(gen).eval()
    ema_start = 0 if args.init_from else 500  # a fresh average would start from random weights
    # Two time-scale update rule (Heusel et al. 2017) with the SN-GAN betas.
    opt_g = torch.optim.Adam(gen.parameters(), args.lr_g, betas=(0.0, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), args.lr_d, betas=(0.0, 0.9))
    # The folder's generator is the one to beat (judged below); the state, when the last run left one, is the one
    # saved with it: the trained generator, average, discriminator and optimisers of that step.
    baseline = copy.deepcopy(gen).eval() if args.init_from else None
    saved_state = state_path(args.init_from) if args.init_from else None
    resumed_from = None
    if saved_state and saved_state.exists():
        resumed_from = load_state(saved_state, gen, ema, disc, opt_g, opt_d, args.lr_g, args.lr_d)
    # Optionally decay both learning rates linearly to zero by the last step (as SN-GAN's training did), so a run of
    # fixed length ends on a settled generator rather than mid-oscillation.
    schedules = [torch.optim.lr_scheduler.LambdaLR(o, lambda i: 1 - i / args.steps)
                 for o in (opt_g, opt_d)] if args.lr_decay else []
    precision = args.precision or ("bf16" if device.type == "cuda" else "fp32")
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    weights = class_weights(args.class_weight)
    seen = diff_augment if args.diff_augment else torch.nn.Identity()  # what the discriminator is shown
    if args.repeat_penalty:  # each class's own repetition, which the penalty leaves free
        real_repeat = torch.stack([repeat_at(images[labels == k]).mean() for k in range(len(CLASSES))]).to(device)
    classifier = train_classifier() if args.keep_best else None
    if classifier is not None:
        real_features = validation_features(classifier)
    log, start, best = [], time.time(), float("inf")
    if classifier is not None and args.init_from:
        log.append({"step": 0, **judge(baseline, classifier, real_features, device)})
        best = log[-1]["frechet"]
        sample_grid(baseline, out / "samples.png", device)
        save_hub_folder(folded(baseline), config, out)
    for step in range(1, args.steps + 1):
        # Samples i, i + B/4, i + B/2, i + 3B/4 form one minibatch-stddev group in D; giving each group one class
        # lets D see a class with too little variety (mixed groups hide it behind the differences between classes).
        y = torch.multinomial(weights, args.batch_size // GROUP, replacement=True).repeat(GROUP)  # (B,)
        idx = y * args.per_class + torch.randint(args.per_class, (args.batch_size,))  # the data is in class blocks
        assert torch.equal(targets[idx], y)
        real = data[idx].to(device).float() / 127.5 - 1  # (B, 3, 64, 64) in [-1, 1]
        real = torch.where(torch.rand(args.batch_size, 1, 1, 1, device=device) < 0.5, real, real.flip(3))
        y = y.to(device)
        z = torch.randn(args.batch_size, config.latent_dim, device=device)
        with autocast:
            fake = gen(z, y)
            real_score, real_classes = disc(seen(real), y)
            fake_score, _ = disc(seen(fake.detach()), y)
            loss_d = torch.relu(1 - real_score).mean() + torch.relu(1 + fake_score).mean()
            if args.ac_weight:
                loss_d = loss_d + args.ac_weight * F.cross_entropy(real_classes, y)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        with autocast:
            fake_score, fake_classes = disc(seen(fake), y)
            loss_g = -fake_score.mean()
            if args.mode_seeking:
                loss_g = loss_g + args.mode_seeking * mode_seeking_loss(fake.float(), z)
            if args.repeat_penalty:
                loss_g = loss_g + args.repeat_penalty * repeat_penalty(fake, y, real_repeat)
            if args.ac_weight:  # samples the real-trained head does not read as their class cost the generator
                loss_g = loss_g + args.ac_weight * F.cross_entropy(fake_classes, y)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        for schedule in schedules:
            schedule.step()
        ema_update(ema, gen, args.ema if step > ema_start else 0.0)
        if step % args.log_every == 0 or step == args.steps:
            recalibrate_batchnorm(ema, device)
            entry = {"step": step, "loss_d": round(loss_d.item(), 4), "loss_g": round(loss_g.item(), 4),
                     "diversity": diversity(gen, device), "diversity_ema": diversity(ema, device),
                     "seconds": round(time.time() - start, 1)}
            if classifier is not None:
                entry.update(judge(ema, classifier, real_features, device))
            log.append(entry)
            print(json.dumps(entry), flush=True)
            # With --keep-best the folder holds the averaged generator closest to real art so far. Class agreement
            # alone would stop at 100% and keep an early generator; the distance still tells later ones apart.
            if classifier is None or entry["frechet"] < best:
                best = entry.get("frechet", best)
                sample_grid(ema, out / "samples.png", device)
                save_hub_folder(folded(ema), config, out)
                # The state goes with the folder's generator: a continuation starts from the kept step, not from a
                # later one that the check found worse (run 8's last step had lost most of its mandala variety).
                save_state(state_path(out), step, gen, ema, disc, opt_g, opt_d)
    summary = {"steps": args.steps, "batch_size": args.batch_size, "train_images": len(data), "device": str(device),
               "precision": precision, "diff_augment": args.diff_augment, "resize_kernels": args.resize_kernels,
               "resumed_from_step": resumed_from,
               "wall_seconds": round(time.time() - start, 1), "torch": torch.__version__,
               "class_weights": dict(zip(CLASSES, weights.tolist()))}
    if classifier is not None:
        summary["kept_step"] = min(log, key=lambda e: e["frechet"])["step"]
        if summary["kept_step"] != args.steps:
            # The check's distance is not all a person sees (run 26's last step looked best and was lost): the last
            # step is written beside the kept one, with its state, so it can be looked at and continued from.
            last = out.with_name(out.name + "-last")
            save_hub_folder(folded(ema), config, last)
            sample_grid(ema, last / "samples.png", device)
            save_state(state_path(last), args.steps, gen, ema, disc, opt_g, opt_d)
            summary["last_step_folder"] = str(last)
    # A continued run's log follows the runs of the checkpoint it started from.
    earlier = Path(args.init_from) / "training_log.json" if args.init_from else None
    runs = json.loads(earlier.read_text())["runs"] if earlier and earlier.exists() else []
    runs.append({"command": " ".join(["python -m genart.train.dcgan", *sys.argv[1:]]), "summary": summary, "log": log})
    (out / "training_log.json").write_text(json.dumps({"runs": runs}, indent=1) + "\n")
    print(json.dumps(summary))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=500)
    p.add_argument("--device", default=None, help="cuda, mps or cpu (default: best available)")
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
    train(p.parse_args(argv))


if __name__ == "__main__":
    main()
