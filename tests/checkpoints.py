"""Small checkpoints built in tests, in the exact layouts of the repos they stand in for."""
import io
import json

import torch
from safetensors.torch import save

from genart.models.dcgan import DCGANConfig, DCGANGenerator


def huggan_generator(hidden_size: int = 8, latent_dim: int = 16, seed: int = 0) -> DCGANGenerator:
    torch.manual_seed(seed)
    model = DCGANGenerator(DCGANConfig(latent_dim=latent_dim, hidden_size=hidden_size))
    for m in model.modules():  # non-trivial BatchNorm statistics, so a wrong load would show
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    return model.eval()


def safetensors_bytes(model: torch.nn.Module) -> bytes:
    return save({k: v.contiguous() for k, v in model.state_dict().items()})


def bin_bytes(model: torch.nn.Module) -> bytes:
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getvalue()


def huggan_config(model: DCGANGenerator) -> bytes:
    """The config.json PyTorchModelHubMixin writes for huggan's Generator: its __init__ kwargs."""
    c = model.config
    return json.dumps({"num_channels": c.num_channels, "latent_dim": c.latent_dim, "hidden_size": c.hidden_size}).encode()


def saved_files(model, folder) -> dict[str, bytes]:
    """What save_pretrained writes, as a Hub repo's files."""
    model.save_pretrained(folder)
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
