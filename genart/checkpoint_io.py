"""Write a model as a Hub-format folder (PyTorchModelHubMixin layout): config.json + model.safetensors."""
import dataclasses
import json
from pathlib import Path

import torch
from safetensors.torch import save_file


def save_hub_folder(model: torch.nn.Module, config, folder: Path, dtype: torch.dtype = torch.float32):
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous()
             for k, v in model.state_dict().items()}
    save_file(state, folder / "model.safetensors", metadata={"format": "pt"})
    (folder / "config.json").write_text(json.dumps(dataclasses.asdict(config), indent=2) + "\n")
