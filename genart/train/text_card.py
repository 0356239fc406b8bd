"""The model card (README.md) of a text model trained by text_lm.py, written from its training log so the figures
on the card are the ones measured."""
from pathlib import Path

from genart.train.card import training_section, write_card

ABOUT = {
    "gpt2": ("A GPT-2", "a decoder-only Transformer in the Hugging Face GPT-2 layout (`transformers` loads this folder as "
                        "it is: `GPT2LMHeadModel.from_pretrained`)", "text-art"),
    "lstm": ("An LSTM", "an embedding, a stacked LSTM and a projection onto the tied output embedding, stored as a "
                        "PyTorchModelHubMixin folder (`model_type` genart-lstm)", "text-art-lstm"),
}


def model_card(run: dict) -> str:
    s = run["summary"]
    kind, body, name = ABOUT[s["arch"]]
    examples = "\n".join(f"- {line}" for line in run["examples"])
    training = training_section(run, [
        f"- **Data**: {s['train_lines']:,} lines from `genart.data.text_corpus` (corpus seed {s['corpus_seed']}),\n"
        f"  {s['train_tokens']:,} tokens; validation on 4,096 lines from another seed.",
        "- **Optimisation**: AdamW (betas 0.9 / 0.95, weight decay 0.1), cosine schedule with warm-up, batch "
        f"{s['batch_size']}\n  blocks of {s['block_size']} tokens that start at line starts, {s['steps']:,} steps."])
    return f"""# {name}

{kind} language model of {s["parameters"] / 1e6:.2f} M parameters that writes artwork titles and descriptions in the
style of genart's grammar: {body}. Weights in {s["weights"]} safetensors. Byte-level BPE tokenizer trained with
`tokenizers` on the same corpus ({s["vocab_size"]} tokens; `<|endoftext|>` ends a line and starts the next). Context
{s["block_size"]} tokens.

```bash
python -m genart text --model {name} --prompt "«Quiet" --max-new-tokens 64
```

{training}
## Measured

With the {s["weights"]} weights as shipped, {s["samples"]} lines sampled from the start token alone at temperature
{s["temperature"]} (no top-k / top-p):

| figure | value |
|---|---|
| validation loss (nats per token) | {s["val_loss"]:.4f} |
| lines the grammar accepts | {s["grammar_accepted"]:.1%} |
| lines not in the training corpus verbatim | {s["not_in_training"]:.1%} |
| lines both accepted and new | {s["accepted_and_new"]:.1%} |
| distinct lines | {s["distinct"]:.1%} |

Re-measure with `python -m genart.metrics.text_quality --model {name}`. First samples:

{examples}

## Limits

It knows only the grammar's vocabulary: a prompt outside it (other words, other languages) gets text that drifts back
into the grammar or breaks down. It is a demonstration model for comparing an RNN with a Transformer, not a general
writer.
"""


def write_text_card(run: dict, folder: Path):
    write_card(folder, ["text-generation"], "text-generation", model_card(run))
