"""Tensors from checkpoint files, never executing code from them: safetensors by default; .bin/.pth only through
torch.load(weights_only=True); a training checkpoint (.ckpt) through the inert unpickler, which builds nothing but
tensors and placeholders."""
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file

from .errors import GenartError
from .inert_unpickler import load_inert


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
            state = load_inert(path) if path.suffix == ".ckpt" else \
                torch.load(path, map_location="cpu", weights_only=True)
        except Exception as err:  # the unpicklers' refusals come as several exception types
            raise GenartError(f"Refused to load {path.name}: it holds more than plain tensors ({type(err).__name__}); "
                              "only weights-only checkpoints are loaded.") from None
        if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
            state = state["state_dict"]  # a training checkpoint: the model's tensors, beside the trainer's state
        if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
            raise GenartError(f"{path.name} is not a state dict of tensors.")
        return state
    raise GenartError(f"Unsupported checkpoint type {path.suffix!r}; use .safetensors (or a weights-only .bin/.pth).")
