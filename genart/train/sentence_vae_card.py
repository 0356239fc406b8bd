"""The model card (README.md) of the sentence VAE, written from its training log so the figures on it are measured."""
from pathlib import Path

from genart.train.card import training_section, write_card


def model_card(run: dict, name: str) -> str:
    s = run["summary"]
    examples = "\n".join(f"- {line}" for line in run["examples"][:3])
    rebuilt = run["examples"][3]
    walk = "\n".join(f"{i}. {line}" for i, line in enumerate(run["examples"][4:], 1))
    kl = [e["kl"] for e in run["log"]]
    training = training_section(run, [
        f"- **Data**: {s['train_lines']:,} lines from `genart.data.text_corpus` (corpus seed {s['corpus_seed']}), "
        "tokenized with\n  text-art's tokenizer.",
        f"- **Against posterior collapse**: the KL weight rises linearly from 0 to 1 over {s['kl_warmup']:,} steps, "
        f"{s['word_dropout']:.0%} of the\n  decoder's input words are replaced by a dropped-word token, and free bits: "
        f"the first {s['free_bits']:g} nats of each latent\n  unit's KL are not charged. The KL term per sentence in the log: "
        f"{min(kl):.1f} to {max(kl):.1f} nats, {kl[-1]:.1f} at the end.",
        f"- **Optimisation**: AdamW, one-cycle schedule, batch {s['batch_size']}, {s['steps']:,} steps."])
    return f"""# {name}

A sentence VAE (Bowman et al. 2016, "Generating Sentences from a Continuous Space") of {s["parameters"] / 1e6:.2f} M
parameters on genart's grammar of artwork titles and descriptions: a bidirectional LSTM encoder into a
{s["latent_dim"]}-dimensional Gaussian latent, and an LSTM decoder that starts from the latent and sees it beside every
word. Weights in {s["weights"]} safetensors (`model_type` genart-sentence-vae); the tokenizer is text-art's.

```bash
python -m genart text --model {name} --prompt "«"   # a sample from the prior
python -m genart text --model {name} --reconstruct \\
    --prompt "«Quiet Harbour» — watercolour. A landscape of still water, with a pale moon."
python -m genart text --model {name} --steps 7 --between \\
    "«Golden Rings» — stained glass. A mandala of concentric rings, with leaded panes." \\
    "«Dusk over the Sea» — oil on canvas. Still water meets a pale moon under an indigo sky."
```

{training}
## Measured

With the {s["weights"]} weights as shipped, on {s["held_out"]} held-out lines (another corpus seed), every decoding
greedy:

| figure | value |
|---|---|
| KL per sentence (nats) | {s["kl_per_sentence"]:.2f} |
| active latent units (posterior-mean variance > 0.01) | {s["active_units"]} of {s["latent_dim"]} |
| exact reconstruction | {s["exact_reconstruction"]:.1%} |
| reconstruction token accuracy | {s["token_accuracy"]:.1%} |
| prior samples the grammar accepts ({s["prior_samples"]}) | {s["prior_grammar_accepted"]:.1%} |
| prior samples not in the training corpus | {s["prior_not_in_training"]:.1%} |
| distinct prior samples | {s["prior_distinct"]:.1%} |
| homotopy interior points the grammar accepts ({s["homotopy_pairs"]} pairs, {s["homotopy_steps"]} points) | \
{s["homotopy_interior_accepted"]:.1%} |

Re-measure with `python -m genart.metrics.sentence_vae_quality --model {name}`. Prior samples:

{examples}

The latent keeps about {s["kl_per_sentence"]:.0f} nats of a line: a reconstruction keeps the line's shape and some of
its words (title, medium, sky), rarely all of them. A reconstruction (held-out line -> decoded):

{rebuilt}

A homotopy between two held-out lines:

{walk}

## Limits

It knows only the grammar's vocabulary: a sentence outside it is read into the latent space anyway and decoded as the
nearest sentence it can write. Greedy decoding of a latent is deterministic; the Text tab's sampling settings apply to
samples from the prior.
"""


def write_sentence_vae_card(run: dict, folder: Path, name: str = "text-art-vae"):
    write_card(folder, ["text-generation", "vae"], "text-generation", model_card(run, name))
