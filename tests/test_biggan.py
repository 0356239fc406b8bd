"""BigGAN-deep against pytorch-pretrained-BigGAN (the package its Hub checkpoints were made with), on random weights
saved in the Hub layout: the same images, from the module, the pipeline and the command line."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pytorch_pretrained_biggan as reference
import torch
from PIL import Image

from genart.data.imagenet import CLASSES
from genart.errors import GenartError
from genart.loaders import load_model
from genart.models.biggan import fold_spectral_norm
from genart.pipelines.generate import GenerateSettings, generate
from genart.pipelines.interpolate import InterpolateSettings, interpolate
from genart.pipelines.latent_models import truncated_latents
from genart.pipelines.remake import remake_file, verdict
from genart.registry import get_spec
from tests.checkpoints import bin_bytes

ROOT = Path(__file__).resolve().parent.parent


def small_biggan(seed: int = 0) -> reference.BigGAN:
    """The 128 px layout (ten blocks, attention before the ninth) at channel width 8; every statistic and gain
    random, so a wrong load would show."""
    torch.manual_seed(seed)
    model = reference.BigGAN(reference.BigGANConfig(z_dim=16, class_embed_dim=16, channel_width=8)).eval()
    for module in model.modules():  # converged power-iteration vectors, as a trained checkpoint has them
        if hasattr(module, "weight_orig"):
            u, _, vh = torch.linalg.svd(module.weight_orig.detach().reshape(module.weight_orig.shape[0], -1))
            module.weight_u.copy_(u[:, 0])
            module.weight_v.copy_(vh[0])
    for name, buffer in model.named_buffers():
        if name.endswith("running_means"):
            buffer.normal_(0, 0.3)
        elif name.endswith("running_vars"):
            buffer.uniform_(0.5, 2.0)
    for name, p in model.named_parameters():
        if name.endswith("gamma"):
            p.data.fill_(0.7)
        elif name == "generator.bn.weight":  # the reference leaves its last norm's affine uninitialised
            p.data.uniform_(0.5, 1.5)
        elif name == "generator.bn.bias":
            p.data.normal_(0, 0.1)
    return model


def publish(hub_server, repo: str, model: reference.BigGAN) -> str:
    hub_server.repos.commit(repo, {"config.json": model.config.to_json_string().encode(),
                                   "pytorch_model.bin": bin_bytes(model)})
    return f"hf-hub:{repo}"


def as_pixels(images: torch.Tensor) -> np.ndarray:
    return ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()  # (B, H, W, 3)


@pytest.mark.parametrize("truncation", [0.4, 0.5, 1.0])  # 0.5: between two recorded statistics
def test_the_module_matches_the_reference(hub_server, truncation):
    model = small_biggan()
    loaded = load_model(get_spec(publish(hub_server, "someone/biggan-module", model), task="generate"))
    assert loaded.arch == "biggan"
    z = torch.from_numpy(reference.truncated_noise_sample(batch_size=3, dim_z=16, truncation=truncation, seed=1))
    labels = torch.tensor([207, 0, 999])
    with torch.no_grad():
        expected = model(z, torch.nn.functional.one_hot(labels, 1000).float(), truncation)
        got = loaded.module(z, labels, truncation)
    assert got.shape == expected.shape == (3, 3, 128, 128) and expected.std() > 0.05
    assert torch.allclose(got, expected, atol=1e-5)


def test_the_command_line_draws_a_class_by_name_as_the_reference_does(hub_server, tmp_path):
    model = small_biggan(seed=1)
    name = publish(hub_server, "someone/biggan-cli", model)
    done = subprocess.run([sys.executable, "-m", "genart", "generate", "--model", name, "--label", "golden retriever",
                           "--seed", "3", "--n", "2", "--truncation", "0.4", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    z = truncated_latents(3, 2, 16) * 0.4  # genart's truncated normal, scaled: what the reference is given
    with torch.no_grad():
        expected = as_pixels(model(z, torch.nn.functional.one_hot(torch.tensor([207, 207]), 1000).float(), 0.4))
    for i in range(2):
        got = np.asarray(Image.open(tmp_path / f"3-{i}.png").convert("RGB"), dtype=np.int16)
        assert np.abs(got - expected[i]).max() <= 1  # one level in 8 bits


def test_truncated_latents_stay_within_two_and_are_prefix_stable():
    z = truncated_latents(5, 64, 128)
    assert z.abs().max() <= 2 and z.std() < 0.95  # a normal cut at ±2 has std 0.88
    assert torch.equal(truncated_latents(5, 3, 128), z[:3])


def test_classes_are_imagenets_by_name_replay_and_truncation_above_one_is_refused(hub_server, tmp_path):
    name = publish(hub_server, "someone/biggan-classes", small_biggan())
    assert CLASSES[207] == "golden retriever" and len(CLASSES) == 1000
    arts = generate(name, GenerateSettings(seed=0, label="goldfish", truncation=0.3))
    assert arts[0].record["label"] == "goldfish" and arts[0].image.size == (128, 128)
    walk = interpolate(name, InterpolateSettings(seed_a=2, seed_b=5, frames=3, label="goldfish", label_b="tench",
                                                 truncation=0.5))
    first = generate(name, GenerateSettings(seed=2, label="goldfish", truncation=0.5))[0].image
    last = generate(name, GenerateSettings(seed=5, label="tench", truncation=0.5))[0].image
    assert np.array_equal(np.asarray(walk.frames[0]), np.asarray(first))
    assert np.array_equal(np.asarray(walk.frames[-1]), np.asarray(last))
    saved = arts[0].save(tmp_path / "goldfish.png")
    record, remade = remake_file(saved)
    assert record["revision"] and verdict(saved, remade) == "Made again: pixel for pixel the same as the file."
    with pytest.raises(GenartError, match="takes a truncation of at most 1; got 2"):
        generate(name, GenerateSettings(label="goldfish", truncation=2.0))
    with pytest.raises(GenartError, match="makes these classes: tench, goldfish"):
        generate(name, GenerateSettings(label="unicorn"))


def test_a_spectral_norm_weight_without_its_vectors_names_the_key():
    state = {k: v for k, v in small_biggan().state_dict().items() if k != "generator.gen_z.weight_u"}
    with pytest.raises(ValueError, match="generator.gen_z.weight_orig has no generator.gen_z.weight_u"):
        fold_spectral_norm(state)
    assert json.loads(small_biggan().config.to_json_string())["layers"][0] == [False, 16, 16]
