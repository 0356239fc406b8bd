"""Progressive GAN: pytorch_GAN_zoo's PGAN generator in plain torch, equal to the zoo's own code, loaded from a Hub
repo holding a zoo checkpoint as the zoo saves it (legacy torch format, its config a pickled object) and sampled by
the Generate task.

tests/fixtures/progan_zoo_reference.safetensors was made once with the zoo's code (facebookresearch/pytorch_GAN_zoo
at b75dee4, models/networks/progressive_conv_net.py, which stays out of this repository): torch.manual_seed(0);
GNet(dimLatent=16, depthScale0=16), addScale(16), addScale(8) (16x16 images), every bias drawn from N(0, 0.5) so
that their equalised scaling is tested too; its state dict under avgG.*, z = torch.randn(3, 16) and GNet(z).
"""
import collections
import dataclasses
import hashlib
import io
import sys
import types
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from genart import hub
from genart.errors import GenartError
from genart.loaders import load_model
from genart.models.progan import ProGANGenerator, config_from_state, from_zoo_state
from genart.pipelines.generate import GenerateSettings, generate
from genart.registry import get_spec

FIXTURE = Path(__file__).parent / "fixtures" / "progan_zoo_reference.safetensors"


@pytest.fixture(scope="module")
def reference() -> dict:
    f = load_file(FIXTURE)
    return {"state": {k.removeprefix("avgG."): v for k, v in f.items() if k.startswith("avgG.")}, "z": f["z"],
            "image": f["image"]}


def test_the_generator_equals_the_zoos_and_reads_its_shape_from_the_weights(reference):
    state = from_zoo_state(reference["state"])
    config = config_from_state(state)
    assert (config.latent_dim, config.depth_scale0, config.depth_other_scales, config.size) == (16, 16, [16, 8], 16)
    g = ProGANGenerator(config).eval()
    g.load_state_dict(state, strict=True)
    with torch.no_grad():
        assert torch.allclose(g(reference["z"]), reference["image"], atol=1e-5, rtol=1e-5)
    early = {k.replace(".module.", "."): v for k, v in state.items()}  # early checkpoints' names
    assert from_zoo_state(early).keys() == state.keys()


def zoo_checkpoint(state: dict, monkeypatch) -> bytes:
    """A checkpoint as the zoo's save() writes it: {config, netG, netD, avgG}, the config an object of its class,
    in torch's legacy format (the zoo's published files predate the zip format)."""
    config_class = type("BaseConfig", (), {"__module__": "models.utils.config", "__qualname__": "BaseConfig"})
    for name in ("models", "models.utils", "models.utils.config"):  # the zoo's module, made for the test
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    sys.modules["models.utils.config"].BaseConfig = config_class
    config = config_class()
    config.depthScale0, config.lossCriterion = 16, "WGANGP"
    noisy = {k: v + 1 for k, v in state.items()}
    buffer = io.BytesIO()
    torch.save({"config": config, "netG": collections.OrderedDict(noisy), "avgG": collections.OrderedDict(state),
                "netD": collections.OrderedDict({"decisionLayer.module.weight": torch.ones(1, 4)})}, buffer,
               _use_new_zipfile_serialization=False)
    monkeypatch.undo()
    return buffer.getvalue()


def test_a_hub_repo_with_a_zoo_checkpoint_loads_its_averaged_generator_and_generates(hub_server, reference,
                                                                                     monkeypatch):
    data = zoo_checkpoint(reference["state"], monkeypatch)
    assert not data.startswith(b"PK")  # the legacy format
    sha = hub_server.repos.commit("zoo/pgan-tiny", {"model.pth": data})
    loaded = load_model(get_spec("hf-hub:zoo/pgan-tiny"))
    assert loaded.arch == "progan"
    with torch.no_grad():
        assert torch.allclose(loaded.module(reference["z"].to(loaded.device, loaded.dtype)).float().cpu(),
                              reference["image"], atol=1e-4, rtol=1e-4)
    images = generate("hf-hub:zoo/pgan-tiny", GenerateSettings(seed=4, n=3, label=None))
    assert [a.image.size for a in images] == [(16, 16)] * 3
    assert images[0].record["revision"] == sha and images[0].record["model"] == "hf-hub:zoo/pgan-tiny"
    again = generate("hf-hub:zoo/pgan-tiny", GenerateSettings(seed=4, n=1, label=None))
    assert again[0].image.tobytes() == images[0].image.tobytes()  # image i of a seed is the same in any batch


def test_a_zoo_checkpoint_with_a_missing_layer_is_refused_with_the_key(hub_server, reference, monkeypatch):
    state = dict(reference["state"])
    del state["scaleLayers.1.1.module.bias"]
    hub_server.repos.commit("zoo/pgan-broken", {"model.pth": zoo_checkpoint(state, monkeypatch)})
    with pytest.raises(GenartError, match="missing scaleLayers.1.1.module.bias"):
        load_model(get_spec("hf-hub:zoo/pgan-broken"))


def test_a_registry_progan_downloads_checks_its_published_sha256_and_generates(hub_server, reference, monkeypatch,
                                                                               tmp_path):
    data = zoo_checkpoint(reference["state"], monkeypatch)
    monkeypatch.setattr(hub, "RELEASES_DIR", tmp_path)
    spec = get_spec("progan-dtd")
    (name, url), = spec.release_files.items()
    assert url.startswith("https://dl.fbaipublicfiles.com/") and f"-{spec.published_sha256[name]}.pth" in url
    hub_server.repos.releases[url.removeprefix("https://")] = data  # the mirror serves <host>/<path>
    with pytest.raises(GenartError, match=f"not the published {spec.published_sha256[name]}"):
        load_model(spec)  # these test weights are not the published file
    assert not (tmp_path / spec.name / name).exists()  # and are not kept
    ours = dataclasses.replace(spec, name="progan-test", published_sha256={name: hashlib.sha256(data).hexdigest()[:8]})
    loaded = load_model(ours)
    assert loaded.arch == "progan" and loaded.provenance["sha256"][name] == hashlib.sha256(data).hexdigest()
    assert len(generate_with(ours)) == 2


def generate_with(spec) -> list:
    from genart.pipelines.generate import METHODS
    from genart.pipelines.task import method_for

    return method_for(spec, METHODS).sample(spec, GenerateSettings(seed=1, n=2, label=None), None)
