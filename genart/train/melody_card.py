"""The model card (README.md) of a melody model trained by melody_lm.py, written from its training log so the figures
on the card are the ones measured."""
import sys
from pathlib import Path

from genart.checkpoint_io import training_runs
from genart.train.card import continued_from, training_section, write_card

ABOUT = {
    "gpt2": ("A small GPT-2", "a decoder-only Transformer in the Hugging Face GPT-2 layout (`transformers` loads it as "
                              "`GPT2LMHeadModel`)", "melody-transformer"),
    "lstm": ("An LSTM", "MelodyRNN's shape: an embedding, two LSTM layers and a projection onto the tied output "
                        "embedding, stored as a PyTorchModelHubMixin folder (`model_type` genart-lstm)", "melody-lstm"),
}
ROWS = (("pitch_class_distance", "pitch-class histogram distance (relative to the key, TV)", "{:.3f}"),
        ("interval_distance", "interval histogram distance (TV)", "{:.3f}"),
        ("in_key", "notes in the tune's key", "{:.1%}"),
        ("repeated_bars", "bars that repeat an earlier bar", "{:.1%}"),
        ("longest_copied_median", "longest run copied from a training tune, median (notes)", "{:.0f}"),
        ("copied_16_or_more", "tunes with a copied run of 16 notes or more", "{:.1%}"),
        ("notes_per_tune", "notes per tune", "{:.1f}"))


def quality_table(quality: dict) -> str:
    lines = ["| figure | this model | held-out tunes |", "|---|---|---|"]
    for key, label, fmt in ROWS:
        lines.append(f"| {label} | {fmt.format(quality['model'][key])} | {fmt.format(quality['held_out'][key])} |")
    return "\n".join(lines)


def model_card(run: dict, runs_before: list[dict]) -> str:
    s, q = run["summary"], run["quality"]
    kind, body, name = ABOUT[s["arch"]]
    training = training_section(run, [*continued_from(runs_before, lambda summary: f", validation loss {summary['val_loss']:.4f}"),
        f"- **Data**: O'Neill's *Music of Ireland* (1850, public domain) as music21's corpus ships it: "
        f"{s['train_tunes']:,} tunes\n  ({s['train_steps_of_music']:,} 16th-note steps) for training, "
        f"{s['held_out_tunes']} held out by tune (`genart.data.melodies`).",
        f"- **Windows**: START, then {s['block_size']} steps of a tune from a random bar, moved to a random key "
        "(-5 to +6\n  semitones) that keeps it inside MIDI 48-84.",
        "- **Optimisation**: AdamW (betas 0.9 / 0.95, weight decay 0.1), cosine schedule with warm-up, batch "
        f"{s['batch_size']},\n  {s['steps']:,} steps."])
    return f"""# {name}

{kind} of {s["parameters"] / 1e6:.2f} M parameters that writes monophonic melodies in the MelodyRNN event encoding
(one event per 16th note: a pitch's note-on from MIDI 48 to 84, no event, or note off; {s["vocab_size"]} tokens with
START): {body}. Weights in {s["weights"]} safetensors. Context {s["block_size"]} steps (24 bars).

```bash
python -m genart melody --model {name} --seed 1 --bars 8 --out tune.wav   # also tune.mid and tune.png
```

{training}
## Measured

With the weights as shipped: validation loss {s["val_loss"]:.4f} nats per event on the held-out tunes.
{q["samples"]} melodies of {q["bars"]} bars sampled from START alone at temperature {q["temperature"]} (no top-k /
top-p), measured against the held-out tunes' first {q["bars"]} bars. The right column measures the held-out tunes
themselves the same way against the training tunes: how far two sets of real tunes are apart.

{quality_table(q)}

Keys come from the Krumhansl-Kessler profiles; copied runs are compared as intervals and lengths, so a run copied in
another key counts. Re-measure with `python -m genart.metrics.melody_quality --model {name}`.

## Limits

It knows Irish dance tunes from one 1850 collection, one note at a time, in 16th notes: no chords, no dynamics, no
triplets, and it writes in 4/4 bars whatever metre its phrases came from.
"""


def write_melody_card(folder: Path):
    """The card of the folder's last run, naming the runs it continued from."""
    *runs_before, run = training_runs(folder)
    write_card(folder, ["music-generation", "midi"], "audio-to-audio", model_card(run, runs_before))


if __name__ == "__main__":  # the card written again from a folder's training log: python -m genart.train.melody_card DIR
    write_melody_card(Path(sys.argv[1]))
