"""What every training script shares: the common options, one optimiser step, one log format, the training log
beside the weights, and the entry point."""
import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from safetensors.torch import load_file

from genart.checkpoint_io import LOG_FILE
from genart.loaders import known_fields


def add_common_arguments(p: argparse.ArgumentParser, log_every: int = 100):
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=log_every)
    p.add_argument("--device", default=None, help="cuda, mps or cpu (default: best available)")


def run_main(doc: str, add_arguments: Callable[[argparse.ArgumentParser], None], train: Callable, argv=None,
             log_every: int = 100):
    """A trainer's main(): its own options, the common ones, then train(args)."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_arguments(p)
    add_common_arguments(p, log_every)
    train(p.parse_args(argv))


def start_from(folder: str | Path, config_cls, model_cls, **changes) -> tuple[object, torch.nn.Module]:
    """-> (config, model in float32) of a folder a trainer wrote, to train further; strict, as every load is.
    `changes`: config fields that do not change the weights' shapes (a parameter-free part swapped)."""
    folder = Path(folder)
    config = config_cls(**known_fields(config_cls, json.loads((folder / "config.json").read_text())) | changes)
    model = model_cls(config)
    model.load_state_dict({k: v.float() for k, v in load_file(folder / "model.safetensors").items()}, strict=True)
    return config, model


def optimise(opt: torch.optim.Optimizer, loss: torch.Tensor, clip: float | None = None, schedule=None):
    """One step of `opt` on `loss`: gradients cleared, clipped to a norm when asked, the schedule stepped."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if clip is not None:
        torch.nn.utils.clip_grad_norm_([p for group in opt.param_groups for p in group["params"]], clip)
    opt.step()
    if schedule is not None:
        schedule.step()


def ema_update(ema: torch.nn.Module, model: torch.nn.Module, decay: float):
    with torch.no_grad():
        for e, p in zip(ema.parameters(), model.parameters()):
            e.lerp_(p, 1 - decay)


class TrainingLog:
    """The one log format: a JSON line per logged step with the step, its figures (numbers to 5 significant digits)
    and the seconds since the start; printed as it goes and kept for training_log.json."""

    def __init__(self, steps: int, every: int):
        self.steps, self.every, self.entries, self.start = steps, every, [], time.time()

    def due(self, step: int) -> bool:
        return step % self.every == 0 or step == self.steps

    @property
    def seconds(self) -> float:
        return round(time.time() - self.start, 1)

    def add(self, step: int, **figures) -> dict:
        entry = {"step": step, **{k: float(f"{v:.5g}") if isinstance(v, float) else v for k, v in figures.items()},
                 "seconds": self.seconds}
        self.entries.append(entry)
        print(json.dumps(entry), flush=True)
        return entry


def typed_command(script: str) -> str:
    """The command line as typed: `python -m genart train NAME ...` when it came through the CLI (whose fixed
    arguments NAME stands for), else `python -m SCRIPT ...`."""
    through_cli = Path(sys.argv[0]).resolve() == Path(__file__).resolve().parents[1] / "__main__.py"
    return " ".join(["python -m genart" if through_cli else f"python -m {script}", *sys.argv[1:]])


def write_run(out: Path, script: str, args: argparse.Namespace, log: TrainingLog, device: torch.device, summary: dict,
              continues: Path | None = None, **extra) -> dict:
    """training_log.json: {"runs": [...]}, this run (the exact command, the summary, the log and anything else given)
    after the runs of the folder it continued from; -> this run. Every summary starts with the steps and batch size
    and ends with the device, the wall time and torch's version."""
    earlier = Path(continues) / LOG_FILE if continues else None
    runs = json.loads(earlier.read_text())["runs"] if earlier and earlier.exists() else []
    summary = {"steps": args.steps, "batch_size": args.batch_size, **summary, "device": str(device),
               "wall_seconds": log.seconds, "torch": torch.__version__}
    run = {"command": typed_command(script), "summary": summary, "log": log.entries, **extra}
    (out / LOG_FILE).write_text(json.dumps({"runs": [*runs, run]}, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(summary))
    return run
