"""Each image training script runs end to end for a few steps and writes a folder that loads as its registry model."""
import copy
import functools
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from genart import hub, runtime
from genart.checkpoint_io import save_hub_folder
from genart.data.datasets import art_dataset
from genart.loaders import load_model
from genart.metrics import inpaint_quality
from genart.metrics.gan_quality import predict, to_tensor
from genart.models.art_classifier import ArtClassifier, ArtClassifierConfig
from genart.models.dcgan import DCGANConfig, DCGANGenerator
from genart.registry import get_spec
from genart.train import common, dcgan, denoise, fast_style, gan_checks, gan_state, inpaint
from genart.train.resize_kernels import ResizeKernel, constrain, folded


@pytest.fixture(autouse=True)
def dcgan_states_in_tmp(tmp_path, monkeypatch):
    """The DCGAN trainer's states go to the test's folder, not the user's cache."""
    monkeypatch.setattr(gan_state, "STATE_DIR", tmp_path / "states")


@pytest.fixture(autouse=True)
def quick_recalibration(monkeypatch):
    """Four batches of 256 latents recalibrate a test DCGAN's BatchNorm statistics; a real run draws 20."""
    monkeypatch.setattr(dcgan, "recalibrate_batchnorm", functools.partial(gan_checks.recalibrate_batchnorm, batches=4))


@pytest.mark.parametrize("name, script, args", [
    ("dcgan-art-64", dcgan, ["--steps", "2", "--per-class", "4", "--hidden-size", "8", "--batch-size", "8",
                             "--ac-weight", "0.5", "--lr-decay", "--precision", "bf16", "--diff-augment",
                             "--repeat-penalty", "1", "--resize-kernels"]),
    ("inpaint-art", inpaint, ["--steps", "2", "--per-class", "2", "--photo-crops", "2", "--masks", "4", "--size", "64",
                             "--width", "8", "--loss", "psnr"]),
    ("denoise-art", denoise, ["--steps", "2", "--per-class", "2", "--photo-crops", "2", "--size", "64", "--crop", "32",
                              "--width", "8", "--depth", "3"]),
    ("fast-stained-glass", fast_style, ["--steps", "2", "--per-class", "2", "--photo-crops", "2", "--size", "32",
                                        "--style-size", "32", "--width", "8"]),
])
def test_training_script_writes_a_loadable_model(tmp_path, monkeypatch, name, script, args):
    weights = tmp_path / "weights"
    script.main([*args, "--out", str(weights / name), "--log-every", "1"])
    assert (weights / name / "training_log.json").exists()
    monkeypatch.setattr(hub, "WEIGHTS_DIR", weights)
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))  # not the shipped model from an earlier test
    module = load_model(get_spec(name)).module
    assert all(p.dtype == torch.float32 for p in module.parameters())  # saved in float16, run in float32 on a CPU


def test_inpaint_psnr_loss_is_minus_the_measures_mean_psnr_in_the_hole():
    torch.manual_seed(0)
    truth, out = torch.rand(4, 3, 32, 32), torch.rand(4, 3, 32, 32)
    masks = (torch.rand(4, 1, 32, 32) < torch.tensor([0.1, 0.3, 0.5, 0.9])[:, None, None, None]).float()
    out[0] = truth[0] + 0.1 * (out[0] - 0.5)  # a near miss beside three far ones: each image counts the same
    measured = [inpaint_quality.psnr(255 * o.permute(1, 2, 0).numpy(), 255 * t.permute(1, 2, 0).numpy(),
                                     m[0].numpy() > 0.5) for o, t, m in zip(out, truth, masks)]
    assert inpaint.LOSSES["psnr"](out - truth, masks).item() == pytest.approx(-np.mean(measured), abs=0.01)  # the floor: < 0.01 dB here


@pytest.mark.parametrize("script, small", [
    (denoise, ["--per-class", "2", "--photo-crops", "2", "--size", "64", "--crop", "32", "--depth", "3"]),
    (inpaint, ["--per-class", "2", "--photo-crops", "2", "--masks", "4", "--size", "64"]),
    (fast_style, ["--per-class", "2", "--photo-crops", "2", "--size", "32", "--style-size", "32"]),
])
def test_init_from_continues_the_folders_network_and_log(tmp_path, script, small):
    first, second = tmp_path / "first", tmp_path / "second"
    script.main(["--steps", "2", "--width", "8", "--out", str(first), "--log-every", "1", *small])
    # The network's shape comes from the folder (a width of 4 is not used); lr 0 leaves its weights as they were.
    script.main(["--steps", "1", "--width", "4", "--init-from", str(first), "--out", str(second), "--log-every", "1",
                 "--lr", "0", *small])
    runs = json.loads((second / "training_log.json").read_text())["runs"]
    assert len(runs) == 2 and runs[0]["summary"]["steps"] == 2
    before, after = load_file(first / "model.safetensors"), load_file(second / "model.safetensors")
    learned = [k for k in before if "running_" not in k and "num_batches" not in k]  # BatchNorm's statistics move
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in learned)


def test_a_style_network_continues_only_with_its_own_style(tmp_path):
    small = ["--per-class", "2", "--photo-crops", "2", "--size", "32", "--style-size", "32", "--width", "8", "--log-every", "1"]
    fast_style.main(["--steps", "1", "--out", str(tmp_path / "first"), *small])
    with pytest.raises(SystemExit, match="was trained on stained_glass .*; give its --style-class and --style-seed"):
        fast_style.main(["--steps", "1", "--style-class", "mondrian", "--init-from", str(tmp_path / "first"),
                         "--out", str(tmp_path / "second"), *small])


def test_dcgan_keep_best_keeps_the_generator_closest_to_real_art(tmp_path, monkeypatch):
    torch.manual_seed(0)
    # An untrained classifier keeps the test fast: what is tested is which generator the trainer keeps.
    classifier = ArtClassifier(ArtClassifierConfig(num_classes=6)).eval()
    monkeypatch.setattr(dcgan, "train_classifier", lambda: classifier)
    # Smaller sets of samples and held-out art than a real run's (600 each).
    small_judge = functools.partial(gan_checks.judge, per_class=20)
    monkeypatch.setattr(dcgan, "judge", small_judge)
    monkeypatch.setattr(dcgan, "validation_features", lambda c: predict(c, to_tensor(art_dataset(
        20, 64, first_seed=gan_checks.VALIDATION_SEEDS)[0]))[1])
    out = tmp_path / "gan"
    dcgan.main(["--steps", "4", "--per-class", "4", "--hidden-size", "8", "--batch-size", "8", "--keep-best",
                "--log-every", "1", "--out", str(out)])
    run = json.loads((out / "training_log.json").read_text())["runs"][-1]
    distances = [entry["frechet"] for entry in run["log"]]
    assert len(distances) == 4 and all(d >= 0 for d in distances)
    assert all(0 <= entry["class_agreement"] <= 1 and -1 <= entry["repeat_16px"] <= 1 for entry in run["log"])
    assert all(0 <= entry["precision"] <= 1 and 0 <= entry["recall"] <= 1 for entry in run["log"])
    assert run["summary"]["kept_step"] == run["log"][distances.index(min(distances))]["step"]
    assert torch.load(dcgan.state_path(out), weights_only=True)["step"] == run["summary"]["kept_step"]
    kept = DCGANGenerator(DCGANConfig(**json.loads((out / "config.json").read_text())))
    kept.load_state_dict(load_file(out / "model.safetensors"))
    real_features = dcgan.validation_features(classifier)
    assert small_judge(kept, classifier, real_features, torch.device("cpu"))["frechet"] == pytest.approx(
        min(distances), rel=1e-3)


def test_dcgan_writes_the_last_step_beside_an_earlier_kept_one(tmp_path, monkeypatch):
    classifier = ArtClassifier(ArtClassifierConfig(num_classes=6)).eval()
    monkeypatch.setattr(dcgan, "train_classifier", lambda: classifier)
    distances = iter([0.5, 0.2, 0.9])  # the check's figure by log step: step 2 is kept
    judged = []

    def judge(generator, *args):
        judged.append(copy.deepcopy(generator.state_dict()))
        return {"frechet": next(distances)}

    monkeypatch.setattr(dcgan, "judge", judge)
    out = tmp_path / "gan"
    dcgan.main(["--steps", "3", "--per-class", "4", "--hidden-size", "8", "--batch-size", "8", "--keep-best",
                "--log-every", "1", "--resize-kernels", "--out", str(out)])
    summary = json.loads((out / "training_log.json").read_text())["runs"][-1]["summary"]
    last = tmp_path / "gan-last"
    assert summary["kept_step"] == 2 and summary["last_step_folder"] == str(last)
    assert (last / "samples.png").exists()
    assert torch.load(dcgan.state_path(last), weights_only=True)["step"] == 3
    assert torch.load(dcgan.state_path(out), weights_only=True)["step"] == 2
    for folder, step in ((out, 2), (last, 3)):  # each folder holds the generator judged at its step, folded
        saved = load_file(folder / "model.safetensors")
        generator = dcgan.constrain(DCGANGenerator(DCGANConfig(**json.loads((folder / "config.json").read_text()))))
        generator.load_state_dict(judged[step - 1])
        assert torch.equal(saved["model.3.weight"], generator.model[3].weight.detach())


def test_dcgan_continues_with_the_discriminator_and_optimisers_it_saved(tmp_path):
    small = ["--per-class", "4", "--hidden-size", "8", "--batch-size", "8", "--log-every", "1", "--mode-seeking", "1"]
    first, second = tmp_path / "first", tmp_path / "second"
    dcgan.main(["--steps", "3", "--out", str(first), *small])
    saved = torch.load(dcgan.state_path(first), weights_only=True)
    assert saved["step"] == 3
    dcgan.main(["--steps", "2", "--init-from", str(first), "--out", str(second), "--lr-decay", *small])
    run = json.loads((second / "training_log.json").read_text())["runs"][-1]
    assert run["summary"]["resumed_from_step"] == 3
    state = torch.load(dcgan.state_path(second), weights_only=True)
    # Adam's step counts carry on from the first run: its optimisers were restored, not made afresh.
    assert all(s["step"].item() == 5 for s in state["opt_d"]["state"].values())
    assert all(s["step"].item() == 5 for s in state["opt_g"]["state"].values())
    changed = [k for k, v in state["discriminator"].items() if not torch.equal(v, saved["discriminator"][k])]
    assert changed, "the restored discriminator went on training"


def test_mode_seeking_loss_is_higher_when_latents_give_the_same_image():
    z = torch.randn(8, 100)
    same = torch.rand(1, 3, 16, 16).expand(8, 3, 16, 16)
    different = torch.rand(8, 3, 16, 16)
    assert dcgan.mode_seeking_loss(same, z) > 1000 * dcgan.mode_seeking_loss(different, z)


def test_repeat_penalty_charges_tiled_samples_beyond_their_class_and_can_be_trained_away():
    tiled = torch.rand(4, 3, 16, 16).repeat(1, 1, 4, 4).requires_grad_()  # (4, 3, 64, 64): each one tile 16 times
    varied = torch.rand(4, 3, 64, 64)
    labels, real = torch.tensor([0, 1, 0, 1]), torch.tensor([0.0, 0.2])
    assert dcgan.repeat_penalty(varied, labels, real) < 0.05
    assert dcgan.repeat_penalty(tiled, labels, real) > 0.7  # about 1 - 0 and 1 - 0.2, averaged
    assert dcgan.repeat_penalty(tiled, labels, torch.tensor([1.0, 1.0])) == 0  # no charge up to the class's own level
    dcgan.repeat_penalty(tiled, labels, real).backward()
    assert tiled.grad.abs().sum() > 0


def test_a_resize_kernel_is_a_nearest_resize_then_a_3x3_convolution():
    torch.manual_seed(0)
    w3, x = torch.randn(5, 7, 3, 3), torch.randn(2, 5, 6, 6)  # (c_in, c_out, 3, 3), (B, c_in, 6, 6)
    resized = torch.nn.functional.interpolate(x, scale_factor=2, mode="nearest")
    expected = torch.nn.functional.conv2d(resized, w3.transpose(0, 1), padding=1)  # (2, 7, 12, 12)
    got = torch.nn.functional.conv_transpose2d(x, ResizeKernel()(w3), stride=2, padding=1)
    assert torch.allclose(got, expected, atol=1e-5)


def test_a_constrained_generator_folds_to_the_plain_layout_with_the_same_output():
    torch.manual_seed(0)
    config = DCGANConfig(hidden_size=8, num_classes=6, label_dim=4)
    trained = constrain(DCGANGenerator(config))
    assert sum(".parametrizations." in k for k in trained.state_dict()) == 4  # the four x2 layers
    plain = folded(trained).eval()
    assert sorted(plain.state_dict()) == sorted(DCGANGenerator(config).state_dict())
    z, labels = torch.randn(4, 100), torch.arange(4)
    assert torch.equal(plain(z, labels), trained.eval()(z, labels))


@pytest.mark.parametrize("name, arch, small", [
    ("melody-lstm", "lstm", ["--width", "16", "--lstm-hidden", "16", "--layers", "1"]),
    ("melody-transformer", "gpt2", ["--width", "64", "--layers", "1"]),
])
def test_the_melody_trainer_writes_a_model_that_plays(tmp_path, monkeypatch, name, arch, small):
    from genart.pipelines import runner
    from genart.train import melody_lm

    weights = tmp_path / "weights"
    melody_lm.main(["--arch", arch, "--files", "1", "--steps", "2", "--batch-size", "4", "--samples", "4",
                    "--log-every", "1", "--out", str(weights / name), *small])
    run = json.loads((weights / name / "training_log.json").read_text())["runs"][-1]
    assert run["summary"]["held_out_tunes"] > 0 and run["summary"]["train_tunes"] > run["summary"]["held_out_tunes"]
    assert run["quality"]["model"]["tunes"] == 4 and "## Measured" in (weights / name / "README.md").read_text()
    monkeypatch.setattr(hub, "WEIGHTS_DIR", weights)
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))
    output = runner.run("melody", name, {"bars": 1}, {})
    assert output.record["weights_sha256"] != "" and len(output.sound.samples) > 0


def test_the_repair_trainer_writes_a_model_that_repairs(tmp_path, monkeypatch):
    from genart.audio.sound import Clip
    from genart.audio.synth import SAMPLE_RATE
    from genart.pipelines import runner
    from genart.train import repair_vae

    folder = tmp_path / "weights" / "audio-repair-vae"
    repair_vae.main(["--files", "1", "--steps", "40", "--batch-size", "2", "--width", "8", "--examples", "8",
                     "--val-examples", "4", "--workers", "1", "--clips", "2", "--log-every", "20", "--out", str(folder)])
    run = json.loads((folder / "training_log.json").read_text())["runs"][-1]
    assert [e["step"] for e in run["log"]] == [20, 40] and run["summary"]["train_windows"] == 8
    table = run["quality"]["snr_in_gap"]
    assert set(table) == {"audio-repair-vae", "lpc-interpolation", "silence"} and len(table["silence"]) == 4
    assert "| audio-repair-vae - lpc-interpolation |" in (folder / "README.md").read_text()
    monkeypatch.setattr(hub, "WEIGHTS_DIR", folder.parent)
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))
    tone = np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
    output = runner.run("repair", "audio-repair-vae", {"gap_start": 0.5, "gap_ms": 20}, {"audio": Clip(tone, SAMPLE_RATE)})
    assert output.record["weights_sha256"] != "" and len(output.sound.samples) == SAMPLE_RATE


def test_the_training_log_records_the_command_as_it_was_typed(monkeypatch):
    package = Path(common.__file__).resolve().parents[1]
    monkeypatch.setattr(sys, "argv", [str(package / "__main__.py"), "train", "fast-stained-glass", "--steps", "2"])
    assert common.typed_command("genart.train.fast_style") == "python -m genart train fast-stained-glass --steps 2"
    monkeypatch.setattr(sys, "argv", [str(package / "train" / "fast_style.py"), "--steps", "2"])
    assert common.typed_command("genart.train.fast_style") == "python -m genart.train.fast_style --steps 2"


@pytest.mark.parametrize("later_lr", ["0", "1e-3"])
def test_text2art_trains_on_captions_and_writes_a_model_that_draws_them(tmp_path, monkeypatch, later_lr):
    from genart.train import text2art, text2art_checks

    torch.manual_seed(0)
    monkeypatch.setattr(text2art_checks, "train_classifier", lambda: ArtClassifier(ArtClassifierConfig(num_classes=6)))
    weights = tmp_path / "weights"
    dcgan = DCGANGenerator(DCGANConfig(hidden_size=8, num_classes=6, label_dim=16))
    save_hub_folder(dcgan, dcgan.config, tmp_path / "dcgan")
    text2art.main(["--steps", "2", "--encoder-steps", "2", "--per-class", "8", "--check-per-class", "12",
                   "--hidden-size", "8", "--batch-size", "8", "--diff-augment", "--log-every", "1",
                   "--colour-weight", "0.5", "--modulated-blocks", "2",
                   "--generator-from", str(tmp_path / "dcgan"), "--later-lr", later_lr, "--align-steps", "2",
                   "--out", str(weights / "text2art-64")])
    run = json.loads((weights / "text2art-64" / "training_log.json").read_text())["runs"][-1]
    assert {"class_agreement", "colour_agreement"} <= run["log"][-1].keys() and run["summary"]["vocabulary"] > 20
    written = load_file(weights / "text2art-64" / "model.safetensors")
    later = {k: v for k, v in dcgan.state_dict().items() if k.startswith("model.") and "running" not in k
             and int(k.split(".")[1]) >= text2art.FIRST_BLOCK and v.is_floating_point()}
    kept = [torch.equal(written[f"generator.{k}"], v.half()) for k, v in later.items()]
    assert all(kept) if later_lr == "0" else not any(kept)  # frozen: the DCGAN's later layers as they were
    assert not torch.equal(written["generator.model.0.weight"][:100], dcgan.state_dict()["model.0.weight"][:100].half())
    assert written["modulation.weight"].shape == (2 * (16 + 8), 128) and written["modulation.weight"].abs().sum() > 0
    monkeypatch.setattr(hub, "WEIGHTS_DIR", weights)
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))
    from genart.pipelines.imagine import ImagineSettings, imagine

    *_, last = imagine("text2art-64", ImagineSettings(prompt="a red mandala", n=2))
    assert [a.image.size for a in last.artworks] == [(64, 64)] * 2
    if later_lr == "0":
        return
    # Trained on: the text encoder and vocabulary kept, a fresh discriminator alone first, then the generator moves.
    text2art.main(["--resume", str(weights / "text2art-64"), "--steps", "1", "--critic-warmup", "1", "--per-class",
                   "8", "--check-per-class", "12", "--batch-size", "8", "--log-every", "1", "--later-lr", later_lr,
                   "--out", str(tmp_path / "resumed")])
    resumed = load_file(tmp_path / "resumed" / "model.safetensors")
    assert all(torch.equal(resumed[k], v) for k, v in written.items() if k.startswith("text."))
    assert not torch.equal(resumed["generator.model.0.weight"], written["generator.model.0.weight"])
    assert json.loads((tmp_path / "resumed" / "config.json").read_text())["vocab"] == \
        json.loads((weights / "text2art-64" / "config.json").read_text())["vocab"]


def test_text2art_modulation_starts_as_the_plain_generator_and_then_moves_per_caption():
    """modulated_blocks: zero at first, the caption's scales and shifts leave the generator drawing what it drew
    without them; once they are not zero, two captions with one latent draw different pictures."""
    from genart.models.text2art import Text2ArtConfig, Text2ArtGenerator

    torch.manual_seed(2)
    gen = Text2ArtGenerator(Text2ArtConfig(vocab=["a"], hidden_size=8, modulated_blocks=2)).eval()
    plain = Text2ArtGenerator(Text2ArtConfig(vocab=["a"], hidden_size=8)).eval()
    plain.load_state_dict({k: v for k, v in gen.state_dict().items() if not k.startswith("modulation.")})
    noise, embedding = torch.randn(1, 132).expand(2, 132), torch.randn(2, 128)
    with torch.no_grad():
        assert torch.equal(gen(noise, embedding), plain(noise, embedding))
        gen.modulation.weight.normal_(0, 0.1)
        drawn = gen(noise, embedding)
    assert not torch.equal(drawn, plain(noise, embedding)) and not torch.allclose(drawn[0], drawn[1])
    with pytest.raises(ValueError, match="use 0 to 3"):
        Text2ArtGenerator(Text2ArtConfig(vocab=["a"], modulated_blocks=4))


def test_text2art_can_start_from_the_class_conditional_dcgan(tmp_path):
    """--generator-from: with a condition equal to a class's embedding, the started generator draws what the DCGAN
    draws for that class."""
    from genart.models.text2art import Text2ArtConfig, Text2ArtGenerator
    from genart.train.text2art import from_dcgan

    torch.manual_seed(1)
    dcgan = DCGANGenerator(DCGANConfig(hidden_size=8, num_classes=6, label_dim=16)).eval()
    folder = tmp_path / "dcgan"
    save_hub_folder(dcgan, dcgan.config, folder)
    gen = Text2ArtGenerator(Text2ArtConfig(vocab=["a"], hidden_size=8)).eval()
    from_dcgan(gen, folder)
    z, labels = torch.randn(4, 100), torch.tensor([0, 2, 4, 5])
    condition = torch.cat([dcgan.label_embedding(labels), torch.zeros(4, 16)], dim=1)  # (4, cond_dim 32)
    with torch.no_grad():
        assert torch.equal(gen.generator(torch.cat([z, condition], dim=1)), dcgan(z, labels))
    wide = DCGANGenerator(DCGANConfig(hidden_size=16, num_classes=6, label_dim=16))
    save_hub_folder(wide, wide.config, folder)
    with pytest.raises(SystemExit, match="not a DCGAN of this generator's size"):
        from_dcgan(gen, folder)
