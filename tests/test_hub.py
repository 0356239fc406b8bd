"""The Hub path end to end: the real huggingface_hub client against the local Hub-compatible server."""
from pathlib import Path

import numpy as np
import pytest
import torch

from genart import hub
from genart.errors import GenartError
from genart.loaders import load_model
from genart.pipelines.generate import GenerateSettings, generate
from genart.pipelines.latent_models import latents
from genart.registry import get_spec
from tests.checkpoints import bin_bytes, huggan_config, huggan_generator, safetensors_bytes


def reference_images(model, seed: int, n: int) -> torch.Tensor:
    z = latents(seed, n, model.config.latent_dim).clamp(-2.0, 2.0)
    with torch.no_grad():
        return ((model(z).clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1)


def test_first_download_then_cache_hit_with_server_stopped(hub_server):
    model = huggan_generator(seed=1)
    sha = hub_server.repos.commit("huggan/tiny-dcgan", {"config.json": huggan_config(model),
                                                 "model.safetensors": safetensors_bytes(model)})
    spec = get_spec("hf-hub:huggan/tiny-dcgan")
    seen = []
    resolved = hub.resolve(spec, progress=lambda fraction, desc: seen.append(fraction))
    assert resolved.provenance == {"repo_id": "huggan/tiny-dcgan", "revision": sha}
    assert (resolved.folder / "model.safetensors").read_bytes() == safetensors_bytes(model)
    assert seen and seen[-1] == pytest.approx(1.0)

    images = generate("hf-hub:huggan/tiny-dcgan", GenerateSettings(seed=3, n=2))
    expected = reference_images(model, 3, 2)
    for art, ref in zip(images, expected):
        assert torch.equal(torch.from_numpy(np.array(art.image)), ref)
    assert images[0].record["revision"] == sha

    hub_server.stop()
    before = len(hub_server.repos.requests)
    again = hub.resolve(spec)
    assert again.folder == resolved.folder
    assert len(hub_server.repos.requests) == before


def test_pinned_revision_gets_that_commit(hub_server):
    old, new = huggan_generator(seed=2), huggan_generator(seed=3)
    first = hub_server.repos.commit("huggan/pinned", {"config.json": huggan_config(old), "model.safetensors": safetensors_bytes(old)})
    second = hub_server.repos.commit("huggan/pinned", {"config.json": huggan_config(new), "model.safetensors": safetensors_bytes(new)})
    assert first != second
    pinned = hub.resolve(get_spec(f"hf-hub:huggan/pinned@{first}"))
    latest = hub.resolve(get_spec("hf-hub:huggan/pinned"))
    assert pinned.provenance["revision"] == first and latest.provenance["revision"] == second
    assert (pinned.folder / "model.safetensors").read_bytes() == safetensors_bytes(old)
    assert (latest.folder / "model.safetensors").read_bytes() == safetensors_bytes(new)


def test_bin_only_repo_infers_sizes_from_weight_shapes(hub_server):
    model = huggan_generator(hidden_size=4, latent_dim=10, seed=4)
    hub_server.repos.commit("huggan/bin-only", {"pytorch_model.bin": bin_bytes(model)})
    loaded = load_model(get_spec("hf-hub:huggan/bin-only"))
    assert (loaded.module.config.latent_dim, loaded.module.config.hidden_size) == (10, 4)
    art = generate("hf-hub:huggan/bin-only", GenerateSettings(seed=5, n=1))[0]
    assert torch.equal(torch.from_numpy(np.array(art.image)), reference_images(model, 5, 1)[0])


def test_offline_and_not_cached_names_the_model_and_the_command():
    with pytest.raises(GenartError) as err:
        hub.resolve(get_spec("hf-hub:huggan/never-downloaded"))
    message = str(err.value)
    assert "hf-hub:huggan/never-downloaded" in message and "cannot be reached" in message
    assert "python -m genart models download hf-hub:huggan/never-downloaded" in message


def test_unknown_repo_and_revision_are_named(hub_server):
    with pytest.raises(GenartError, match="no Hub repo 'nobody/nothing'|There is no Hub repo 'nobody/nothing'"):
        hub.resolve(get_spec("hf-hub:nobody/nothing"))
    hub_server.repos.commit("huggan/has-main", {"config.json": b"{}"})
    with pytest.raises(GenartError, match="has no revision 'v9'"):
        hub.resolve(get_spec("hf-hub:huggan/has-main@v9"))


def test_truncated_safetensors_is_refused_clearly(hub_server):
    model = huggan_generator(seed=6)
    data = safetensors_bytes(model)
    hub_server.repos.commit("huggan/truncated", {"config.json": huggan_config(model), "model.safetensors": data[: len(data) // 2]})
    with pytest.raises(GenartError, match="damaged or incomplete"):
        load_model(get_spec("hf-hub:huggan/truncated"))


class Payload:
    """Unpickling this runs a command: what a malicious checkpoint does."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_pickle_with_code_execution_payload_is_refused_without_running(hub_server, tmp_path):
    marker = tmp_path / "payload-ran"
    evil = tmp_path / "evil.bin"
    torch.save({"model.0.weight": Payload(marker)}, evil)
    with open(evil, "rb") as f:  # prove the payload is live: plain pickle loading of the inner file would run it
        assert f.read(2) == b"PK"
    hub_server.repos.commit("huggan/evil", {"pytorch_model.bin": evil.read_bytes()})
    with pytest.raises(GenartError, match="Refused to load pytorch_model.bin"):
        load_model(get_spec("hf-hub:huggan/evil"))
    assert not marker.exists()
    torch.load(evil, weights_only=False)  # the unsafe path this guards against really does run the payload
    assert marker.exists()


def test_unexpected_key_is_named_and_nothing_loads(hub_server):
    model = huggan_generator(seed=7)
    state = dict(model.state_dict())
    state["model.99.weight"] = torch.zeros(1)
    from safetensors.torch import save
    hub_server.repos.commit("huggan/extra-key", {"config.json": huggan_config(model), "model.safetensors": save(state)})
    with pytest.raises(GenartError, match=r"unexpected model\.99\.weight"):
        load_model(get_spec("hf-hub:huggan/extra-key"))


def test_unknown_architecture_is_refused_by_name(hub_server):
    hub_server.repos.commit("someone/bert", {"config.json": b'{"model_type": "bert"}',
                                      "model.safetensors": safetensors_bytes(torch.nn.Linear(2, 2))})
    with pytest.raises(GenartError, match=r"not an architecture genart can run \(bert\)"):
        load_model(get_spec("hf-hub:someone/bert"))



def test_a_conditional_hub_gan_without_class_names_offers_numbered_classes(hub_server):
    import json

    from genart.models.dcgan import DCGANConfig, DCGANGenerator
    torch.manual_seed(8)
    model = DCGANGenerator(DCGANConfig(hidden_size=4, latent_dim=8, num_classes=3, label_dim=2)).eval()
    config = {"num_channels": 3, "latent_dim": 8, "hidden_size": 4, "num_classes": 3, "label_dim": 2}
    hub_server.repos.commit("someone/cgan", {"config.json": json.dumps(config).encode(),
                                            "model.safetensors": safetensors_bytes(model)})
    arts = generate("hf-hub:someone/cgan", GenerateSettings(seed=1, n=1, label="2"))
    assert arts[0].record["label"] == "2"
    with pytest.raises(GenartError, match="makes these classes: 0, 1, 2"):
        generate("hf-hub:someone/cgan", GenerateSettings(seed=1, label="landscape"))
