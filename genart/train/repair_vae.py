"""Train audio-repair-vae: gaps cut in training tunes rendered by genart's synthesiser (a random instrument, tempo, key
and noise level for each clip) and filled again; write a Hub-format folder with a card.

    python -m genart.train.repair_vae --out weights/audio-repair-vae

The examples are cut once before training (the linear-prediction guesses cost more than a training step); four in
five gaps are 20-300 ms, one in five is as short as a click. The loss is the negative SNR in the gap in dB, the
figure the card reports, plus a small KL term on the code.
"""
import random
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch

from genart.audio.gap_window import gap_window
from genart.audio.restoration import lpc_fill, silence_fill
from genart.audio.synth import SAMPLE_RATE
from genart.checkpoint_io import save_hub_folder
from genart.data.melodies import read_collection, split
from genart.metrics.repair_quality import gap_place, measure, rendered_clips, snr
from genart.models.repair_vae import RepairVAE, RepairVAEConfig
from genart.pipelines.repair import network_filler
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, start_from, write_run
from genart.train.repair_card import BASELINE, NAME, write_repair_card

WINDOW = RepairVAEConfig.window  # samples per training window: a 300 ms gap and PAD_SECONDS each side
NOISE = (0.0, 0.01)  # white noise levels under the training clips
GAPS_MS = [20, 50, 100, 250]  # the card's gap lengths


def gap_samples(rng: random.Random) -> int:
    if rng.random() < 0.2:
        return rng.randint(4, 110)  # a click: 0.2-5 ms
    return rng.randint(int(0.02 * SAMPLE_RATE), int(0.3 * SAMPLE_RATE))


def examples(tunes, count: int, seed: int) -> np.ndarray:
    """(count, 4, WINDOW) float32: forward fill, backward fill, gap and the true window, one gap per rendered clip."""
    rng = random.Random(seed)
    out = np.zeros((count, 4, WINDOW), np.float32)
    for i, clip in enumerate(rendered_clips(tunes, count, seed, NOISE)):
        n = gap_samples(rng)
        start = gap_place(clip, n, rng, margin=WINDOW // 2)
        w = gap_window(clip, start, start + n, SAMPLE_RATE, WINDOW)
        out[i] = w.forward_fill, w.backward_fill, w.gap, clip[w.first:w.first + WINDOW]
    return out


def example_pool(tunes, count: int, seed: int, workers: int) -> np.ndarray:
    """examples() in parallel chunks, each with its own seed."""
    chunk = -(-count // workers)
    with ProcessPoolExecutor(workers) as pool:
        parts = pool.map(examples, [tunes] * workers, [chunk] * workers, [seed * 1000 + k for k in range(workers)])
        return np.concatenate(list(parts))[:count]


def gap_snr_db(filled: torch.Tensor, truth: torch.Tensor, gap: torch.Tensor) -> torch.Tensor:
    """(B, N) each -> (B,) SNR in the gap, in dB."""
    error = ((filled - truth) * gap).square().sum(-1)
    return 10 * torch.log10((truth * gap).square().sum(-1).clamp_min(1e-10) / error.clamp_min(1e-10))


def augmented(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """(B, 4, N): each example with its sign flipped, or played backwards (the two guesses trade places), at random."""
    b = batch.shape[0]
    batch = batch.clone()
    batch[:, [0, 1, 3]] *= torch.where(torch.rand(b, 1, 1, generator=generator) < 0.5, -1.0, 1.0)
    backwards = torch.rand(b, generator=generator) < 0.5
    batch[backwards] = batch[backwards].flip(-1)[:, [1, 0, 2, 3]]
    return batch


@torch.no_grad()
def validation(model: RepairVAE, pool: torch.Tensor, device) -> dict:
    """The network's median SNR in the gap over the held-out windows."""
    model.eval()
    ours = torch.cat([gap_snr_db(model(b[:, 0].to(device), b[:, 1].to(device), b[:, 2].to(device))[0].cpu(),
                                 b[:, 3], b[:, 2]) for b in pool.split(32)])
    model.train()
    return {"val_snr_db": float(ours.median())}


def lpc_baseline(pool: torch.Tensor) -> float:
    """Median SNR of lpc-interpolation on the same held-out windows (the guesses cross-faded)."""
    scores = []
    for *_, gap, truth in pool.numpy().astype(np.float64):
        start, end = np.flatnonzero(gap)[[0, -1]] + [0, 1]
        filled = lpc_fill(np.where(gap > 0, 0.0, truth), start, end, SAMPLE_RATE)
        scores.append(snr(truth[start:end], filled[start:end]))
    return float(np.median(scores))


def train(args):
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    device = pick_device(args.device)
    training, held_out = split(read_collection(args.files))
    pool = torch.from_numpy(example_pool(training, args.examples, args.seed, args.workers))
    val_pool = torch.from_numpy(example_pool(held_out, args.val_examples, args.seed + 1, args.workers))
    print(f"{len(pool)} training and {len(val_pool)} held-out windows; lpc-interpolation on the held-out: "
          f"{lpc_baseline(val_pool):.2f} dB", flush=True)
    if args.init_from:
        config, model = start_from(args.init_from, RepairVAEConfig, RepairVAE)
    else:
        config = RepairVAEConfig(width=args.width)
        model = RepairVAE(config)
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, args.lr, total_steps=args.steps, pct_start=0.05)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        batch = augmented(pool[torch.randint(len(pool), (args.batch_size,), generator=generator)], generator).to(device)
        filled, kl = model(batch[:, 0], batch[:, 1], batch[:, 2], sample=True)
        snr_db = gap_snr_db(filled, batch[:, 3], batch[:, 2])
        loss = -snr_db.clamp_max(40).mean() + args.kl_weight * kl.mean()
        optimise(opt, loss, clip=1.0, schedule=schedule)
        if log.due(step):
            log.add(step, train_snr_db=snr_db.median().item(), kl=kl.mean().item(), **validation(model, val_pool, device))
    out = Path(args.out)
    save_hub_folder(model.eval(), config, out, dtype=torch.float16)
    model.half().float()  # measured as shipped
    summary = {"parameters": sum(p.numel() for p in model.parameters()), "weights": "float16",
               "train_tunes": len(training), "held_out_tunes": len(held_out), "train_windows": len(pool),
               "window_samples": WINDOW, "kl_weight": args.kl_weight, **validation(model, val_pool, device)}
    fillers = {NAME: network_filler(model, device), BASELINE: lpc_fill, "silence": silence_fill}
    quality = measure(rendered_clips(held_out, args.clips, args.seed), GAPS_MS, fillers, args.seed)
    write_repair_card(write_run(out, "genart.train.repair_vae", args, log, device, summary, continues=args.init_from,
                                quality=quality), out)


def arguments(p):
    p.add_argument("--out", default="weights/audio-repair-vae")
    p.add_argument("--steps", type=int, default=12000)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--width", type=int, default=RepairVAEConfig.width)
    p.add_argument("--kl-weight", type=float, default=1e-4)
    p.add_argument("--examples", type=int, default=16000, help="training windows cut before training")
    p.add_argument("--val-examples", type=int, default=256)
    p.add_argument("--workers", type=int, default=2, help="processes that cut the windows")
    p.add_argument("--clips", type=int, default=200, help="held-out clips per gap length for the card's table")
    p.add_argument("--init-from", default=None, help="continue from a folder this trainer wrote")
    p.add_argument("--files", type=int, default=None, help="read only the collection's first N files (a quick run)")


def main(argv=None):
    run_main(__doc__, arguments, train, argv, log_every=500)


if __name__ == "__main__":
    main()
