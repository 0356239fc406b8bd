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

STYLEGAN2, STYLEGAN3 = "stylegan2", "stylegan3"  # the model_type a generator's config gets here
# StyleGAN3's constructor numbers that set its layers' geometry (NVlabs' defaults where a pickle leaves one out):
# name -> (type, lowest, highest).
STYLEGAN3_NUMBERS = {"channel_base": (int, 1, 1 << 20), "channel_max": (int, 1, 4096), "num_critical": (int, 0, 64),
                     "first_cutoff": (float, 0.1, 64), "first_stopband": (float, 0.1, 64),
                     "last_stopband_rel": (float, 1, 16), "margin_size": (int, 0, 256), "output_scale": (float, 1e-3, 16),
                     "conv_kernel": (int, 1, 7), "filter_size": (int, 1, 64), "lrelu_upsampling": (int, 1, 8)}
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


def in_range(value, kind: type, low: float, high: float, name: str):
    """A constructor number of StyleGAN3's geometry, checked: its type (an int for an int) and range."""
    ok = not isinstance(value, bool) and (isinstance(value, int) if kind is int else isinstance(value, (int, float)))
    if not ok or not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"its {name} is {value!r:.40}, not a number from {low:g} to {high:g}")
    return kind(value)


def generator_config(kwargs: dict, state: dict) -> dict:
    """The constructor arguments of the generator that its weights cannot tell, as a config dict."""
    mapping = kwargs.get("mapping_kwargs") if isinstance(kwargs.get("mapping_kwargs"), dict) else {}
    config = {"conv_clamp": number(kwargs.get("conv_clamp"), None, "conv_clamp"),
              "mapping_lr_multiplier": number(mapping.get("lr_multiplier"), 0.01, "mapping learning-rate multiplier")}
    if "synthesis.input.affine.weight" not in state:
        return {"model_type": STYLEGAN2, **config}
    radial = kwargs.get("use_radial_filters", False)
    if not isinstance(radial, bool):
        raise ValueError(f"its use_radial_filters is {radial!r:.40}, not true or false")
    given = {k: in_range(kwargs[k], *limits, k) for k, limits in STYLEGAN3_NUMBERS.items() if kwargs.get(k) is not None}
    if "conv_clamp" in kwargs and kwargs["conv_clamp"] is None:
        config["conv_clamp"] = None
    elif config["conv_clamp"] is None:
        config["conv_clamp"] = 256.0  # StyleGAN3's default
    return {"model_type": STYLEGAN3, **config, **given, "use_radial_filters": radial}


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
