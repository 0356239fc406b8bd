"""Quality figures for genart's text models on the artwork grammar.

    python -m genart.metrics.text_quality --model text-art

Samples lines from the start token alone and reports the share the grammar accepts and the share not seen verbatim in
the training corpus (its lines are regenerated from the corpus seed in the model's training log).
"""
import argparse
import json

from torch import nn

from ..checkpoint_io import last_run
from ..data.text_corpus import accepts, corpus
from ..pipelines.decode import decode_rows
from ..pipelines.sampling import SamplingSettings
from ..pipelines.text import load_text_model


def lines_from(model: nn.Module, tokenizer, rows: int, max_new_tokens: int, sampling: SamplingSettings,
               seed: int) -> list[str]:
    """`rows` lines from the start token alone (the post-processor's), each up to its first end token."""
    start = tokenizer.encode("").ids
    return [tokenizer.decode(t) for t in decode_rows(model, start, rows, max_new_tokens, sampling, start[-1], seed)]


def sample_lines(model: nn.Module, tokenizer, n: int, max_new_tokens: int, temperature: float = 1.0,
                 seed: int = 0, batch: int = 100) -> list[str]:
    """n lines sampled from the start token alone, in batches."""
    return [line for first in range(0, n, batch) for line in lines_from(
        model, tokenizer, min(batch, n - first), max_new_tokens, SamplingSettings(temperature=temperature), seed + first)]


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
