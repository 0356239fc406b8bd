"""Quality figures for a sentence VAE on the artwork grammar.

    python -m genart.metrics.sentence_vae_quality --model text-art-vae

On held-out lines (a corpus seed no training run uses): the KL term per sentence and the active latent units
(posterior means that vary across sentences, Burda et al. 2016); reconstruction, decoding each sentence's posterior
mean greedily (exact match, and the share of its tokens in the right place); 500 latents from the prior decoded
greedily, scored with the grammar checker of text_quality (accepted, new, distinct); and the homotopy between pairs of
held-out lines, whose interior points should also be sentences of the grammar.
"""
import argparse
import json

import torch

from ..checkpoint_io import last_run
from ..data.text_corpus import HELD_OUT_SEED, accepts, corpus
from ..pipelines.latent_models import latents
from ..pipelines.sentence_vae import greedy_lines, posterior, sentence_rows
from ..pipelines.text import load_text_model
from ..train.vae_losses import active_units, kl_per_unit
from .text_quality import grammar_figures


def held_out_lines(n: int) -> list[str]:
    return corpus(n, seed=HELD_OUT_SEED)


def token_accuracy(tokenizer, wanted: list[str], got: list[str]) -> float:
    """Share of the wanted lines' tokens that the decoded lines have at the same place."""
    right = total = 0
    for w, g in zip(wanted, got):
        a, b = tokenizer.encode(w).ids, tokenizer.encode(g).ids
        right += sum(x == y for x, y in zip(a, b))
        total += len(a)
    return right / total


@torch.inference_mode()
def measure_model(model, tokenizer, training: set[str], held_out: list[str], samples: int = 500,
                  pairs: int = 50, steps: int = 7) -> tuple[dict, list[str]]:
    """-> (the figures, examples for the card)."""
    model.eval()
    mean, logvar = posterior(model, sentence_rows(model, tokenizer, held_out))
    kl = kl_per_unit(mean, logvar).sum(1).mean()
    rebuilt = [line for chunk in mean.split(100) for line in greedy_lines(model, tokenizer, chunk)]
    prior = [line for first in range(0, samples, 100)
             for line in greedy_lines(model, tokenizer, latents(first, min(100, samples - first), model.config.latent_dim))]
    walks = [greedy_lines(model, tokenizer, torch.stack([torch.lerp(mean[2 * i], mean[2 * i + 1], t)
                                             for t in torch.linspace(0, 1, steps)])) for i in range(pairs)]
    interior = [line for walk in walks for line in walk[1:-1]]
    figures = {"held_out": len(held_out), "kl_per_sentence": round(float(kl), 3),
               "active_units": active_units(mean), "latent_dim": model.config.latent_dim,
               "exact_reconstruction": round(sum(a == b for a, b in zip(held_out, rebuilt)) / len(held_out), 4),
               "token_accuracy": round(token_accuracy(tokenizer, held_out, rebuilt), 4),
               **{f"prior_{k}": v for k, v in grammar_figures(prior, training).items()},
               "homotopy_pairs": pairs, "homotopy_steps": steps,
               "homotopy_interior_accepted": round(sum(map(accepts, interior)) / len(interior), 4)}
    examples = [*prior[:3], f"{held_out[0]} -> {rebuilt[0]}", *walks[0]]
    return figures, examples


def measure(name: str) -> dict:
    model = load_text_model(name)
    run = last_run(model.loaded.folder)["summary"]
    training = set(corpus(run["train_lines"], seed=run["corpus_seed"]))
    figures, examples = measure_model(model.loaded.module, model.tokenizer, training, held_out_lines(500))
    return {"model": name, **figures, "examples": examples}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="text-art-vae")
    print(json.dumps(measure(p.parse_args(argv).model), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
