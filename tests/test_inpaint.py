"""Inpainting: LaMa's checkpoint layout, the TorchScript loader's hash check, and the shared pre/post-processing."""
import dataclasses
import hashlib
import io
import json

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import save

from genart import hub
from genart.data.photos import photo_crops_of, photo_split, read_photo
from genart.data.procedural import render
from genart.errors import GenartError
from genart.loaders import known_fields, load_model
from genart.models.inpaint_net import InpaintNet, InpaintNetConfig, mirror_mismatch
from genart.models.lama import FourierUnit, LaMa, LaMaConfig
from genart.models.smooth_fill import TENSION, biharmonic_fill, harmonic_fill, push_pull, tension_fill, tensioned_plate
from genart.pipelines.inpaint import InpaintSettings, inpaint
from genart.registry import get_spec

# A few of the official big-lama generator's keys and shapes, written out independently of genart's module.
OFFICIAL = {
    "generator.model.1.ffc.convl2l.weight": (64, 4, 7, 7),
    "generator.model.2.ffc.convl2l.weight": (128, 64, 3, 3),
    "generator.model.4.ffc.convl2g.weight": (384, 256, 3, 3),
    "generator.model.4.bn_g.running_mean": (384,),
    "generator.model.5.conv1.ffc.convg2l.weight": (128, 384, 3, 3),
    "generator.model.5.conv1.ffc.convg2g.conv1.0.weight": (192, 384, 1, 1),
    "generator.model.5.conv1.ffc.convg2g.fu.conv_layer.weight": (384, 384, 1, 1),
    "generator.model.5.conv1.ffc.convg2g.conv2.weight": (384, 192, 1, 1),
    "generator.model.22.conv2.bn_l.num_batches_tracked": (),
    "generator.model.24.weight": (512, 256, 3, 3),  # ConvTranspose2d: (in, out, k, k)
    "generator.model.31.running_var": (64,),
    "generator.model.34.weight": (3, 64, 7, 7),
}


def lama_checkpoint() -> bytes:
    torch.manual_seed(0)
    state = {f"generator.{k}": v for k, v in LaMa(LaMaConfig()).state_dict().items()}
    for key, shape in OFFICIAL.items():
        assert tuple(state[key].shape) == shape, key
    state["discriminator.model0.0.weight"] = torch.zeros(2)  # a training checkpoint holds more than the generator
    buffer = io.BytesIO()
    torch.save({"state_dict": state}, buffer)
    return buffer.getvalue()


def test_lama_loads_the_official_layout_strictly_and_keeps_sizes(hub_server):
    sha = hub_server.repos.commit("akhaliq/lama", {"best.ckpt": lama_checkpoint()})
    loaded = load_model(get_spec("lama"))
    assert loaded.provenance["revision"] == sha and len(loaded.module.state_dict()) == 989
    image = render("landscape", 1, 100).crop((0, 0, 100, 75))  # odd sizes: padded to 8, cropped back
    mask = np.zeros((75, 100), bool)
    mask[20:40, 30:70] = True
    art, _ = inpaint("lama", image, mask)
    assert art.image.size == (100, 75)
    assert np.array_equal(np.asarray(art.image)[~mask], np.asarray(image)[~mask])


def test_fourier_unit_uses_the_official_real_imaginary_channel_order():
    torch.manual_seed(1)
    fu = FourierUnit(3).eval()
    x = torch.randn(1, 3, 8, 8)
    spec = torch.fft.rfftn(x, dim=(-2, -1), norm="ortho")
    stacked = torch.stack((spec.real, spec.imag), dim=-1).permute(0, 1, 4, 2, 3).reshape(1, 6, 8, 5)  # the reference
    y = torch.relu(fu.bn(fu.conv_layer(stacked))).view(1, 3, 2, 8, 5).permute(0, 1, 3, 4, 2)
    expected = torch.fft.irfftn(torch.complex(y[..., 0], y[..., 1]), s=(8, 8), dim=(-2, -1), norm="ortho")
    with torch.no_grad():
        assert torch.allclose(fu(x), expected, atol=1e-5)


def traced_inpainter(path):
    class Fill(torch.nn.Module):
        def forward(self, image, mask):
            return image * (1 - mask) + 0.25 * mask

    torch.jit.trace(Fill(), (torch.rand(1, 3, 8, 8), torch.ones(1, 1, 8, 8))).save(str(path))
    return path.read_bytes()


def test_torchscript_loads_only_with_the_published_md5(hub_server, tmp_path, monkeypatch):
    monkeypatch.setattr(hub, "RELEASES_DIR", tmp_path / "releases")
    spec = get_spec("lama-torchscript")
    data = traced_inpainter(tmp_path / "traced.pt")
    hub_server.repos.releases[spec.release_files["big-lama.pt"]] = data
    with pytest.raises(GenartError, match="not the published e3aa4aaa15225a33ec84f9f4bc47e500; it was deleted"):
        load_model(spec)
    assert not (tmp_path / "releases" / spec.name / "big-lama.pt").exists()
    trusted = dataclasses.replace(spec, published_md5={"big-lama.pt": hashlib.md5(data).hexdigest()})
    module = load_model(trusted).module
    out = module(torch.zeros(1, 3, 16, 16), torch.ones(1, 1, 16, 16))
    assert torch.allclose(out, torch.full_like(out, 0.25))


@pytest.mark.parametrize("crop", [True, False])
def test_unmasked_pixels_come_back_bit_identical(crop):
    image = render("stained_glass", 3, 200)
    mask = np.zeros((200, 200), bool)
    mask[50:90, 120:180] = True
    art, _ = inpaint("telea", image, mask, InpaintSettings(grow=3, feather=6, crop=crop))
    grown = np.zeros_like(mask)
    grown[47:93, 117:183] = True  # the hole grown by 3 px covers at most this box
    assert np.array_equal(np.asarray(art.image)[~grown], np.asarray(image)[~grown])
    assert not np.array_equal(np.asarray(art.image)[mask], np.asarray(image)[mask])


def test_empty_mask_returns_the_image_with_a_notice_and_a_full_mask_is_filled():
    image = render("mondrian", 2, 64)
    art, notice = inpaint("telea", image, np.zeros((64, 64), bool))
    assert np.array_equal(np.asarray(art.image), np.asarray(image)) and "mask is empty" in notice
    art, _ = inpaint("mean-fill", image, np.ones((64, 64), bool))
    assert np.ptp(np.asarray(art.image).reshape(-1, 3), 0).max() == 0  # one colour everywhere


@pytest.mark.parametrize("mode", ["RGBA", "L", "P", "CMYK", "I;16"])
def test_any_image_mode_works(mode):
    image = render("landscape", 4, 96).convert("RGB")
    image = image.convert(mode) if mode != "I;16" else Image.fromarray(np.asarray(image.convert("L")).astype(np.uint16) * 200)
    mask = Image.new("L", (96, 96), 0)
    mask.paste(255, (20, 20, 60, 50))
    art, _ = inpaint("navier-stokes", image, mask)
    assert art.image.mode == "RGB" and art.image.size == (96, 96)


def test_a_painted_rgba_layer_is_a_mask_and_bad_sizes_get_one_sentence():
    image = render("mandala", 5, 80)
    layer = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
    layer.paste((255, 0, 0, 255), (10, 10, 30, 30))
    art, _ = inpaint("telea", image, layer)
    assert art.record["hole_share"] == pytest.approx(400 / 6400)
    with pytest.raises(GenartError, match="use one from 32 to 4096 px"):
        inpaint("telea", Image.new("RGB", (20, 300)), None)
    with pytest.raises(GenartError, match="Mask grow must be from -64 to 64"):
        inpaint("telea", image, layer, InpaintSettings(grow=500))


def test_a_wide_image_with_a_small_hole_works_at_native_resolution():
    image = Image.new("RGB", (4000, 300), (30, 90, 200))
    mask = np.zeros((300, 4000), bool)
    mask[100:140, 3000:3050] = True
    art, notice = inpaint("telea", image, mask)
    assert notice == "" and np.abs(np.asarray(art.image, dtype=int)[120, 3025] - [30, 90, 200]).max() <= 5


def test_push_pull_keeps_known_pixels_and_fills_holes_from_their_surroundings():
    x = torch.zeros(1, 3, 40, 40)
    x[..., :, :20] = 0.2  # left half dark, right half bright
    x[..., :, 20:] = 0.8
    known = torch.ones(1, 1, 40, 40)
    known[..., 10:30, 5:15] = 0  # a hole in the dark half
    known[..., 10:30, 25:35] = 0  # and one in the bright half
    fill = push_pull(x * known, known)
    assert torch.equal(fill[known.expand_as(fill) > 0], x[known.expand_as(x) > 0])
    assert fill[..., 20, 10].max() < 0.4 and fill[..., 20, 30].min() > 0.6


def test_mirror_mismatch_is_zero_for_a_symmetric_image_and_large_for_another():
    symmetric = torch.from_numpy(np.asarray(render("mandala", 3, 64), np.float32) / 255).permute(2, 0, 1)[None]
    other = torch.from_numpy(np.asarray(render("stained_glass", 3, 64), np.float32) / 255).permute(2, 0, 1)[None]
    known = torch.ones(1, 1, 64, 64)
    known[..., 5:25, 8:30] = 0
    near = [m.mean().item() for m in mirror_mismatch(symmetric * known, known)]
    far = [m.mean().item() for m in mirror_mismatch(other * known, known)]
    assert len(near) == 3 and max(near) < 0.01 and min(far) > 0.1


def test_shipped_inpaint_art_uses_a_mandalas_symmetry():
    image = render("mandala", 500_123, 128)
    mask = np.zeros((128, 128), bool)
    mask[20:60, 30:70] = True  # its mirror images are all known
    truth = np.asarray(image, np.float64)

    def psnr_in_hole(model):
        art, _ = inpaint(model, image, mask, InpaintSettings(feather=0, crop=False))
        mse = ((np.asarray(art.image, np.float64) - truth) ** 2)[mask].mean()
        return 10 * np.log10(255 ** 2 / mse)

    assert psnr_in_hole("inpaint-art") > psnr_in_hole("telea") + 8


def test_the_biharmonic_fill_continues_a_slope_that_push_pull_flattens():
    ramp = torch.linspace(0, 1, 48).expand(1, 3, 48, 48).clone()  # (1, 3, 48, 48): brighter to the right
    known = torch.ones(1, 1, 48, 48)
    known[..., 12:36, 10:38] = 0  # inside: every term the hole touches can be zero
    fill = biharmonic_fill(ramp * known, known, steps=200)
    assert torch.equal(fill[known.expand_as(fill) > 0], ramp[known.expand_as(ramp) > 0])
    assert (fill - ramp).abs().max() < 2e-3
    assert (push_pull(ramp * known, known) - ramp).abs().max() > 0.05


def held_out_crop(name: str, size: int, seed: int) -> np.ndarray:
    """(size, size, 3) uint8: a random crop of one named held-out photo."""
    return photo_crops_of([read_photo(next(p for p in photo_split(held_out=True) if p.name == name))], 1, size, seed)[0]


def test_the_biharmonic_fill_approaches_scikit_images_solution():
    from skimage.restoration import inpaint_biharmonic

    image = held_out_crop("dune", 96, seed=7).astype(np.float32) / 255
    mask = np.zeros((96, 96), bool)
    mask[30:60, 20:70] = True
    reference = inpaint_biharmonic(image, mask, channel_axis=-1)
    x, known = torch.from_numpy(image).permute(2, 0, 1)[None], torch.from_numpy(~mask)[None, None].float()

    def distance(fill):
        return np.abs(fill[0].permute(1, 2, 0).numpy() - reference)[mask].mean()

    assert distance(biharmonic_fill(x * known, known, steps=1000)) < 1e-4  # solved, the two agree
    assert distance(biharmonic_fill(x * known, known)) < distance(push_pull(x * known, known))  # stopped early, still nearer


def jacobi_harmonic(image: np.ndarray, mask: np.ndarray, sweeps: int) -> np.ndarray:
    """Laplace's equation in the hole by plain Jacobi sweeps: each unknown pixel becomes the mean of its four
    neighbours (the border replicated), until nothing moves."""
    u = np.where(mask[..., None], image[~mask].mean(0), image)
    for _ in range(sweeps):
        p = np.pad(u, ((1, 1), (1, 1), (0, 0)), mode="edge")
        mean = (p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:]) / 4
        u = np.where(mask[..., None], mean, image)
    return u


def test_the_harmonic_fill_solves_laplaces_equation_and_stays_within_its_surroundings():
    image = held_out_crop("storm", 40, seed=3).astype(np.float64) / 255  # (40, 40, 3)
    mask = np.zeros((40, 40), bool)
    mask[8:30, 5:22] = True
    mask[25:40, 28:36] = True  # one hole on the image's edge
    reference = jacobi_harmonic(image, mask, sweeps=6000)
    x = torch.from_numpy(image).permute(2, 0, 1)[None].float()  # (1, 3, 40, 40)
    known = torch.from_numpy(~mask)[None, None].float()
    fill = harmonic_fill(x * known, known)[0].permute(1, 2, 0).double().numpy()
    assert np.abs(fill - reference)[mask].max() < 1e-4
    assert np.array_equal(fill[~mask], image[~mask].astype(np.float32))
    low, high = image[~mask].min(0), image[~mask].max(0)
    assert (fill[mask] >= low - 1e-4).all() and (fill[mask] <= high + 1e-4).all()


@pytest.mark.parametrize("method", ["harmonic", "tension"])
def test_the_harmonic_and_tension_methods_restore_a_linear_ramp_under_a_hole(method):
    """A ramp's Laplacian is zero (so is its bilaplacian), so either method gives it back, up to 8-bit rounding."""
    ramp = np.broadcast_to(np.linspace(30, 220, 64)[None, :, None], (64, 64, 3)).round().astype(np.uint8)
    mask = np.zeros((64, 64), bool)
    mask[20:40, 10:50] = True
    art, _ = inpaint(method, Image.fromarray(ramp), mask, InpaintSettings(feather=0))
    assert np.abs(np.asarray(art.image).astype(int) - ramp.astype(int)).max() <= 1


def test_the_tension_fill_runs_from_the_plate_to_the_membrane_and_solves_its_own_equation():
    image = held_out_crop("ladybird", 40, seed=5).astype(np.float32) / 255  # (40, 40, 3)
    mask = np.zeros((40, 40), bool)
    mask[8:30, 6:26] = True
    x, known = torch.from_numpy(image).permute(2, 0, 1)[None], torch.from_numpy(~mask)[None, None].float()
    assert torch.equal(tension_fill(x * known, known, tension=0.0), biharmonic_fill(x * known, known))
    assert torch.equal(tension_fill(x * known, known, tension=1.0), harmonic_fill(x * known, known))

    def residual(fill):  # how far the fill is from solving the tensioned plate's equation in the hole
        return (tensioned_plate(TENSION)(fill.double()) * (1 - known)).abs().max().item()

    solved = tension_fill(x * known, known, steps=400)
    assert residual(solved) < 0.02 * min(residual(harmonic_fill(x * known, known, steps=400)),
                                         residual(biharmonic_fill(x * known, known, steps=400)))
    assert torch.equal(solved * known, x * known)


def test_an_inpaint_config_naming_an_unknown_smooth_fill_is_one_sentence(hub_server):
    net = InpaintNet(InpaintNetConfig(width=4))
    config = {**dataclasses.asdict(net.config), "smooth_fill": "os.system"}
    hub_server.repos.commit("tiny/inpaint-odd", {"config.json": json.dumps(config).encode(),
                                                 "model.safetensors": save(net.state_dict())})
    with pytest.raises(GenartError, match="smooth_fill must be one of push-pull, harmonic, biharmonic, tension; got 'os.system'"):
        inpaint("hf-hub:tiny/inpaint-odd", render("landscape", 1, 32), np.ones((32, 32), bool))


def test_an_inpaint_config_from_before_smooth_fills_uses_push_pull():
    assert InpaintNet(InpaintNetConfig(**known_fields(InpaintNetConfig, {"width": 4}))).smooth_fill is push_pull


def test_the_biharmonic_fill_of_a_solid_colour_or_an_empty_image_stays_finite():
    x = torch.full((1, 3, 20, 20), 0.3)
    some, none = torch.ones(1, 1, 20, 20), torch.zeros(1, 1, 20, 20)
    some[..., 5:15, 5:15] = 0
    assert torch.allclose(biharmonic_fill(x * some, some, steps=100), x, atol=1e-5)  # solved in a step, then idle
    assert torch.isfinite(biharmonic_fill(x * none, none)).all()
