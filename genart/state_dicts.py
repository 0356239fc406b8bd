"""Tensors from checkpoint files, never executing code from them: safetensors by default; .bin/.pth through
torch.load(weights_only=True), or where that refuses a file for naming other globals, through the inert unpickler; a
training checkpoint (.ckpt) through the inert unpickler, which builds nothing but tensors and placeholders."""
import pickle
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file

from .errors import GenartError
from .inert_unpickler import load_inert

TRAINING_WRAPPERS = ("state_dict", "avgG", "netG")


def load_weights_only_or_inert(path: Path):
    """torch's weights-only loader; a file it refuses for naming other globals (a training config object) is read
    again by the inert unpickler, which rebuilds tensors and leaves every other global an inert placeholder."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        return load_inert(path)


def read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Tensors from a checkpoint file, never executing code from it."""
    if path.suffix == ".safetensors":
        try:
            return load_file(path)
        except (SafetensorError, OSError) as err:
            raise GenartError(f"The checkpoint {path.name} is damaged or incomplete ({err}); delete it and download "
                              "it again.") from None
    if path.suffix in (".bin", ".pth", ".pt", ".ckpt"):
        try:
            state = load_inert(path) if path.suffix == ".ckpt" else load_weights_only_or_inert(path)
        except Exception as err:  # the unpicklers' refusals come as several exception types
            raise GenartError(f"Refused to load {path.name}: it holds more than plain tensors ({type(err).__name__}); "
                              "only weights-only checkpoints are loaded.") from None
        # A training checkpoint: the model's tensors beside the trainer's state (Lightning's state_dict), or a GAN's
        # generators beside its discriminator (pytorch_GAN_zoo: the averaged generator, which it advises, else netG).
        for key in TRAINING_WRAPPERS:
            if isinstance(state, dict) and isinstance(state.get(key), dict):
                state = state[key]
                break
        if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
            raise GenartError(f"Refused to load {path.name}: it is not a state dict of tensors.")
        return state
    raise GenartError(f"Unsupported checkpoint type {path.suffix!r}; use .safetensors (or a weights-only .bin/.pth).")
