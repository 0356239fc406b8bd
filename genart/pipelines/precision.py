"""The precisions a text model decodes in, declared once: the settings' check, the Text and Chat tabs' control, the
CLI flag and the replay record read PRECISIONS."""
import threading
from collections.abc import Callable
from dataclasses import replace

import torch
from torch import nn

from ..errors import GenartError
from ..models.int8 import quantized

# name -> (what it is, in the control's help, in English and Chinese; how the loaded module becomes the one that
# decodes, or None: as loaded)
PRECISIONS: dict[str, tuple[str, str, Callable[[nn.Module], nn.Module] | None]] = {
    "float32": ("the weights as loaded (half precision on a GPU)", "按加载时的权重（在 GPU 上为半精度）", None),
    "int8": ("a quarter of the weight bytes, on the CPU even beside a GPU; about 2x faster there for models of "
             "100M parameters and more, the text slightly different",
             "权重字节数为四分之一，即使有 GPU 也在 CPU 上运行；对 1 亿参数及以上的模型约快 2 倍，文字略有不同", quantized),
}
DEFAULT_PRECISION = "float32"
PRECISION_HELP = "; ".join(f"{name}: {what}" for name, (what, _, _) in PRECISIONS.items()) + "."
PRECISION_HELP_ZH = "；".join(f"{name}：{what}" for name, (_, what, _) in PRECISIONS.items()) + "。"


def conversion(name: str) -> Callable[[nn.Module], nn.Module] | None:
    """The checked precision's conversion; None: the module decodes as loaded."""
    if name not in PRECISIONS:
        raise GenartError(f"There is no precision {name!r:.20}; pick one of: {', '.join(PRECISIONS)}.")
    return PRECISIONS[name][2]


def converted(model, convert: Callable[[nn.Module], nn.Module]):
    """A TextModel whose module is `convert` of the loaded one (with its own lock: another module, its own cache)."""
    loaded = replace(model.loaded, module=convert(model.loaded.module), device=torch.device("cpu"),
                     dtype=torch.float32)
    return replace(model, loaded=loaded, lock=threading.Lock())
