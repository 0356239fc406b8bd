"""Write a model as a Hub-format folder (PyTorchModelHubMixin layout): config.json + model.safetensors; read back the
training log its trainer wrote beside them."""
import dataclasses
import json
from pathlib import Path

import torch
from safetensors.torch import save_file

LOG_FILE = "training_log.json"  # {"runs": [...]}: each run's command, summary and log, the last one wrote the weights


def save_hub_folder(model: torch.nn.Module, config, folder: Path, dtype: torch.dtype = torch.float32):
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous()
             for k, v in model.state_dict().items()}
    save_file(state, folder / "model.safetensors", metadata={"format": "pt"})
    (folder / "config.json").write_text(json.dumps(dataclasses.asdict(config), indent=2) + "\n")


def training_runs(folder: Path) -> list[dict]:
    """A folder's runs, oldest first: the last one wrote its weights."""
    return json.loads((Path(folder) / LOG_FILE).read_text())["runs"]


def last_run(folder: Path) -> dict:
    """The run that wrote a folder's weights."""
    return training_runs(folder)[-1]
