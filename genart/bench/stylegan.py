"""StyleGAN speed on this device: genart's StyleGAN2 and StyleGAN3 generators at published 256 px shapes (random
weights), images a second and seconds a projection step, beside NVlabs' own code with its reference ops on the same
weights when a checkout of NVlabs/stylegan3 is named in GENART_NVLABS_STYLEGAN3 (its licence keeps it out of
genart; its CUDA kernels do not run on a CPU, so the reference ops are what it runs there too)."""
import os
import statistics
import sys

import torch

from ..loaders import load_strict
from ..models import stylegan2, stylegan3
from ..pipelines.gatys import random_features
from ..pipelines.projection import compared, noise_penalty, perceptual, unit_features
from ..registry import get_spec
from .timing import machine, median_seconds, seconds_per_call

SIDE = 256
# NVlabs' 256 px shapes: stylegan2-ada's paper256 (cbase 16384, 8 mapping layers), stylegan3-t and -r with cbase
# 16384 (their 256 px configurations), -r with 1x1 convolutions, doubled channels and radial filters.
NVLABS_KWARGS = {
    "StyleGAN2": ("training.networks_stylegan2", dict(z_dim=512, c_dim=0, w_dim=512, img_resolution=SIDE, img_channels=3,
                                                     mapping_kwargs=dict(num_layers=8), channel_base=16384,
                                                     channel_max=512, num_fp16_res=0, conv_clamp=256)),
    "StyleGAN3-T": ("training.networks_stylegan3", dict(z_dim=512, c_dim=0, w_dim=512, img_resolution=SIDE,
                                                       img_channels=3, mapping_kwargs=dict(num_layers=2),
                                                       channel_base=16384, channel_max=512, num_fp16_res=0,
                                                       conv_clamp=256)),
    "StyleGAN3-R": ("training.networks_stylegan3", dict(z_dim=512, c_dim=0, w_dim=512, img_resolution=SIDE,
                                                       img_channels=3, mapping_kwargs=dict(num_layers=2),
                                                       channel_base=32768, channel_max=1024, num_fp16_res=0,
                                                       conv_clamp=256, conv_kernel=1, use_radial_filters=True)),
}


def nvlabs_generator(name: str):
    """NVlabs' generator from the checkout in GENART_NVLABS_STYLEGAN3, or None."""
    checkout = os.environ.get("GENART_NVLABS_STYLEGAN3")
    if not checkout:
        return None
    sys.path.insert(0, checkout)
    module_name, kwargs = NVLABS_KWARGS[name]
    module = __import__(module_name, fromlist=["Generator"])
    torch.manual_seed(0)
    return module.Generator(**kwargs).eval().requires_grad_(False)


def genart_generator(name: str, reference):
    """genart's generator of the same shape, with the reference's weights when there is one (else its own draws,
    filters set to a plain average)."""
    _, kwargs = NVLABS_KWARGS[name]
    if name == "StyleGAN2":
        channels = [min(kwargs["channel_base"] // r, kwargs["channel_max"]) for r in (4 * 2 ** i for i in range(7))]
        g = stylegan2.StyleGAN2Generator(stylegan2.StyleGAN2Config(channels=channels, conv_clamp=256))
    else:
        keep = {k: v for k, v in kwargs.items() if k in ("channel_base", "channel_max", "conv_kernel", "use_radial_filters")}
        g = stylegan3.StyleGAN3Generator(stylegan3.StyleGAN3Config(img_resolution=SIDE, **keep))
    if reference is not None:
        load_strict(g, reference.state_dict())
    else:
        with torch.no_grad():
            for key, buffer in g.named_buffers():
                if key.endswith(("filter", "resample_filter")):
                    buffer.fill_(1 / buffer.numel())
    return g.eval().requires_grad_(False)


def images_per_second(call, batch: int) -> float:
    z = torch.randn(batch, 512)
    with torch.no_grad():
        return batch / statistics.median(seconds_per_call(lambda: call(z), torch.device("cpu"), warmup=1, min_time=3,
                                                          min_repeats=3))


def projection_step_seconds(synthesis, num_ws: int, noises: dict) -> float:
    """One step of genart's projection loop (its loss and noise penalty) through this synthesis network."""
    net, _ = random_features(get_spec("gatys-random", task="style"), None)
    with torch.no_grad():
        target = unit_features(net, compared(torch.rand(1, 3, SIDE, SIDE)))
    w = torch.zeros(1, 1, 512, requires_grad=True)
    maps = {k: v.clone().requires_grad_(True) for k, v in noises.items()}
    opt = torch.optim.Adam([w, *maps.values()], lr=0.01)

    def step():
        images = (synthesis(w.expand(1, num_ws, -1), maps) + 1) / 2
        loss = perceptual(net, compared(images), target) + 1e5 * noise_penalty(maps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return median_seconds(step, torch.device("cpu"))


def own_noises(g) -> dict:
    return {k.removesuffix(".noise_const"): v for k, v in g.synthesis.named_buffers() if k.endswith(".noise_const")}


def run():
    """A table row for each generator as soon as it is measured (StyleGAN3-R at 256 px takes minutes on a CPU)."""
    print(f"\n### StyleGAN — {machine(torch.device('cpu'))}\n")
    print("| generator (random weights) | batch | genart (images/s) | NVlabs, reference ops (images/s) | genart / NVlabs "
          "| projection: genart (s/step) | NVlabs synthesis in the same loop (s/step) | NVlabs / genart |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for name in NVLABS_KWARGS:
        reference = nvlabs_generator(name)
        g = genart_generator(name, reference)
        ours = [images_per_second(lambda z: g(z), b) for b in (1, 4)]
        theirs = [images_per_second(lambda z: reference(z, None, noise_mode="const", force_fp32=True), b)
                  for b in (1, 4)] if reference is not None else [None, None]
        ours_step = projection_step_seconds(lambda ws, maps: g.synthesis(ws, noises=maps), g.config.num_ws, own_noises(g))
        theirs_step = None
        if reference is not None and name == "StyleGAN2":
            theirs_step = projection_step_seconds(lambda ws, maps: nvlabs_synthesis(reference, ws, maps),
                                                  g.config.num_ws, own_noises(g))
        elif reference is not None:
            theirs_step = projection_step_seconds(lambda ws, maps: reference.synthesis(ws), g.config.num_ws, {})
        steps = [f"{ours_step:.2f}", *([f"{theirs_step:.2f}", f"{theirs_step / ours_step:.2f}x"] if theirs_step
                                       else ["not measured", ""])]
        for batch, a, b in zip((1, 4), ours, theirs):
            cells = [f"{name} {SIDE} px", str(batch), f"{a:.2f}",
                     *([f"{b:.2f}", f"{a / b:.2f}x"] if b else ["not measured (no checkout named)", ""]),
                     *(steps if batch == 1 else ["", "", ""])]
            print("| " + " | ".join(cells) + " |", flush=True)


def nvlabs_synthesis(reference, ws: torch.Tensor, maps: dict) -> torch.Tensor:
    """NVlabs' StyleGAN2 synthesis with its noise buffers set to the maps being optimised (as its projector does)."""
    for name, noise in maps.items():
        layer = reference.synthesis.get_submodule(name)
        layer.noise_const = noise
    return reference.synthesis(ws, noise_mode="const", force_fp32=True)
