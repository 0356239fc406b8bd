"""Style transfer: each method's checkpoint layout loads strictly, and each method does what it says."""
import copy
import io
import json
import shutil

import numpy as np
import pytest
import torch
import torchvision
from PIL import Image
from safetensors.torch import save

from genart import hub
from genart.data.procedural import render
from genart.errors import GenartError
from genart.loaders import load_model
from genart.models.adain import AdaIN, adain
from genart.models.transformer_net import TransformerNet, TransformerNetConfig, instance_norm
from genart.pipelines.images import to_tensor
from genart.pipelines.style import StyleSettings, region_adain, stylize
from genart.registry import get_spec

ADAIN_CONVS = [0, 2, 5, 9, 12, 16, 19, 22, 25, 29, 32, 35, 38, 42, 45, 48, 51]  # vgg_normalised.pth, all 53 layers
ADAIN_DECODER_CONVS = [1, 5, 8, 11, 14, 18, 21, 25, 28]


def pth(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def vgg_normalised_state(seed: int = 0) -> dict:
    """The 53-layer vgg_normalised.pth of naoto0804/pytorch-AdaIN: key names and shapes, random values."""
    g = torch.Generator().manual_seed(seed)
    channels = [(3, 3, 1), (3, 64, 3), (64, 64, 3), (64, 128, 3), (128, 128, 3), (128, 256, 3), (256, 256, 3),
                (256, 256, 3), (256, 256, 3), (256, 512, 3)] + [(512, 512, 3)] * 7
    state = {}
    for index, (c_in, c_out, k) in zip(ADAIN_CONVS, channels):
        state[f"{index}.weight"] = torch.randn(c_out, c_in, k, k, generator=g) * (2 / (c_in * k * k)) ** 0.5
        state[f"{index}.bias"] = torch.zeros(c_out)
    return state


@pytest.fixture
def adain_release(hub_server):
    torch.manual_seed(0)
    decoder = AdaIN().decoder.state_dict()
    assert sorted({int(k.split(".")[0]) for k in decoder}) == ADAIN_DECODER_CONVS  # the reference's indices
    spec = get_spec("adain")
    files = {"vgg_normalised.pth": pth(vgg_normalised_state()), "decoder.pth": pth(decoder)}
    for name, path in spec.release_files.items():
        hub_server.repos.releases[path] = files[name]
    return hub_server


def test_vgg19_loads_timm_weights_strictly_and_matches_torchvision(hub_server):
    reference = torchvision.models.vgg19(weights=None).eval()
    state = {f"features.{k}": v for k, v in reference.features.state_dict().items()}
    state |= {"pre_logits.fc1.weight": torch.zeros(8, 512, 7, 7), "head.fc.weight": torch.zeros(10, 8)}
    sha = hub_server.repos.commit("timm/vgg19.tv_in1k", {
        "config.json": json.dumps({"architecture": "vgg19", "num_classes": 1000}).encode(),
        "model.safetensors": save({k: v.contiguous() for k, v in state.items()})})
    loaded = load_model(get_spec("gatys-vgg19"))
    assert loaded.provenance["revision"] == sha
    x = torch.rand(1, 3, 48, 48)
    mean, std = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1), torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    with torch.no_grad():
        expected = reference.features[:21]((x - mean) / std)
        assert torch.allclose(loaded.module(x, ("relu4_1",))["relu4_1"], expected, atol=1e-5)


def test_transformer_net_loads_a_pytorch_examples_checkpoint_with_stale_keys(hub_server):
    torch.manual_seed(1)
    net = TransformerNet().eval()
    state = net.state_dict()
    assert {"conv1.conv2d.weight", "in1.weight", "res5.in2.bias", "deconv1.conv2d.weight", "in5.bias",
            "deconv3.conv2d.bias"} <= state.keys()  # pytorch/examples' names
    stale = {"in1.running_mean": torch.zeros(32), "in1.running_var": torch.ones(32),
             "res1.in1.running_mean": torch.zeros(128), "res1.in1.running_var": torch.ones(128)}
    hub_server.repos.commit("someone/candy", {"model.pth": pth(state | stale)})
    loaded = load_model(get_spec("hf-hub:someone/candy", task="style"))
    content = torch.rand(1, 3, 40, 44) * 255
    with torch.no_grad():
        assert torch.allclose(loaded.module(content), net(content), atol=1e-4)
    broken = {k: v for k, v in state.items() if k != "res3.conv1.conv2d.weight"}
    hub_server.repos.commit("someone/broken-candy", {"model.pth": pth(broken)})
    with pytest.raises(GenartError, match="missing res3.conv1.conv2d.weight"):
        load_model(get_spec("hf-hub:someone/broken-candy", task="style"))


def test_a_narrow_network_has_the_examples_layout_at_its_width():
    narrow, full = TransformerNet(TransformerNetConfig(width=8)), TransformerNet()
    assert narrow.state_dict().keys() == full.state_dict().keys()
    assert narrow.conv1.conv2d.out_channels == 8 and narrow.res1.conv1.conv2d.in_channels == 32
    x = torch.rand(1, 3, 32, 36) * 255
    with torch.no_grad():
        assert narrow.eval()(x).shape == x.shape


def test_adain_loads_both_release_files_strictly_and_checks_their_hash(adain_release):
    loaded = load_model(get_spec("adain"))
    assert set(loaded.provenance["sha256"]) == {"vgg_normalised.pth", "decoder.pth"}
    assert len(loaded.module.encoder) == 31  # cut after relu4_1
    first = hub.RELEASES_DIR / "adain" / "decoder.pth"
    original = first.read_bytes()
    first.write_bytes(original + b"tampered")
    with pytest.raises(GenartError, match="sha256 changed"):
        hub.resolve(get_spec("adain"))
    shutil.rmtree(first.parent)  # what the message says to do: the next load fetches the files again
    assert hub.resolve(get_spec("adain")).provenance == loaded.provenance


def test_adain_with_alpha_0_is_the_decoders_reconstruction_of_the_content(adain_release):
    content = render("landscape", 3, 64)
    out = next(stylize("adain", content, [render("mandala", 1, 64)], StyleSettings(size=64, strength=0.0)))
    net = load_model(get_spec("adain")).module
    with torch.no_grad():
        expected = net.decode(net.encode(to_tensor(content))).clamp(0, 1)[..., :64, :64]
    assert np.abs(np.asarray(out.image, dtype=float) - expected[0].permute(1, 2, 0).numpy() * 255).max() <= 1.0


def test_adain_runs_channels_last_with_the_eager_networks_output(adain_release):
    net = load_model(get_spec("adain")).module
    assert net.encoder[2].weight.is_contiguous(memory_format=torch.channels_last)
    eager = copy.deepcopy(net).to(memory_format=torch.contiguous_format)
    assert eager.encoder[2].weight.is_contiguous()
    content, style = torch.rand(1, 3, 96, 80), torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        fast = net.decode(adain(net.encode(content.contiguous(memory_format=torch.channels_last)),
                                net.encode(style.contiguous(memory_format=torch.channels_last))))
        plain = eager.decode(adain(eager.encode(content), eager.encode(style)))
    assert torch.allclose(fast, plain, atol=1e-4)


def test_adain_spatial_control_puts_each_style_where_it_was_painted(adain_release):
    content = render("landscape", 3, 64)
    styles = [render("mandala", 1, 64), render("flow_field", 2, 64)]
    alone = [np.asarray(next(stylize("adain", content, [x], StyleSettings(size=64))).image) for x in styles]
    for fill, expected in ((255, alone[0]), (0, alone[1])):  # painted everywhere / nowhere: one style alone
        mask = Image.new("L", (64, 64), fill)
        image = next(stylize("adain", content, styles, StyleSettings(size=64), mask=mask)).image
        assert np.abs(np.asarray(image, dtype=int) - expected).max() <= 1


def test_region_adain_gives_the_region_the_styles_statistics():
    torch.manual_seed(2)
    content, style = torch.randn(1, 8, 10, 10) * 3 + 1, torch.randn(1, 8, 6, 6) * 0.5 - 2
    region = torch.zeros(1, 1, 10, 10)
    region[..., :, :4] = 1
    out = region_adain(content, style, region)[..., :, :4]  # (1, 8, 10, 4)
    assert torch.allclose(out.mean((2, 3)), style.mean((2, 3)), atol=1e-4)
    assert torch.allclose(out.std((2, 3), unbiased=False), style.std((2, 3)), atol=0.05)


def test_adain_offline_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(hub, "RELEASES_DIR", tmp_path)  # nothing downloaded yet, and no server running
    with pytest.raises(GenartError, match="GitHub cannot be reached.*models download adain"):
        load_model(get_spec("adain"))


def test_gatys_lowers_its_style_loss_five_fold_in_50_steps():
    content, style = render("landscape", 1, 64), render("stained_glass", 7, 64)
    first = list(stylize("gatys-random", content, [style], StyleSettings(size=64, steps=1)))[-1].record["losses"]
    updates = list(stylize("gatys-random", content, [style], StyleSettings(size=64, steps=50)))
    assert [u.step for u in updates][-1] == 50 and len(updates) > 10  # intermediate images stream
    assert updates[-1].record["losses"]["style"] * 5 <= first["style"]
    again = list(stylize("gatys-random", content, [style], StyleSettings(size=64, steps=50)))[-1].image
    assert np.array_equal(np.asarray(again), np.asarray(updates[-1].image))  # deterministic per seed


@pytest.mark.parametrize("image, words", [
    (Image.new("RGB", (20, 200)), "at least 32 px"),
    (None, "Add a content image"),
])
def test_bad_images_get_one_sentence(image, words):
    with pytest.raises(GenartError, match=words):
        next(stylize("gatys-random", image, [render("mandala", 1, 64)], StyleSettings(size=64, steps=1)))


def test_any_mode_and_a_flat_tiny_style_work_and_big_content_is_downscaled():
    content = Image.new("RGBA", (900, 300), (10, 200, 90, 128)).convert("P")
    style = Image.new("CMYK", (32, 32), (0, 0, 0, 0))
    update = list(stylize("gatys-random", content, [style], StyleSettings(size=128, steps=2)))[-1]
    assert update.image.size == (128, 43) and "downscaled from 900x300" in update.notice
    assert update.image.mode == "RGB"


@torch.no_grad()
def test_the_one_pass_instance_norm_is_instance_norm_in_either_memory_layout():
    torch.manual_seed(0)
    norm = torch.nn.InstanceNorm2d(16, affine=True)
    torch.nn.init.normal_(norm.weight)
    torch.nn.init.normal_(norm.bias)
    x = torch.randn(1, 16, 40, 24) * 5 + 3
    for layout in (torch.contiguous_format, torch.channels_last):
        got = instance_norm(x.contiguous(memory_format=layout), norm)
        assert got.is_contiguous(memory_format=layout) and torch.allclose(got, norm(x), atol=1e-5)


@torch.no_grad()
def test_the_loaded_fast_network_paints_an_image_as_the_plain_network_does():
    loaded = load_model(get_spec("fast-stained-glass")).module  # channels-last, one-pass instance norm
    plain = TransformerNet(loaded.config)
    plain.load_state_dict(loaded.state_dict())
    image = to_tensor(render("landscape", 4, 64)) * 255  # (1, 3, 64, 64)
    alone = loaded(image)
    beside = plain(torch.cat([image, image.flip(3)]))[:1]  # two images: nn.InstanceNorm2d's own path, NCHW
    assert alone.is_contiguous(memory_format=torch.channels_last)
    assert torch.allclose(alone, beside, atol=1e-2)  # pixels in [0, 255]


def test_a_small_content_is_painted_at_the_asked_size_and_a_small_style_is_left_as_it_is():
    content, style = render("landscape", 1, 64).crop((0, 0, 64, 48)), render("stained_glass", 7, 40)
    update = list(stylize("fast-stained-glass", content, [], StyleSettings(size=128)))[-1]
    assert update.image.size == (128, 96) and update.notice == "The content image was enlarged from 64x48 to 128x96."
    update = list(stylize("gatys-random", content, [style], StyleSettings(size=128, steps=1)))[-1]
    assert update.inputs["content"].size == (128, 96) and update.inputs["style1"].size == (40, 40)
