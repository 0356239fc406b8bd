"""Style-transfer speed at 256 and 512 px for each method, beside the AdaIN paper's Table 1 (Pascal Titan X).

Networks with weights that cannot be downloaded here (AdaIN, VGG-19) run with random weights: the same work.
Gatys is timed per optimisation step and scaled to the paper's 500 iterations.
"""
import copy

import torch

from ..loaders import ARCHITECTURES, load_model
from ..models.adain import AdaIN, adain
from ..models.random_features import RandomFeatures, RandomFeaturesConfig
from ..models.transformer_net import TransformerNet
from ..models.vgg import VGG19Features, VGGConfig
from ..pipelines.gatys import gram, style_losses
from ..registry import get_spec
from ..runtime import pick_device
from .timing import machine, median_seconds

SIZES = (256, 512)
PAPER = {"AdaIN": (0.018, 0.065), "Gatys et al. (500 iterations)": (14.17, 46.75)}  # seconds, 256 / 512
GATYS_STEPS = 500


def fast_seconds(size: int, device, prepared: bool) -> float:
    """fast-stained-glass as genart loads it (channels-last), or its weights in a plain eager NCHW module."""
    net = load_model(get_spec("fast-stained-glass")).module
    if not prepared:
        plain = TransformerNet(net.config).to(device, next(net.parameters()).dtype).eval()
        plain.load_state_dict(net.state_dict())
        net = plain
    x = torch.rand(1, 3, size, size, device=device, dtype=next(net.parameters()).dtype) * 255
    return median_seconds(lambda: net(x), device)


def adain_seconds(size: int, device, prepared: bool) -> float:
    """AdaIN as genart loads and calls it (channels-last), or as a plain eager module (the reference)."""
    net = AdaIN().to(device).eval()
    layout = torch.channels_last if prepared else torch.contiguous_format
    net = ARCHITECTURES["adain"].prepare(net) if prepared else net
    content, style = (torch.rand(1, 3, size, size, device=device).contiguous(memory_format=layout) for _ in range(2))
    return median_seconds(lambda: net.decode(adain(net.encode(content), net.encode(style))), device)


def gatys_step_seconds(net, size: int, device) -> float:
    """One optimisation step: forward through the feature network, losses, backward, Adam."""
    content = torch.rand(1, 3, size, size, device=device)
    cfg = net.config
    with torch.no_grad():
        content_targets = net(content, tuple(cfg.content_layers))
        style_targets = {n: gram(net(torch.rand_like(content), (n,))[n]) for n in cfg.style_layers}
    x = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=0.02)

    def step():
        losses = style_losses(net, x, content_targets, style_targets)
        opt.zero_grad(set_to_none=True)
        sum(losses.values()).backward()
        opt.step()

    return median_seconds(step, device)


def run():
    device = pick_device()
    with torch.no_grad():
        rows = [("fast network (fast-stained-glass), as genart runs it", [fast_seconds(s, device, True) for s in SIZES],
                 None),
                ("fast network (fast-stained-glass), plain eager NCHW", [fast_seconds(s, device, False) for s in SIZES],
                 None),
                ("AdaIN (random weights), as genart runs it", [adain_seconds(s, device, True) for s in SIZES],
                 PAPER["AdaIN"]),
                ("AdaIN (random weights), plain eager NCHW", [adain_seconds(s, device, False) for s in SIZES],
                 PAPER["AdaIN"])]
    random_net = RandomFeatures(RandomFeaturesConfig()).to(device)
    vgg_net = VGG19Features(VGGConfig()).to(device).requires_grad_(False)
    prepared_vgg = ARCHITECTURES["vgg19"].prepare(copy.deepcopy(vgg_net))
    for name, net in (("Gatys, random features", random_net), ("Gatys, VGG-19 (random weights), as genart runs it",
                                                                prepared_vgg),
                      ("Gatys, VGG-19 (random weights), plain eager NCHW", vgg_net)):
        rows.append((f"{name}, {GATYS_STEPS} steps", [gatys_step_seconds(net, s, device) * GATYS_STEPS for s in SIZES],
                     PAPER["Gatys et al. (500 iterations)"]))
    print(f"\n### style — seconds per image — {machine(device)}\n")
    print("| method | 256 px | 512 px | paper, Titan X: 256 / 512 |")
    print("|---|---|---|---|")
    for name, (a, b), paper in rows:
        reference = f"{paper[0]} / {paper[1]}" if paper else "—"
        print(f"| {name} | {a:.3f} | {b:.3f} | {reference} |")
