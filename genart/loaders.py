"""From resolved checkpoint files to a ready module: architecture detection, strict loads, the loaded-model cache."""
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from . import hub, network_pickle, runtime, text_configs
from .errors import GenartError
from .models import adain, clip, gpt2, lama, llama, progan, stylegan2, stylegan3, transformer_net, vgg
from .models.attention import input_major
from .models.biggan import BigGAN, BigGANConfig, fold_spectral_norm
from .models.checkpoint import CheckpointMismatch
from .models.dcgan import DCGANConfig, DCGANGenerator
from .models.dncnn import DnCNN, DnCNNConfig
from .models.inpaint_net import InpaintNet, InpaintNetConfig
from .models.lstm_lm import LSTMConfig, LSTMLanguageModel
from .models.repair_vae import RepairVAE, RepairVAEConfig
from .models.sentence_vae import SentenceVAE, SentenceVAEConfig
from .models.text2art import Text2ArtConfig, Text2ArtGenerator
from .models.torchscript_inpainter import TorchScriptInpainter
from .models.transformer_net import TransformerNetConfig
from .models.vae import ConvVAE, VAEConfig
from .registry import AUTO_ARCH, ModelSpec
from .state_dicts import read_state_dict


@dataclass(frozen=True)
class Architecture:
    task: str  # what a Hub repo detected as this architecture is listed under
    matches: Callable[[dict | None, dict], bool]  # (config.json or None, state dict) -> is this architecture
    build: Callable[[dict | None, dict], nn.Module]  # -> an unloaded module of the right shape
    half_safe: bool  # may run in fp16/bf16 on a GPU
    convert: Callable[[dict, nn.Module], dict] = lambda state, module: state  # checkpoint keys -> module keys
    # (config or None, state dict) from a checkpoint folder; most architectures have one weights file, AdaIN has two.
    read: Callable[[hub.Resolved], tuple[dict | None, dict]] = lambda resolved: read_checkpoint(resolved)
    # For a checkpoint that is a whole program (TorchScript) instead of a state dict: (spec, resolved) -> module.
    load: Callable[[ModelSpec, hub.Resolved], nn.Module] | None = None
    # Last touches on the loaded module, on its device and dtype (a faster memory layout).
    prepare: Callable[[nn.Module], nn.Module] = lambda module: module
    also_for: tuple[str, ...] = ()  # other tasks whose registry entries may name it (a language model of melodies)


def read_checkpoint(resolved: hub.Resolved) -> tuple[dict | None, dict]:
    """config.json (None without one) and the weights file's state dict; for an NVlabs network pickle, what it
    says of its generator and the generator's tensors."""
    weights = resolved.weights_file()
    if weights.suffix == ".pkl":
        return network_pickle.read_generator(weights)
    return resolved.config(), read_state_dict(weights)


@dataclass
class LoadedModel:
    spec: ModelSpec
    arch: str  # the ARCHITECTURES key it was built as: the spec's, or the one detected in a Hub repo
    module: nn.Module
    provenance: dict
    device: torch.device
    dtype: torch.dtype
    folder: Path  # the checkpoint's files, for what else a task reads there (a tokenizer)


def dcgan_config(config: dict | None, state: dict) -> DCGANConfig:
    """From config.json when there is one; else from the weight shapes (huggan repos that ship only a .bin)."""
    if config is not None:
        return DCGANConfig(**known_fields(DCGANConfig, config))
    first, last = state["model.0.weight"], state["model.12.weight"]  # (latent, 8h, 4, 4), (h, C, 4, 4)
    return DCGANConfig(num_channels=last.shape[1], latent_dim=first.shape[0], hidden_size=last.shape[0])


def is_dcgan(config: dict | None, state: dict) -> bool:
    if config is not None:  # huggan's and ours have no model_type; genart's VAE has the same sizes and one
        return "model_type" not in config and {"latent_dim", "hidden_size", "num_channels"} <= config.keys()
    return all(k in state and state[k].ndim == 4 for k in ("model.0.weight", "model.12.weight"))


def known_fields(cls, config: dict) -> dict:
    """The entries of a config.json that the dataclass `cls` has fields for."""
    return {k: v for k, v in config.items() if k in {f.name for f in dataclasses.fields(cls)}}


def is_transformer_net(config: dict | None, state: dict) -> bool:
    """Ours say so in config.json; pytorch/examples checkpoints are bare state dicts with its key names."""
    if config is not None:
        return config.get("model_type") == "transformer-net"
    return {"conv1.conv2d.weight", "res5.conv2.conv2d.weight", "deconv3.conv2d.weight"} <= state.keys()


def read_adain(resolved: hub.Resolved) -> tuple[None, dict]:
    """naoto0804/pytorch-AdaIN's two files as one state dict: encoder.* (cut at relu4_1) and decoder.*."""
    encoder = adain.encoder_state(read_state_dict(resolved.folder / "vgg_normalised.pth"))
    decoder = read_state_dict(resolved.folder / "decoder.pth")
    return None, {f"encoder.{k}": v for k, v in encoder.items()} | {f"decoder.{k}": v for k, v in decoder.items()}


def load_torchscript(spec: ModelSpec, resolved: hub.Resolved) -> nn.Module:
    """TorchScript is code: only a built-in spec's file, and only when its published MD5 matches, right before loading."""
    (name, md5), = spec.published_md5.items()
    path = resolved.folder / name
    hub.check_md5(path, md5)
    return TorchScriptInpainter(torch.jit.load(str(path), map_location="cpu"))


def channels_last(module: nn.Module) -> nn.Module:
    """Convolution weights in the channels-last layout, which oneDNN (and a GPU's tensor cores) run faster."""
    return module.to(memory_format=torch.channels_last)


def model_type_is(*types: str) -> Callable[[dict | None, dict], bool]:
    return lambda config, state: (config or {}).get("model_type") in types


def is_progan(config: dict | None, state: dict) -> bool:
    return config is None and bool({"formatLayer.module.weight", "formatLayer.weight"} & state.keys())


def is_biggan(config: dict | None, state: dict) -> bool:
    """pytorch-pretrained-BigGAN's config.json: no model_type, these keys."""
    return config is not None and {"z_dim", "channel_width", "layers", "n_stats"} <= config.keys()


def is_clip(config: dict | None, state: dict) -> bool:
    """transformers' CLIPModel (model_type "clip") or OpenCLIP's open_clip_config.json."""
    return config is not None and (config.get("model_type") == "clip" or "model_cfg" in config)


def clip_config(config: dict) -> clip.CLIPConfig:
    try:
        return clip.from_open_clip_config(config) if "model_cfg" in config else clip.from_transformers_config(config)
    except (KeyError, TypeError, AttributeError) as err:
        raise ValueError(f"a CLIP config without a readable {err}") from None


def clip_state(state: dict, module: nn.Module) -> dict:
    """Either layout in the module's names, told apart by OpenCLIP's patch convolution key."""
    return clip.from_open_clip(state) if "visual.conv1.weight" in state else clip.from_transformers(state)


ARCHITECTURES: dict[str, Architecture] = {
    "dcgan": Architecture("generate", is_dcgan, lambda c, s: DCGANGenerator(dcgan_config(c, s)), half_safe=True),
    "biggan": Architecture("generate", is_biggan, lambda c, s: BigGAN(BigGANConfig(**known_fields(BigGANConfig, c))),
                           half_safe=True, convert=lambda s, m: fold_spectral_norm(s), also_for=("imagine",)),
    "text2art": Architecture("imagine", model_type_is("genart-text2art"),
                             lambda c, s: Text2ArtGenerator(Text2ArtConfig(**known_fields(Text2ArtConfig, c))),
                             half_safe=False),  # its GRU runs in float32 on every device
    # facebookresearch/pytorch_GAN_zoo's PGAN: a .pth with its config as a pickled object, so the shape comes from
    # the weights; its keys, with or without `.module.`, name the module's own.
    "progan": Architecture("generate", is_progan,
                           lambda c, s: progan.ProGANGenerator(progan.config_from_state(progan.from_zoo_state(s))),
                           half_safe=True, convert=lambda s, m: progan.from_zoo_state(s)),
    # NVlabs' StyleGAN2 network pickles (their averaged generator), read without running their code.
    "stylegan2": Architecture("generate", model_type_is(network_pickle.STYLEGAN2), lambda c, s: stylegan2.StyleGAN2Generator(
                                  stylegan2.config_from_state(s, conv_clamp=c["conv_clamp"],
                                                              mapping_lr_multiplier=c["mapping_lr_multiplier"])),
                              half_safe=False),  # the reference runs float32 off CUDA; demodulation overflows fp16
    "stylegan3": Architecture("generate", model_type_is(network_pickle.STYLEGAN3), lambda c, s: stylegan3.StyleGAN3Generator(
                                  stylegan3.config_from(s, {k: v for k, v in c.items() if k != "model_type"})),
                              half_safe=False),
    "vae": Architecture("generate", model_type_is("genart-vae"), lambda c, s: ConvVAE(VAEConfig(**known_fields(VAEConfig, c))),
                        half_safe=True),
    "gpt2": Architecture("text", model_type_is("gpt2"), lambda c, s: gpt2.GPT2(text_configs.gpt2_config(c, "GPT-2")),
                         half_safe=True, convert=lambda s, m: gpt2.from_hf_state_dict(s, m.config), prepare=input_major,
                         also_for=("melody",)),
    "llama": Architecture("text", model_type_is(*text_configs.LLAMA_FAMILY),
                          lambda c, s: llama.Llama(text_configs.llama_config(c, c["model_type"])),
                          half_safe=True, convert=lambda s, m: llama.from_hf_state_dict(s, m.config), prepare=input_major),
    "lstm": Architecture("text", model_type_is("genart-lstm"),
                         lambda c, s: LSTMLanguageModel(LSTMConfig(**known_fields(LSTMConfig, c))), half_safe=False,
                         also_for=("melody",)),
    "sentence-vae": Architecture("text", model_type_is("genart-sentence-vae"), lambda c, s: SentenceVAE(
                                     SentenceVAEConfig(**known_fields(SentenceVAEConfig, c))), half_safe=False),
    # Style transfer optimises pixels through VGG-19 and measures small differences: float32 everywhere.
    "vgg19": Architecture("style", lambda c, s: (c or {}).get("architecture") == "vgg19",
                          lambda c, s: vgg.VGG19Features(vgg.VGGConfig()), half_safe=False,
                          convert=lambda s, m: vgg.features_only(s), prepare=channels_last),  # 1.35x a CPU step
    "transformer-net": Architecture("style", is_transformer_net, lambda c, s: transformer_net.TransformerNet(
                                        transformer_net.TransformerNetConfig(**known_fields(TransformerNetConfig, c or {}))),
                                    half_safe=True, convert=lambda s, m: transformer_net.drop_stale_statistics(s),
                                    prepare=channels_last),  # with its one-pass instance norm: 1.56x at 512 px (bench style)
    "lama": Architecture("inpaint", lambda c, s: "generator.model.1.ffc.convl2l.weight" in s,
                         lambda c, s: lama.LaMa(lama.LaMaConfig()), half_safe=False,  # FFTs want float32
                         convert=lambda s, m: lama.from_official_state_dict(s, m.config),
                         read=lambda resolved: (None, read_state_dict(resolved.folder / "best.ckpt"))),
    # Never detected in a Hub repo: TorchScript runs only for built-in specs that name it, behind a published hash.
    "torchscript": Architecture("inpaint", lambda c, s: False, lambda c, s: None, half_safe=False, load=load_torchscript),
    "inpaint-net": Architecture("inpaint", model_type_is("genart-inpaint"),
                                lambda c, s: InpaintNet(InpaintNetConfig(**known_fields(InpaintNetConfig, c))),
                                half_safe=True),
    "dncnn": Architecture("restore", model_type_is("genart-dncnn"),
                          lambda c, s: DnCNN(DnCNNConfig(**known_fields(DnCNNConfig, c))), half_safe=True),
    "repair-vae": Architecture("repair", model_type_is("genart-repair-vae"),  # its STFTs want float32
                               lambda c, s: RepairVAE(RepairVAEConfig(**known_fields(RepairVAEConfig, c))),
                               half_safe=False),
    "clip": Architecture("clip", is_clip, lambda c, s: clip.CLIP(clip_config(c)), half_safe=True, convert=clip_state),
    # fp16 variances overflow; channels-last convolutions: 1.4x at 512 px on the CPU (bench style)
    "adain": Architecture("style", lambda c, s: {"encoder.0.weight", "decoder.1.weight"} <= s.keys(),
                          lambda c, s: adain.AdaIN(), half_safe=False, read=read_adain, prepare=channels_last),
}


def detect_arch(config: dict | None, state: dict, name: str) -> str:
    for arch, entry in ARCHITECTURES.items():
        if entry.matches(config, state):
            return arch
    kind = (config or {}).get("model_type") or (config or {}).get("architectures") or "no config.json"
    raise GenartError(f"{name} is not an architecture genart can run ({kind}); supported: {', '.join(ARCHITECTURES)}.")


def load_strict(module: nn.Module, state: dict):
    """load_state_dict(strict=True), with an error that names the keys that do not fit."""
    expected = module.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [f"{k} {tuple(state[k].shape)} != {tuple(v.shape)}" for k, v in expected.items()
             if k in state and state[k].shape != v.shape]
    problems = ([f"missing {', '.join(missing[:3])}"] if missing else []) + \
               ([f"unexpected {', '.join(unexpected[:3])}"] if unexpected else []) + \
               ([f"wrong shape {', '.join(wrong[:3])}"] if wrong else [])
    if problems:
        raise CheckpointMismatch("; ".join(problems))
    module.load_state_dict(state, strict=True)


def load_model(spec: ModelSpec, progress: hub.Progress | None = None) -> LoadedModel:
    """The module for `spec` on the runtime's device, from the cache when it is already loaded."""
    resolved = hub.resolve(spec, progress)
    device = runtime.pick_device()
    key = runtime.cache_key(spec.name, resolved.provenance, device)
    return runtime.MODELS.get(key, lambda: _build(spec, resolved, device))


def _build(spec: ModelSpec, resolved: hub.Resolved, device: torch.device) -> LoadedModel:
    if spec.arch != AUTO_ARCH and ARCHITECTURES[spec.arch].load is not None:
        module = ARCHITECTURES[spec.arch].load(spec, resolved).to(device).eval().requires_grad_(False)
        return LoadedModel(spec, spec.arch, module, resolved.provenance, device, torch.float32, resolved.folder)
    if spec.arch == AUTO_ARCH:
        config, state = read_checkpoint(resolved)
        arch = detect_arch(config, state, spec.name)
    else:
        arch = spec.arch
        config, state = ARCHITECTURES[arch].read(resolved)
    entry = ARCHITECTURES[arch]
    if not entry.matches(config, state):
        raise GenartError(f"The files of {spec.name} do not hold a {arch} checkpoint.")
    if spec.task not in (entry.task, *entry.also_for):
        raise GenartError(f"{spec.name} is a {arch} model for the {entry.task} task, not {spec.task}.")
    try:
        module = entry.build(config, state)
    except ValueError as err:  # a config value the architecture has no use for, in its own words
        raise GenartError(f"The config.json of {spec.name} does not fit its architecture: {err}") from None
    try:
        load_strict(module, entry.convert(state, module))
    except (CheckpointMismatch, KeyError) as err:  # the key tables' count and shape checks, a key they look up
        raise GenartError(f"The checkpoint of {spec.name} does not fit its architecture: {err}.") from None
    dtype = runtime.pick_dtype(device, entry.half_safe)
    module = entry.prepare(module.to(device=device, dtype=dtype).eval().requires_grad_(False))
    return LoadedModel(spec, arch, module, resolved.provenance, device, dtype, resolved.folder)
