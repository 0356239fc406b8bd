"""What every training script shares: the last command-line options and the training log beside the weights."""
import argparse
import json
import sys
from pathlib import Path


def add_common_arguments(p: argparse.ArgumentParser, log_every: int = 100):
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--log-every", type=int, default=log_every)
    p.add_argument("--device", default=None, help="cuda, mps or cpu (default: best available)")


def write_run(out: Path, script: str, summary: dict, log: list[dict], **extra) -> dict:
    """training_log.json: the exact command, the summary, the periodic log (and anything else given); -> that run."""
    run = {"command": " ".join([f"python -m {script}", *sys.argv[1:]]), "summary": summary, "log": log, **extra}
    (out / "training_log.json").write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(summary))
    return run
