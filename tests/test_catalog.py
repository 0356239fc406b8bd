"""Model management: status of every model, download, unload, delete, and adding a Hub repo by id."""
import json

import pytest
import torch
import transformers
from safetensors.torch import save

from genart import access, catalog
from genart.errors import GenartError
from genart.pipelines.text import TextSettings, complete
from tests.checkpoints import saved_files
from tests.test_text_pipeline import byte_bpe


@pytest.fixture
def added_file(tmp_path, monkeypatch):
    monkeypatch.setattr(access, "ADDED_FILE", tmp_path / "added.json")
    return tmp_path / "added.json"


def tiny_gpt2_files(tmp_path) -> dict[str, bytes]:
    torch.manual_seed(9)
    files = saved_files(transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=1, n_head=2, n_embd=16, vocab_size=300, n_positions=32, bos_token_id=0, eos_token_id=0)), tmp_path)
    byte_bpe(300).save(str(tmp_path / "tokenizer.json"))
    return files | {"tokenizer.json": (tmp_path / "tokenizer.json").read_bytes(), "README.md": b"# tiny card\n\nA test."}


def test_the_table_says_what_is_on_disk(added_file):
    rows = {s.name: s for s in catalog.table()}
    assert rows["text-art"].cached and rows["text-art"].size_mb > 1 and rows["text-art"].task == "text"
    assert rows["procedural-art"].size_mb is None and rows["procedural-art"].cached  # built in: nothing to download
    assert not rows["gpt2"].cached or rows["gpt2"].size_mb
    assert "# text-art" in catalog.model_card("text-art")


def test_add_download_load_unload_delete_a_hub_repo(hub_server, tmp_path, added_file):
    hub_server.repos.commit("someone/tiny-writer", tiny_gpt2_files(tmp_path))
    spec = catalog.add("someone/tiny-writer")
    assert spec.name == "hf-hub:someone/tiny-writer" and spec.task == "text"
    assert json.loads(added_file.read_text()) == [{"name": "hf-hub:someone/tiny-writer", "task": "text"}]
    row = catalog.status(spec)
    assert row.cached and row.arch == "auto" and not row.loaded
    assert catalog.model_card(spec.name).startswith("# tiny card")
    complete(spec.name, TextSettings(prompt="Hi", max_new_tokens=2))
    assert catalog.status(spec).loaded and catalog.status(spec).device == "cpu"
    assert catalog.unload(spec.name) and not catalog.status(spec).loaded
    assert catalog.delete(spec.name) > 0
    assert not catalog.status(spec).cached
    assert spec.name in {s.name for s in catalog.table()}  # still listed, to download again


def test_a_repo_genart_cannot_run_is_refused_with_the_reason(hub_server, added_file):
    hub_server.repos.commit("someone/a-bert", {"config.json": b'{"model_type": "bert"}',
                                               "model.safetensors": save({"w": torch.zeros(2)})})
    with pytest.raises(GenartError, match=r"not an architecture genart can run \(bert\)"):
        catalog.add("someone/a-bert")
    assert not added_file.exists()


def test_shipped_models_cannot_be_deleted_or_downloaded(added_file):
    with pytest.raises(GenartError, match="ships with genart and cannot be deleted"):
        catalog.delete("dcgan-art-64")
    with pytest.raises(GenartError, match="needs no download"):
        catalog.download("text-art")
