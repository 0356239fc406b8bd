"""Quality figures for genart's text models on the artwork grammar.

    python -m genart.metrics.text_quality --model text-art

Samples lines from the start token alone and reports the share the grammar accepts and the share not seen verbatim in
the training corpus (its lines are regenerated from the corpus seed in the model's training log).
"""
import argparse
import json

import torch
from torch import nn

from ..checkpoint_io import last_run
from ..data.text_corpus import accepts, corpus
from ..pipelines.decode import decode
from ..pipelines.sampling import SamplingSettings
from ..pipelines.text import load_text_model


@torch.inference_mode()
def sample_lines(model: nn.Module, tokenizer, n: int, max_new_tokens: int, temperature: float = 1.0,
                 seed: int = 0, batch: int = 100) -> list[str]:
    """n lines, each from the start token up to the first end token (or max_new_tokens)."""
    start = tokenizer.encode("").ids  # the post-processor's start token alone
    end = start[-1]
    lines = []
    for first in range(0, n, batch):
        rows = [[] for _ in range(min(batch, n - first))]
        done = [False] * len(rows)
        for step in decode(model, [start] * len(rows), max_new_tokens, SamplingSettings(temperature=temperature),
                           seed=seed + first):
            for row, token in enumerate(step.tolist()):
                done[row] = done[row] or token == end
                if not done[row]:
                    rows[row].append(token)
            if all(done):
                break
        lines += [tokenizer.decode(r) for r in rows]
    return lines


def grammar_figures(lines: list[str], training: set[str]) -> dict:
    accepted = [line for line in lines if accepts(line)]
    return {"samples": len(lines),
            "grammar_accepted": round(len(accepted) / len(lines), 4),
            "not_in_training": round(sum(line not in training for line in lines) / len(lines), 4),
            "accepted_and_new": round(sum(line not in training for line in accepted) / len(lines), 4),
            "distinct": round(len(set(lines)) / len(lines), 4)}


def measure(name: str, n: int, temperature: float) -> dict:
    model = load_text_model(name)
    run = last_run(model.loaded.folder)["summary"]
    training = set(corpus(run["train_lines"], seed=run["corpus_seed"]))
    lines = sample_lines(model.loaded.module, model.tokenizer, n, run["block_size"], temperature)
    return {"model": name, "temperature": temperature, **grammar_figures(lines, training), "examples": lines[:3]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="text-art")
    p.add_argument("--samples", type=int, default=500)
    p.add_argument("--temperature", type=float, default=1.0)
    args = p.parse_args(argv)
    print(json.dumps(measure(args.model, args.samples, args.temperature), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
