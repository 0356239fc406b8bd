"""StyleGAN2: genart's plain-torch generator equal to NVlabs' reference, loaded from network pickles as NVlabs writes
them (each network pickled with its module's source, which genart never runs), from a Hub repo, and sampled with
truncation in W.

tests/fixtures/stylegan2/*.safetensors were made once with NVlabs' code (NVlabs/stylegan3 at c233a91,
training/networks_stylegan2.py with torch_utils' reference ops on the CPU, which stays out of this repository):
torch.manual_seed(0); for each config in its metadata (init_kwargs), Generator(**init_kwargs) with every parameter
drawn from N(0, 1) (affine biases around 1, noise strengths N(0, 0.3)) and every buffer but the resample filters
from N(0, 1) (w_avg N(0, 0.5)); its state dict under G.*; z = torch.randn(3, z_dim) (and classes 0, 2, 1);
ws = G.mapping(z, c, truncation_psi=0.7); img_const = G.synthesis(ws, noise_mode="const");
img_none = G(z, c, truncation_psi=1, noise_mode="none"); ws_mixed = the first 3 ws of sample 0 and the rest of
sample 1; img_mixed = G.synthesis(ws_mixed, noise_mode="const").
"""
import collections
import json
import pickle
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors import safe_open
from safetensors.torch import load_file

from genart.errors import GenartError
from genart.loaders import load_model
from genart.models.stylegan2 import StyleGAN2Generator, config_from_state
from genart.models.stylegan3 import StyleGAN3Generator
from genart.models.stylegan3 import config_from as stylegan3_config
from genart.network_pickle import read_generator
from genart.pipelines.generate import GenerateSettings, generate
from genart.pipelines.interpolate import InterpolateSettings, interpolate
from genart.pipelines.latent_models import latents, to_images
from genart.pipelines.projection import ProjectSettings, project
from genart.pipelines.runner import run
from genart.pipelines.style_mixing import MixSettings, mix
from genart.registry import get_spec

FIXTURES = Path(__file__).parent / "fixtures"
CONFIGS = ("skip16", "resnet8-cond", "orig8")  # StyleGAN2's
CONFIGS3 = ("t16", "r16-cond")  # StyleGAN3's: -T (3x3 convolutions) and -R (1x1, radial filters)
BUFFERS = {"w_avg", "resample_filter", "noise_const", "transform", "freqs", "phases", "magnitude_ema", "up_filter",
           "down_filter"}


def reference(name: str) -> dict:
    path = FIXTURES / ("stylegan3" if name in CONFIGS3 else "stylegan2") / f"{name}.safetensors"
    with safe_open(path, "pt") as f:
        kwargs = json.loads(f.metadata()["init_kwargs"])
    tensors = load_file(path)
    return {"kwargs": kwargs, "state": {k[2:]: v for k, v in tensors.items() if k.startswith("G.")},
            **{k: v for k, v in tensors.items() if not k.startswith("G.")}}


class Persisted:
    """A network as torch_utils.persistence pickles it: a call of _reconstruct_persistent_obj with a meta dict
    holding the module's source (here a program that leaves a mark if it is ever run) and its state."""

    def __init__(self, class_name: str, state: dict, source: str):
        self.meta = {"type": "class", "version": 6, "module_src": source, "class_name": class_name, "state": state}

    def __reduce__(self):
        return sys.modules["torch_utils.persistence"]._reconstruct_persistent_obj, (self.meta,)


def module_tree(state: dict, kwargs: dict, source: str) -> Persisted:
    """The generator as nested persisted modules, each with its parameters, buffers and submodules."""
    def node(prefix: str) -> dict:
        direct = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix) and "." not in k[len(prefix):]}
        children = sorted({k[len(prefix):].split(".")[0] for k in state if k.startswith(prefix)
                           and "." in k[len(prefix):]})
        buffers = {k for k in direct if k in BUFFERS}
        return {"training": False,
                "_parameters": collections.OrderedDict((k, v) for k, v in direct.items() if k not in buffers),
                "_buffers": collections.OrderedDict((k, v) for k, v in direct.items() if k in buffers),
                "_modules": collections.OrderedDict((c, Persisted("Layer", node(f"{prefix}{c}."), source))
                                                    for c in children)}
    root = node("")
    root |= {"_init_args": (), "_init_kwargs": kwargs, "img_resolution": kwargs["img_resolution"]}
    return Persisted("Generator", root, source)


def varied(state: dict) -> dict:
    """The fixture's weights with the mapping's as NVlabs draws them (N(0, 1) / its learning-rate multiplier), so
    that w varies with z, and the to-RGB layers scaled into the image's range."""
    return {k: v * 100 if k.startswith("mapping.fc") and k.endswith("weight") else v * 0.3 if ".torgb." in k else v
            for k, v in state.items()}


def network_pickle(state: dict, kwargs: dict, monkeypatch, tmp_path: Path) -> bytes:
    """A network-snapshot pickle as NVlabs' training loop writes it: {G, D, G_ema, training_set_kwargs}, tensors
    pickled as torch pickles them outside torch.save, mapping_kwargs a dnnlib EasyDict."""
    persistence = types.ModuleType("torch_utils.persistence")
    persistence._reconstruct_persistent_obj = lambda meta: None
    persistence._reconstruct_persistent_obj.__module__ = "torch_utils.persistence"
    persistence._reconstruct_persistent_obj.__qualname__ = "_reconstruct_persistent_obj"
    util = types.ModuleType("dnnlib.util")
    util.EasyDict = type("EasyDict", (dict,), {"__module__": "dnnlib.util"})
    for name, module in (("torch_utils", types.ModuleType("torch_utils")), ("torch_utils.persistence", persistence),
                         ("dnnlib", types.ModuleType("dnnlib")), ("dnnlib.util", util)):
        monkeypatch.setitem(sys.modules, name, module)
    kwargs = dict(kwargs, mapping_kwargs=util.EasyDict(kwargs["mapping_kwargs"]))
    mark = tmp_path / "the-module-source-ran"
    source = f"import pathlib\npathlib.Path({str(mark)!r}).write_text('ran')\n"
    g_ema = module_tree(state, kwargs, source)
    data = pickle.dumps({"G": module_tree({k: v + 1 for k, v in state.items()}, kwargs, source), "D": None,
                         "G_ema": g_ema, "augment_pipe": None, "training_set_kwargs": util.EasyDict(resolution=16)})
    monkeypatch.undo()
    return data


@pytest.mark.parametrize("name", CONFIGS)
def test_the_generator_read_from_a_network_pickle_equals_nvlabs(name, monkeypatch, tmp_path):
    ref = reference(name)
    path = tmp_path / "network-snapshot-000000.pkl"
    path.write_bytes(network_pickle(ref["state"], ref["kwargs"], monkeypatch, tmp_path))
    config, state = read_generator(path)
    assert not (tmp_path / "the-module-source-ran").exists()
    assert state.keys() == ref["state"].keys() and all(torch.equal(state[k], ref["state"][k]) for k in state)
    mapping = ref["kwargs"]["mapping_kwargs"]
    assert config == {"model_type": "stylegan2", "conv_clamp": ref["kwargs"]["conv_clamp"],
                      "mapping_lr_multiplier": mapping.get("lr_multiplier", 0.01)}
    g = StyleGAN2Generator(config_from_state(state, conv_clamp=config["conv_clamp"],
                                             mapping_lr_multiplier=config["mapping_lr_multiplier"])).eval()
    g.load_state_dict(state, strict=True)
    assert g.config.architecture == ref["kwargs"].get("architecture", "skip")
    assert g.config.img_resolution == ref["kwargs"]["img_resolution"] and g.config.num_ws == ref["ws"].shape[1]
    with torch.no_grad():
        classes = ref.get("c")
        assert torch.allclose(g.ws(ref["z"], classes, 0.7), ref["ws"], atol=1e-5, rtol=1e-5)
        for ws, image in ((ref["ws"], ref["img_const"]), (ref["ws_mixed"], ref["img_mixed"])):
            assert torch.allclose(g.synthesis(ws, "const"), image, atol=1e-4, rtol=1e-5)
        assert torch.allclose(g(ref["z"], classes, 1.0, "none"), ref["img_none"], atol=1e-4, rtol=1e-5)
        labels = torch.tensor([0, 2, 1]) if classes is not None else None  # class indices as genart passes them
        assert torch.allclose(g(ref["z"], labels, 1.0, "none"), ref["img_none"], atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize("name", CONFIGS3)
def test_a_stylegan3_generator_read_from_a_network_pickle_equals_nvlabs(name, monkeypatch, tmp_path):
    ref = reference(name)
    path = tmp_path / "stylegan3.pkl"
    path.write_bytes(network_pickle(ref["state"], ref["kwargs"], monkeypatch, tmp_path))
    config, state = read_generator(path)
    assert config["model_type"] == "stylegan3" and not (tmp_path / "the-module-source-ran").exists()
    g = StyleGAN3Generator(stylegan3_config(state, {k: v for k, v in config.items() if k != "model_type"})).eval()
    g.load_state_dict(state, strict=True)
    assert g.config.num_layers == ref["kwargs"]["num_layers"] and g.config.num_ws == ref["ws"].shape[1]
    with torch.no_grad():
        assert torch.allclose(g.ws(ref["z"], ref.get("c"), 0.7), ref["ws"], atol=1e-5, rtol=1e-5)
        for ws, image in ((ref["ws"], ref["img"]), (ref["ws_mixed"], ref["img_mixed"])):
            assert torch.allclose(g.synthesis(ws), image, atol=1e-5, rtol=1e-5)
    assert g.w_resolutions()[0] == 4 and g.w_resolutions()[-1] == 16  # the sides style mixing groups layers by


def test_a_hub_repo_of_snapshots_loads_the_last_and_generates_with_truncation_in_w(hub_server, monkeypatch, tmp_path):
    ref = reference("skip16")
    state = varied(ref["state"])
    data = network_pickle(state, ref["kwargs"], monkeypatch, tmp_path)
    broken = b"not a pickle"  # an earlier snapshot, never downloaded or read
    hub_server.repos.commit("nv/sg2-tiny", {"network-snapshot-000100.pkl": data,
                                            "network-snapshot-000040.pkl": broken})
    loaded = load_model(get_spec("hf-hub:nv/sg2-tiny"))
    assert loaded.arch == "stylegan2" and loaded.module.config.conv_clamp == 256
    assert [p.name for p in loaded.folder.glob("*.pkl")] == ["network-snapshot-000100.pkl"]
    images = generate("hf-hub:nv/sg2-tiny", GenerateSettings(seed=3, n=3, label=None, truncation=0.7))
    assert [a.image.size for a in images] == [(16, 16)] * 3
    assert generate("hf-hub:nv/sg2-tiny", GenerateSettings(seed=3, n=1, label=None, truncation=0.7))[0].image.tobytes() \
        == images[0].image.tobytes()
    average = generate("hf-hub:nv/sg2-tiny", GenerateSettings(seed=3, n=2, label=None, truncation=0.1))
    def spread(batch):
        return sum(abs(a - b) for a, b in zip(batch[0].image.tobytes(), batch[1].image.tobytes()))

    assert spread(average) < spread(images)  # ψ toward the average w: two seeds come closer
    with pytest.raises(GenartError, match="truncation of at most 1"):
        generate("hf-hub:nv/sg2-tiny", GenerateSettings(seed=3, n=1, label=None, truncation=1.5))
    assert not (tmp_path / "the-module-source-ran").exists()


def hostile(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "network-snapshot-000001.pkl"
    path.write_bytes(pickle.dumps(data))
    return path


def test_pickles_that_are_not_stylegan2_generators_are_refused_in_one_sentence(monkeypatch, tmp_path):
    with pytest.raises(GenartError, match="no G_ema .*TensorFlow"):
        read_generator(hostile(tmp_path, {"G": 1}))
    with pytest.raises(GenartError, match="not a network saved by NVlabs"):
        read_generator(hostile(tmp_path, {"G_ema": {"weight": torch.ones(2)}}))
    path = tmp_path / "bad.pkl"
    sg3 = reference("t16")
    for key, value, message in (("conv_kernel", 3.5, "conv_kernel is 3.5, not a number from 1 to 7"),
                                ("use_radial_filters", "yes", "use_radial_filters is 'yes', not true or false"),
                                ("channel_base", 1 << 40, "channel_base is 1099511627776, not a number")):
        path.write_bytes(network_pickle(sg3["state"], dict(sg3["kwargs"], **{key: value}), monkeypatch, tmp_path))
        with pytest.raises(GenartError, match=message):
            read_generator(path)
    ref = reference("orig8")
    bad = dict(ref["kwargs"], conv_clamp="256; import os")
    path.write_bytes(network_pickle(ref["state"], bad, monkeypatch, tmp_path))
    with pytest.raises(GenartError, match="conv_clamp is '256; import os', not a positive number"):
        read_generator(path)
    path.write_bytes(b"\x80\x04\x95" + b"\x00" * 20)
    with pytest.raises(GenartError, match="not a network pickle genart can read"):
        read_generator(path)


def test_style_mixing_gives_a_cells_mixed_layers_the_column_seeds_w(hub_server, monkeypatch, tmp_path):
    ref = reference("skip16")  # its ws: 4 px (1), 8 px (2), 16 px (2) and the last to-RGB layer's (16 px)
    state = varied(ref["state"])
    hub_server.repos.commit("nv/sg2-mix", {"network-snapshot-000001.pkl": network_pickle(state, ref["kwargs"],
                                                                                         monkeypatch, tmp_path)})
    model = load_model(get_spec("hf-hub:nv/sg2-mix")).module
    assert model.w_resolutions() == [4, 8, 8, 16, 16, 16]
    sheet = mix("hf-hub:nv/sg2-mix", MixSettings(seed=5, rows=2, seed_b=9, columns=3, layers="middle"))
    assert sheet.image.size == (16 * 4, 16 * 3) and sheet.record["layers"] == "middle"
    def cell(r, c):
        return np.asarray(sheet.image.crop((16 * c, 16 * r, 16 * c + 16, 16 * r + 16))).astype(int)

    with torch.no_grad():
        ws = model.ws(torch.cat([latents(5, 2, 24), latents(9, 3, 24)]), None, 0.7)  # (5, 6, w_dim)
        mixed = ws[1].clone()
        mixed[3:] = ws[2 + 2, 3:]  # row 1 (seed 6) with column 2's (seed 11) 16 px layers
        expected = to_images(model.synthesis(torch.stack([ws[1], ws[4], mixed])))
    assert np.array_equal(cell(2, 0), np.asarray(expected[0]))  # the row's own image down the left
    assert np.array_equal(cell(0, 3), np.asarray(expected[1]))  # the column's own image along the top
    assert np.array_equal(cell(2, 3), np.asarray(expected[2]))
    assert not np.array_equal(cell(2, 3), cell(2, 0)) and not np.array_equal(cell(2, 3), cell(0, 3))
    with pytest.raises(GenartError, match="layers stop at 16 px, so it has no fine layers"):
        mix("hf-hub:nv/sg2-mix", MixSettings(layers="fine"))
    with pytest.raises(GenartError, match="must be one of coarse, middle, fine"):
        mix("hf-hub:nv/sg2-mix", MixSettings(layers="all"))
    with pytest.raises(GenartError, match="no styles to mix"):
        mix("dcgan-art-64", MixSettings())


def test_projecting_a_photo_finds_a_w_whose_image_is_closer_and_a_replay_finds_it_again(hub_server, monkeypatch,
                                                                                        tmp_path):
    ref = reference("skip16")
    state = varied(ref["state"])
    hub_server.repos.commit("nv/sg2-project", {"network-snapshot-000001.pkl": network_pickle(state, ref["kwargs"],
                                                                                             monkeypatch, tmp_path)})
    model = "hf-hub:nv/sg2-project"
    drawn = generate(model, GenerateSettings(seed=7, n=1, label=None, truncation=1.0))[0].image  # a photo it can reach
    photo = drawn.resize((64, 64), Image.Resampling.NEAREST)
    settings = ProjectSettings(steps=40, learning_rate=0.1, seed=2)
    updates = list(project(model, photo, settings))
    assert [u.step for u in updates] == list(range(0, 41, 5)) and updates[-1].done
    def error(update):
        return np.abs(np.asarray(update.artwork.image, dtype=float) - np.asarray(drawn, dtype=float)).mean()

    assert error(updates[-1]) < 0.6 * error(updates[0])  # from the average w's image to one much nearer the photo
    record = updates[-1].artwork.record
    assert record["task"] == "project" and len(record["w"]) == 1 and len(record["w"][0]) == 32
    assert not updates[0].artwork.record  # only the finished image carries a record
    again = run("project", model, record, {"image": photo})
    assert again.image.tobytes() == updates[-1].artwork.image.tobytes() and again.record["w"] == record["w"]
    plus = list(project(model, photo, ProjectSettings(steps=2, w_plus=True)))[-1].artwork.record
    assert len(plus["w"]) == 6  # W+: one w per layer
    with pytest.raises(GenartError, match="Perceptual distance must be one of gatys-random, gatys-vgg19"):
        list(project(model, photo, ProjectSettings(distance="lpips")))
    with pytest.raises(GenartError, match="no W space to project a photo into"):
        list(project("dcgan-art-64", photo, ProjectSettings()))
    with pytest.raises(GenartError, match="Add an image to project"):
        list(project(model, None, ProjectSettings()))


def test_a_stylegan3_from_the_hub_generates_mixes_and_projects(hub_server, monkeypatch, tmp_path):
    ref = reference("r16-cond")
    hub_server.repos.commit("nv/sg3-tiny", {"stylegan3-r-tiny.pkl": network_pickle(ref["state"], ref["kwargs"],
                                                                                    monkeypatch, tmp_path)})
    model = "hf-hub:nv/sg3-tiny"
    images = generate(model, GenerateSettings(seed=1, n=2, label="2", truncation=0.5))
    assert [a.image.size for a in images] == [(16, 16)] * 2 and images[0].record["label"] == "2"
    sheet = mix(model, MixSettings(rows=2, columns=2, layers="coarse", label="1")).image
    assert sheet.size == (48, 48)
    photo = images[0].image.resize((64, 64))
    last = list(project(model, photo, ProjectSettings(steps=3, label="2")))[-1]
    assert last.done and len(last.artwork.record["w"][0]) == 8  # StyleGAN3 has no noise maps: w alone


def test_a_walk_in_w_is_a_straight_line_between_the_ends_ws(hub_server, monkeypatch, tmp_path):
    ref = reference("skip16")
    state = varied(ref["state"])
    hub_server.repos.commit("nv/sg2-walk", {"network-snapshot-000001.pkl": network_pickle(state, ref["kwargs"],
                                                                                         monkeypatch, tmp_path)})
    model = "hf-hub:nv/sg2-walk"
    walk = interpolate(model, InterpolateSettings(seed_a=3, seed_b=4, frames=5, truncation=0.8, in_w=True))
    assert len(walk.frames) == 5 and walk.record["in_w"] is True
    g = load_model(get_spec(model)).module
    with torch.no_grad():
        ws = g.ws(torch.cat([latents(3, 1, 24), latents(4, 1, 24)]), None, 0.8)
        middle, = to_images(g.synthesis(ws[:1].lerp(ws[1:], 0.5)))
    assert walk.frames[2].tobytes() == middle.tobytes()  # halfway along the line in W
    in_z = interpolate(model, InterpolateSettings(seed_a=3, seed_b=4, frames=5, truncation=0.8))
    assert in_z.frames[0].tobytes() == walk.frames[0].tobytes() and in_z.frames[2].tobytes() != middle.tobytes()
    with pytest.raises(GenartError, match="has no W space; clear Walk in W"):
        interpolate("dcgan-art-64", InterpolateSettings(in_w=True, label="mandala"))
