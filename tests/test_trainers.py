"""Each image training script runs end to end for a few steps and writes a folder that loads as its registry model."""
import pytest
import torch

from genart import hub, runtime
from genart.loaders import load_model
from genart.registry import get_spec
from genart.train import dcgan, denoise, fast_style, inpaint


@pytest.mark.parametrize("name, script, args", [
    ("dcgan-art-64", dcgan, ["--steps", "2", "--per-class", "4", "--hidden-size", "8", "--batch-size", "8",
                             "--ac-weight", "0.5"]),
    ("inpaint-art", inpaint, ["--steps", "2", "--per-class", "2", "--masks", "4", "--size", "64", "--width", "8"]),
    ("denoise-art", denoise, ["--steps", "2", "--per-class", "2", "--size", "64", "--crop", "32", "--width", "8",
                              "--depth", "3"]),
    ("fast-stained-glass", fast_style, ["--steps", "2", "--per-class", "2", "--size", "32", "--style-size", "32"]),
])
def test_training_script_writes_a_loadable_model(tmp_path, monkeypatch, name, script, args):
    weights = tmp_path / "weights"
    script.main([*args, "--out", str(weights / name), "--log-every", "1"])
    assert (weights / name / "training_log.json").exists()
    monkeypatch.setattr(hub, "WEIGHTS_DIR", weights)
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))  # not the shipped model from an earlier test
    module = load_model(get_spec(name)).module
    assert all(p.dtype == torch.float32 for p in module.parameters())  # saved in float16, run in float32 on a CPU
