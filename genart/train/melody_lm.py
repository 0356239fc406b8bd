"""Train genart's melody models on O'Neill's 1850 Irish tunes (music21's corpus) and write Hub-format folders with a
model card.

    python -m genart.train.melody_lm --arch lstm --out weights/melody-lstm
    python -m genart.train.melody_lm --arch gpt2 --out weights/melody-transformer

Both read the same tunes as the same MelodyRNN events (audio/events.py), so their figures compare: the LSTM is
MelodyRNN's shape (2 layers of 256 units), the Transformer a small GPT-2. Every training window starts with START at a
bar line of a tune, moved to a random key; held-out tunes are split by tune (data/melodies.py).
"""
import json
import random
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file

from genart.audio.events import START, STEPS_PER_BAR, VOCAB
from genart.data.melodies import read_collection, split, transposed
from genart.loaders import ARCHITECTURES, load_strict
from genart.metrics.melody_quality import measure_model
from genart.runtime import pick_device
from genart.train.common import TrainingLog, optimise, run_main, write_run
from genart.train.melody_card import write_melody_card
from genart.train.text_lm import build, init_weights, language_model_optimiser, logits_of, save_weights

IGNORE = -100  # targets past a tune's end
SHIFTS = range(-5, 7)  # semitones a training window may be moved by


def window(events: list[int], start: int, block: int) -> tuple[list[int], list[int]]:
    """-> inputs and next-event targets, each `block` long: START, then the tune from `start`; padded past its end."""
    seq = [START, *events[start:start + block]]
    inputs = seq[:-1] + [START] * (block + 1 - len(seq))
    targets = seq[1:] + [IGNORE] * (block + 1 - len(seq))
    return inputs, targets


def training_batch(tunes, batch: int, block: int, rng: random.Random) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, block) inputs and targets: tunes picked by length, each from a random bar, in a random key that fits."""
    weights = [len(t.events) for t in tunes]
    xs, ys = [], []
    for tune in rng.choices(tunes, weights, k=batch):
        events = None
        while events is None:
            events = transposed(tune.events, rng.choice(SHIFTS))
        bars = max(1, (len(events) - STEPS_PER_BAR) // STEPS_PER_BAR)
        x, y = window(events, rng.randrange(bars) * STEPS_PER_BAR, block)
        xs.append(x)
        ys.append(y)
    return torch.tensor(xs), torch.tensor(ys)


def held_out_windows(tunes, block: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every held-out tune from its start, in its own key: the validation set."""
    pairs = [window(t.events, 0, block) for t in tunes]
    return torch.tensor([p[0] for p in pairs]), torch.tensor([p[1] for p in pairs])


@torch.no_grad()
def validation_loss(model, x: torch.Tensor, y: torch.Tensor, device) -> float:
    model.eval()
    total, count = 0.0, 0
    for xb, yb in zip(x.split(64), y.split(64)):
        logits = logits_of(model, xb.to(device))
        total += F.cross_entropy(logits.flatten(0, 1), yb.to(device).flatten(), ignore_index=IGNORE,
                                 reduction="sum").item()
        count += int((yb != IGNORE).sum())
    model.train()
    return total / count


def continued(folder: str, arch: str):
    """-> (model in float32, its config) from a folder this trainer wrote, loaded as the app loads it (strictly)."""
    folder = Path(folder)
    state = {k: v.float() for k, v in load_file(folder / "model.safetensors").items()}
    entry = ARCHITECTURES[arch]
    module = entry.build(json.loads((folder / "config.json").read_text()), state)
    load_strict(module, entry.convert(state, module))
    return module, module.config


def train(args):
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    device = pick_device(args.device)
    training, held_out = split(read_collection(args.files))
    val_x, val_y = held_out_windows(held_out, args.block_size)
    if args.init_from:
        model, config = continued(args.init_from, args.arch)
    else:
        model, config = build(args, VOCAB)
        init_weights(model)
    model.to(device).train()
    opt, schedule = language_model_optimiser(model, args.lr, args.steps)
    log = TrainingLog(args.steps, args.log_every)
    for step in range(1, args.steps + 1):
        x, y = training_batch(training, args.batch_size, args.block_size, rng)
        loss = F.cross_entropy(logits_of(model, x.to(device)).flatten(0, 1), y.to(device).flatten(),
                               ignore_index=IGNORE)
        optimise(opt, loss, clip=1.0, schedule=schedule)
        if log.due(step):
            log.add(step, train_loss=loss.item(), val_loss=validation_loss(model, val_x, val_y, device))
    out = Path(args.out)
    save_weights(model, config, out, args.arch, START)
    model.half().float().eval()  # measured as shipped
    summary = {"arch": args.arch, "parameters": sum(p.numel() for p in model.parameters()), "vocab_size": VOCAB,
               "train_tunes": len(training), "held_out_tunes": len(held_out),
               "train_steps_of_music": sum(len(t.events) for t in training), "block_size": args.block_size,
               "weights": "float16", "val_loss": round(validation_loss(model, val_x, val_y, device), 4)}
    figures = measure_model(model, training, held_out, args.samples, seed=args.seed)
    write_run(out, "genart.train.melody_lm", args, log, device, summary, continues=args.init_from, quality=figures)
    write_melody_card(out)


def arguments(p):
    p.add_argument("--arch", choices=("gpt2", "lstm"), default="lstm")
    p.add_argument("--out", default="weights/melody-lstm")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--block-size", type=int, default=384, help="16th-note steps per window (24 bars)")
    p.add_argument("--width", type=int, default=64, help="embedding width (GPT-2: n_embd, 64 per head)")
    p.add_argument("--layers", type=int, default=None, help="default: 4 Transformer blocks, or 2 LSTM layers")
    p.add_argument("--lstm-hidden", type=int, default=256)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--samples", type=int, default=500, help="melodies sampled for the card's figures")
    p.add_argument("--init-from", default=None, help="continue from a folder this trainer wrote (same --arch)")
    p.add_argument("--files", type=int, default=None, help="read only the collection's first N files (a quick run)")


def main(argv=None):
    run_main(__doc__, arguments, train, argv)


if __name__ == "__main__":
    main()
