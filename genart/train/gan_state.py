"""The DCGAN trainer's training state, kept in genart's data cache beside (never in) the folder it writes: the
trained generator, its average, the discriminator and both optimisers at the step whose generator the folder holds."""
from pathlib import Path

import torch

from genart.data.datasets import CACHE_DIR

STATE_DIR = CACHE_DIR / "training-state"


def state_path(folder: str | Path) -> Path:
    """Where the training state of the run that writes `folder` lives: weights/dcgan-art-64 -> STATE_DIR /
    'work--main--weights--dcgan-art-64.pt' (the folder's absolute path, so that two checkouts do not share one)."""
    return STATE_DIR / (str(Path(folder).resolve()).strip("/").replace("/", "--") + ".pt")


def save_state(path: Path, step: int, gen, ema, disc, opt_g, opt_d):
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"step": step, "generator": gen.state_dict(), "ema": ema.state_dict(),
                "discriminator": disc.state_dict(), "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict()}, path)


def load_state(path: Path, gen, ema, disc, opt_g, opt_d, lr_g: float, lr_d: float) -> int:
    """Restore what save_state wrote; the learning rates are this run's (the last run's may have decayed to 0).
    Returns the step the state was saved at."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    for module, key in ((gen, "generator"), (ema, "ema"), (disc, "discriminator"), (opt_g, "opt_g"), (opt_d, "opt_d")):
        module.load_state_dict(state[key])
    for opt, lr in ((opt_g, lr_g), (opt_d, lr_d)):
        for group in opt.param_groups:
            group["lr"] = group["initial_lr"] = lr
    return state["step"]
