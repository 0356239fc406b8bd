"""Training checkpoints that pickle more than tensors load their tensors and nothing else: every global the file
names that genart does not know becomes an inert placeholder, never imported and never called."""
import builtins
import collections
import dataclasses
import io
import os
import sys
import types
import typing

import numpy as np
import pytest
import torch

from genart.errors import GenartError
from genart.inert_unpickler import Inert, load_inert
from genart.loaders import load_model
from genart.models.lama import LaMa, LaMaConfig
from genart.registry import get_spec
from genart.state_dicts import read_state_dict

# What a PyTorch Lightning 1.x checkpoint of LaMa pickles besides its tensors (module, class).
TRAINING_GLOBALS = [("omegaconf.dictconfig", "DictConfig"), ("omegaconf.listconfig", "ListConfig"),
                    ("omegaconf.nodes", "AnyNode"), ("omegaconf.base", "Metadata"),
                    ("omegaconf.base", "ContainerMetadata"), ("pytorch_lightning.callbacks.model_checkpoint",
                                                             "ModelCheckpoint")]


def stand_ins(monkeypatch) -> dict[str, type]:
    """Classes under exactly those names, in modules made for the test, so that pickle can name them; DictConfig a
    mapping and ListConfig a list, as in OmegaConf, so the file also holds their items."""
    made = {}
    for module, name in TRAINING_GLOBALS:
        base = {"DictConfig": dict, "ListConfig": list}.get(name, object)
        cls = type(name, (base,), {"__module__": module, "__qualname__": name})
        for part in (module.split(".")[0], module):
            monkeypatch.setitem(sys.modules, part, sys.modules.get(part) or types.ModuleType(part))
        setattr(sys.modules[module], name, cls)
        made[name] = cls
    return made


def lightning_checkpoint(monkeypatch, extra: dict | None = None) -> tuple[bytes, dict]:
    torch.manual_seed(0)
    generator = {f"generator.{k}": v for k, v in LaMa(LaMaConfig()).state_dict().items()}
    c = stand_ins(monkeypatch)
    metadata = c["ContainerMetadata"]()
    metadata.ref_type, metadata.key = typing.Any, None
    config = c["DictConfig"](training_model={"kind": "default"}, generator=c["ListConfig"]([1, 2]))
    config._metadata, config._content = metadata, {"lr": c["AnyNode"]()}
    state = {"epoch": 40, "global_step": 12_000, "pytorch-lightning_version": "1.2.9",
             "state_dict": collections.OrderedDict(generator | {"discriminator.model0.0.weight": torch.zeros(2)}),
             "callbacks": {c["ModelCheckpoint"]: {"best_model_score": torch.tensor(0.25), "best_k_models": {},
                                                  "monitor": np.float64(0.5)}},
             "optimizer_states": [{"state": {0: {"exp_avg": torch.ones(3)}}, "param_groups": [{"lr": 1e-3}]}],
             "hparams_name": "config", "hyper_parameters": config, **(extra or {})}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    monkeypatch.undo()  # the stand-ins' modules are gone before anything is loaded
    return buffer.getvalue(), generator


def test_a_lightning_checkpoint_gives_its_tensors_and_imports_nothing(monkeypatch, tmp_path):
    data, generator = lightning_checkpoint(monkeypatch)
    path = tmp_path / "best.ckpt"
    path.write_bytes(data)
    loaded = load_inert(path)
    assert "omegaconf" not in sys.modules and "pytorch_lightning" not in sys.modules
    (callback,) = loaded["callbacks"]
    assert issubclass(callback, Inert) and callback.__name__ == "ModelCheckpoint"
    assert isinstance(loaded["hyper_parameters"], Inert)
    state = read_state_dict(path)
    assert all(torch.equal(state[k], v) for k, v in generator.items())


def test_the_official_lama_layout_loads_from_a_lightning_checkpoint(monkeypatch, hub_server):
    data, generator = lightning_checkpoint(monkeypatch)
    hub_server.repos.commit("someone/lama-lightning", {"best.ckpt": data})  # lama's layout, under its own repo id
    loaded = load_model(dataclasses.replace(get_spec("lama"), repo_id="someone/lama-lightning"))
    assert loaded.provenance["repo_id"] == "someone/lama-lightning" and len(loaded.module.state_dict()) == 989
    image, mask = torch.rand(1, 3, 64, 64), torch.zeros(1, 1, 64, 64)
    mask[..., 20:40, 20:40] = 1
    with torch.no_grad():
        out = loaded.module(image, mask)
    assert out.shape == (1, 3, 64, 64) and torch.isfinite(out).all()


class Runs:
    """Pickles as a call of `fn(*args)`: what a malicious file does to run code when it is loaded."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def test_a_checkpoint_whose_globals_would_run_code_runs_nothing(monkeypatch, tmp_path):
    marks = [tmp_path / name for name in ("system", "eval", "exec")]
    evil = {"a": Runs(os.system, f"touch {marks[0]}"),
            "b": Runs(builtins.eval, f"__import__('pathlib').Path({str(marks[1])!r}).touch()"),
            "c": Runs(builtins.exec, f"open({str(marks[2])!r}, 'w').close()")}
    data, generator = lightning_checkpoint(monkeypatch, {"evil": evil})
    path = tmp_path / "best.ckpt"
    path.write_bytes(data)
    loaded = load_inert(path)
    assert not any(m.exists() for m in marks)
    assert isinstance(loaded["evil"]["a"], Inert) and loaded["evil"]["a"].args == (f"touch {marks[0]}",)
    assert set(read_state_dict(path)) >= set(generator)
    assert not any(m.exists() for m in marks)
    buffer = io.BytesIO()
    torch.save({"state_dict": {"generator.x": Runs(os.system, f"touch {marks[0]}")}}, buffer)
    path.write_bytes(buffer.getvalue())
    with pytest.raises(GenartError, match="is not a state dict of tensors"):
        read_state_dict(path)
    assert not marks[0].exists()


def test_a_file_that_is_not_a_torch_archive_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "best.ckpt"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(GenartError, match="Refused to load best.ckpt"):
        read_state_dict(path)


def test_the_legacy_format_loads_its_tensors_and_a_storage_larger_than_the_file_is_refused(tmp_path):
    path = tmp_path / "old.pth"
    weights = {"w": torch.randn(3, 4), "b": torch.arange(5), "empty": torch.empty(0)}
    torch.save({"config": {"lr": 1e-3}, "netG": collections.OrderedDict(weights)}, path,
               _use_new_zipfile_serialization=False)
    assert not path.read_bytes().startswith(b"PK")
    loaded = load_inert(path)
    assert loaded["config"] == {"lr": 1e-3} and all(torch.equal(loaded["netG"][k], v) for k, v in weights.items())
    assert all(torch.equal(read_state_dict(path)[k], v) for k, v in weights.items())  # netG, the generator
    data = path.read_bytes()
    path.write_bytes(data[:-8])  # the last storage cut short
    with pytest.raises(GenartError, match="Refused to load old.pth"):
        read_state_dict(path)
    huge = io.BytesIO()
    torch.save({"w": torch.zeros(1000)}, huge, _use_new_zipfile_serialization=False)
    # the pickle's element count (BININT2, before the view's None) made to claim 240 kB in a 4 kB file: refused
    # before anything is allocated
    count, claimed = b"M" + (1000).to_bytes(2, "little") + b"N", b"M" + (60_000).to_bytes(2, "little") + b"N"
    assert huge.getvalue().count(count) == 1
    path.write_bytes(huge.getvalue().replace(count, claimed))
    with pytest.raises(GenartError, match="Refused to load old.pth"):
        read_state_dict(path)
