"""NVlabs' network pickles (stylegan2-ada-pytorch's and stylegan3's `network-snapshot-*.pkl` and their published
`stylegan2-*.pkl`): a dict whose `G_ema` is the averaged generator. Each network in them is pickled with the Python
source of its module (torch_utils.persistence), to be executed on load; genart never runs it. The inert unpickler
reads the pickle, and from the generator's persisted state this takes only its tensors (by module path, as its
state_dict names them) and the plain numbers and names of its constructor arguments."""
import math
import pickle
from pathlib import Path

import torch

from .errors import GenartError
from .inert_unpickler import Inert, load_plain

STYLEGAN2 = "stylegan2"  # the model_type a StyleGAN2 generator's config gets here
MAX_DEPTH = 64  # module nesting; NVlabs' generators are 4 deep


def persisted_state(obj, where: str) -> dict:
    """The state dict of an object pickled by torch_utils.persistence (an inert placeholder called with its
    meta dict)."""
    if not (isinstance(obj, Inert) and type(obj).__name__ == "_reconstruct_persistent_obj" and len(obj.args) == 1
            and isinstance(obj.args[0], dict) and isinstance(obj.args[0].get("state"), dict)):
        raise ValueError(f"{where} is not a network saved by NVlabs' torch_utils.persistence")
    return obj.args[0]["state"]


def plain(value, depth: int = 0):
    """Numbers, strings, None and containers of them out of pickled arguments (an EasyDict placeholder as the dict
    of its items); anything else as None."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, Inert):
        value = value.items
    if isinstance(value, dict):
        return {k: plain(v, depth + 1) for k, v in value.items() if isinstance(k, str)}
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    return value if isinstance(value, (bool, int, float, str, type(None))) else None


def tensors(obj, prefix: str, into: dict[str, torch.Tensor], depth: int = 0):
    """A persisted module's parameters and buffers, and its submodules', under their state_dict names."""
    if depth > MAX_DEPTH:
        raise ValueError("modules nested deeper than any generator")
    state = persisted_state(obj, prefix.rstrip(".") or "G_ema") if depth else obj
    for group in ("_parameters", "_buffers"):
        for name, tensor in (state.get(group) or {}).items():
            if tensor is not None:
                if not isinstance(tensor, torch.Tensor):
                    raise ValueError(f"{prefix}{name} is not a tensor")
                into[f"{prefix}{name}"] = tensor
    for name, child in (state.get("_modules") or {}).items():
        if child is not None:
            tensors(child, f"{prefix}{name}.", into, depth + 1)


def number(value, default: float | None, name: str) -> float | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"its {name} is {value!r:.40}, not a positive number")
    return float(value)


def generator_config(kwargs: dict, state: dict) -> dict:
    """The constructor arguments of the generator that its weights cannot tell, as a config dict."""
    if "synthesis.input.affine.weight" in state:
        raise ValueError("it is a StyleGAN3 generator, which genart does not run yet (StyleGAN2 pickles load)")
    mapping = kwargs.get("mapping_kwargs") if isinstance(kwargs.get("mapping_kwargs"), dict) else {}
    return {"model_type": STYLEGAN2, "conv_clamp": number(kwargs.get("conv_clamp"), None, "conv_clamp"),
            "mapping_lr_multiplier": number(mapping.get("lr_multiplier"), 0.01, "mapping learning-rate multiplier")}


def read_generator(path: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """-> (a config dict: model_type and what the weights cannot tell, the averaged generator's tensors)"""
    try:
        with open(path, "rb") as file:
            data = load_plain(file)
        if not isinstance(data, dict) or "G_ema" not in data:
            raise ValueError("it has no G_ema (the averaged generator); TensorFlow StyleGAN pickles are not read")
        root = persisted_state(data["G_ema"], "G_ema")
        state: dict[str, torch.Tensor] = {}
        tensors(root, "", state)
        kwargs = plain(root.get("_init_kwargs")) or {}
        return generator_config(kwargs if isinstance(kwargs, dict) else {}, state), state
    except ValueError as err:
        raise GenartError(f"Refused to load {path.name}: {err}.") from None
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, IndexError, KeyError, RuntimeError) as err:
        raise GenartError(f"Refused to load {path.name}: it is not a network pickle genart can read "
                          f"({type(err).__name__}); use a stylegan2-ada-pytorch or stylegan3 .pkl.") from None
