"""The two text models trained here: what they ship, what they write, and the script that trains them."""
import sys
from pathlib import Path

import pytest
import torch
import transformers

from genart.checkpoint_io import last_run
from genart.data.text_corpus import accepts
from genart.loaders import load_model
from genart.metrics.text_quality import measure
from genart.pipelines.text import TextSettings, complete
from genart.registry import get_spec
from genart.train import text_lm
from tests.test_text_loading import logits

WEIGHTS = Path(__file__).resolve().parent.parent / "weights"
MODELS = ["text-art", "text-art-lstm"]


@torch.no_grad()
def test_text_art_is_a_gpt2_checkpoint_that_transformers_loads_as_it_is():
    reference = transformers.GPT2LMHeadModel.from_pretrained(WEIGHTS / "text-art", dtype=torch.float32).eval()
    ours = load_model(get_spec("text-art")).module
    idx = torch.randint(ours.config.vocab_size, (2, 24), generator=torch.Generator().manual_seed(0))
    assert torch.allclose(logits(ours, idx), reference(idx).logits, atol=1e-4)


@pytest.mark.parametrize("name", MODELS)
def test_shipped_text_models_write_lines_the_grammar_accepts(name):
    lines = complete(name, TextSettings(prompt="«Quiet", max_new_tokens=80, temperature=0.8, seed=3, n=8))
    accepted = [accepts("«Quiet" + line) for line in lines]
    assert sum(accepted) >= 6, lines
    assert len(set(lines)) >= 6  # eight seeds of one sampler, not one line repeated


@pytest.mark.parametrize("name", MODELS)
def test_model_card_figures_are_the_measured_ones_and_meet_the_targets(name):
    s = last_run(WEIGHTS / name)["summary"]
    card = (WEIGHTS / name / "README.md").read_text()
    assert f"| validation loss (nats per token) | {s['val_loss']:.4f} |" in card
    assert f"| lines the grammar accepts | {s['grammar_accepted']:.1%} |" in card
    assert s["samples"] == 500 and s["grammar_accepted"] >= 0.9 and s["not_in_training"] >= 0.5
    again = measure(name, 100, 1.0)  # fresh samples (other seeds would do), same model: the same picture
    assert again["grammar_accepted"] >= 0.85 and again["not_in_training"] >= 0.5


@pytest.mark.parametrize("arch", ["gpt2", "lstm"])
def test_the_training_script_writes_a_folder_that_loads(hub_server, tmp_path, monkeypatch, arch):
    out = tmp_path / arch
    monkeypatch.setattr(sys, "argv", ["text_lm"])
    text_lm.main(["--arch", arch, "--out", str(out), "--steps", "3", "--train-lines", "300", "--width", "64",
                  "--layers", "1", "--lstm-hidden", "64", "--log-every", "3"])
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "README.md",
            "training_log.json"} <= files.keys()
    hub_server.repos.commit(f"tiny/text-art-{arch}", files)
    texts = complete(f"hf-hub:tiny/text-art-{arch}", TextSettings(prompt="«Quiet", max_new_tokens=5, temperature=0))
    assert len(texts) == 1 and isinstance(texts[0], str)
