"""The image VAE: its network, the shipped vae-art-64 (samples, encoding, interpolation between images), its Hub
layout, replay, and its training script."""
import json

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save

from genart import hub, runtime
from genart.data.procedural import CLASSES, render
from genart.errors import GenartError
from genart.loaders import load_model
from genart.metrics.inpaint_quality import HELD_OUT_SEEDS
from genart.models.vae import ConvVAE, VAEConfig
from genart.pipelines.encode import EncodeSettings, encode
from genart.pipelines.generate import GenerateSettings, generate
from genart.pipelines.interpolate import InterpolateSettings, interpolate
from genart.pipelines.remake import remake_file
from genart.pipelines.runner import run
from genart.registry import get_spec
from genart.train import vae as vae_trainer
from tests.checkpoints import safetensors_bytes


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image).astype(int)


def test_the_network_encodes_to_a_posterior_and_decodes_classes_and_their_mixtures():
    torch.manual_seed(0)
    model = ConvVAE(VAEConfig(latent_dim=8, hidden_size=8, num_classes=3, label_dim=4)).eval()
    x = torch.rand(2, 3, 64, 64) * 2 - 1
    mean, logvar = model.encode(x)
    assert mean.shape == logvar.shape == (2, 8)
    images = model.decode(mean, torch.tensor([0, 2]))
    assert images.shape == (2, 3, 64, 64) and images.abs().max() <= 1
    one_hot = torch.nn.functional.one_hot(torch.tensor([0, 2]), 3).float()  # class weights reach the same embedding
    assert torch.allclose(model.decode(mean, one_hot), images, atol=1e-6)
    with pytest.raises(ValueError, match="class-conditional"):
        model.decode(mean)


def test_shipped_samples_are_seeded_prefix_stable_and_follow_the_temperature():
    first = generate("vae-art-64", GenerateSettings(seed=3, n=4, label="mandala", truncation=1.0))
    again = generate("vae-art-64", GenerateSettings(seed=3, n=2, label="mandala", truncation=1.0))
    assert all(np.array_equal(pixels(a.image), pixels(b.image)) for a, b in zip(first, again))
    assert not np.array_equal(pixels(first[0].image), pixels(first[1].image))
    cold = generate("vae-art-64", GenerateSettings(seed=3, n=4, label="mandala", truncation=0.1))
    spread = lambda arts: np.std([pixels(a.image) for a in arts], axis=0).mean()  # noqa: E731
    assert spread(cold) < 0.5 * spread(first)  # a cold prior gives nearly the class's mean image
    with pytest.raises(GenartError, match="truncation of at most 2"):
        generate("vae-art-64", GenerateSettings(truncation=3.0))


def held_out(label: str, seed: int) -> Image.Image:
    return render(label, HELD_OUT_SEEDS + seed, 64)


def test_held_out_art_is_reconstructed_and_its_class_recognised():
    right, gains = 0, []
    for k, label in enumerate(CLASSES):
        for seed in range(3):
            image = held_out(label, seed)
            art, line = encode("vae-art-64", image)
            right += art.record["nearest_class"] == label
            blank = generate("vae-art-64", GenerateSettings(seed=0, label=label, truncation=0.1))[0].image
            blank_error = np.square(pixels(blank) - pixels(image)).mean()
            gains.append(10 * np.log10(blank_error / np.square(pixels(art.image) - pixels(image)).mean()))
            assert f"PSNR {art.record['psnr']:.2f} dB" in line
    assert right >= 16  # of 18 (18 when measured)
    assert np.mean(gains) > 6  # dB over the class's near-mean image (11.2 when measured): the encoder carries the image


def test_a_gan_has_no_encoder_and_bad_uploads_are_refused():
    with pytest.raises(GenartError, match="dcgan-art-64 has no encoder.*vae-art-64"):
        encode("dcgan-art-64", held_out("mandala", 0))
    with pytest.raises(GenartError, match="dcgan-art-64 has no encoder"):
        interpolate("dcgan-art-64", InterpolateSettings(), image_a=held_out("mandala", 0))
    with pytest.raises(GenartError, match="Add an image"):
        encode("vae-art-64", None)
    with pytest.raises(GenartError, match="use one from 32"):
        encode("vae-art-64", Image.new("RGB", (8, 8)))
    with pytest.raises(GenartError, match="makes these classes"):
        encode("vae-art-64", held_out("mandala", 0), EncodeSettings(label="cubism"))


def test_an_interpolation_starts_at_an_images_reconstruction_and_replays_from_the_file(tmp_path):
    image_a, image_b = held_out("mandala", 1), held_out("landscape", 2)
    art, _ = encode("vae-art-64", image_a, EncodeSettings(label="mandala"))
    for temperature in (1.0, 0.7):  # an encoded end is the image's latent whatever the prior's temperature
        walk = interpolate("vae-art-64", InterpolateSettings(frames=5, label="mandala", truncation=temperature),
                           image_a=image_a, image_b=image_b)
        assert np.abs(pixels(walk.frames[0]) - pixels(art.image)).max() <= 1
    assert len(walk.record["latent_a"]) == len(walk.record["latent_b"]) == 64
    seed_end = interpolate("vae-art-64", InterpolateSettings(frames=5, seed_b=4, label="mandala", truncation=0.7),
                           image_a=image_a)
    alone = generate("vae-art-64", GenerateSettings(seed=4, label="mandala", truncation=0.7))[0]
    assert np.array_equal(pixels(seed_end.frames[-1]), pixels(alone.image))  # an upload and a seed
    path = walk.save(tmp_path / "walk.webp")
    _, remade = remake_file(path)  # the file alone: its record holds the latents
    assert all(np.array_equal(pixels(a), pixels(b)) for a, b in zip(walk.frames, remade.frames))
    with pytest.raises(GenartError, match="From latent has 3 numbers; this model's latent has 64"):
        interpolate("vae-art-64", InterpolateSettings(latent_a=[0.0, 1.0, 2.0]))


def test_a_reconstruction_replays_from_its_png(tmp_path):
    art, _ = encode("vae-art-64", held_out("geometric", 0).resize((100, 80)))
    _, remade = remake_file(art.save(tmp_path / "rec.png"))
    assert np.array_equal(pixels(remade.image), pixels(art.image)) and remade.record == art.record
    assert run("encode", "vae-art-64", art.record, art.inputs).record["nearest_class"] == art.record["nearest_class"]


def test_a_hub_vae_in_our_layout_is_detected_and_loaded_strictly(hub_server):
    torch.manual_seed(1)
    config = VAEConfig(latent_dim=8, hidden_size=8, num_classes=2, label_dim=4, class_names=["a", "b"])
    model = ConvVAE(config).eval()
    files = {"config.json": json.dumps({**config.__dict__}).encode(), "model.safetensors": safetensors_bytes(model)}
    hub_server.repos.commit("someone/tiny-vae", files)
    loaded = load_model(get_spec("hf-hub:someone/tiny-vae"))
    assert loaded.arch == "vae"
    art, _ = encode("hf-hub:someone/tiny-vae", held_out("mandala", 0), EncodeSettings(label="b"))
    x = torch.from_numpy(np.asarray(held_out("mandala", 0))).permute(2, 0, 1)[None].float() / 127.5 - 1
    with torch.no_grad():
        expected = ((model.decode(model.encode(x)[0], torch.tensor([1])) + 1) * 127.5).round()[0].permute(1, 2, 0)
    assert np.abs(pixels(art.image) - expected.numpy()).max() <= 1
    state = dict(model.state_dict())
    state.pop("posterior.bias")
    hub_server.repos.commit("someone/broken-vae", {"config.json": files["config.json"],
                                                  "model.safetensors": save(state)})
    with pytest.raises(GenartError, match="does not fit its architecture: missing posterior.bias"):
        load_model(get_spec("hf-hub:someone/broken-vae"))


def test_the_training_script_writes_a_loadable_model(tmp_path, monkeypatch):
    out = tmp_path / "weights" / "vae-art-64"
    vae_trainer.main(["--steps", "3", "--per-class", "4", "--hidden-size", "8", "--latent-dim", "8",
                      "--batch-size", "8", "--kl-warmup", "2", "--log-every", "1", "--out", str(out)])
    run_log = json.loads((out / "training_log.json").read_text())["runs"][-1]
    assert [e["step"] for e in run_log["log"]] == [1, 2, 3] and all(e["kl"] > 0 for e in run_log["log"])
    assert (out / "samples.png").exists()
    monkeypatch.setattr(hub, "WEIGHTS_DIR", tmp_path / "weights")
    monkeypatch.setattr(runtime, "MODELS", runtime.ModelCache(2))
    assert load_model(get_spec("vae-art-64")).module.config.latent_dim == 8
    assert len(generate("vae-art-64", GenerateSettings(n=2, label="geometric"))) == 2

