"""The replay record inside a PNG: compressed chunks, inputs that fit, and inputs too large to store."""
import numpy as np
import pytest
from PIL import Image

from genart import replay
from genart.errors import GenartError
from genart.pipelines.remake import open_saved, remake
from genart.pipelines.restore import RestoreSettings, restore


def noisy(size: int) -> Image.Image:
    return Image.fromarray(np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8))


def test_the_record_and_inputs_are_stored_compressed_and_read_back(tmp_path):
    art, _ = restore("median-filter", noisy(256), RestoreSettings(25))
    path = art.save(tmp_path / "restored.png")
    raw = path.read_bytes()
    assert b"zTXtgenart" in raw and b"tEXtgenart" not in raw  # compressed text chunks
    record, inputs = open_saved(path)
    assert record["model"] == "median-filter" and "inputs_left_out" not in record
    assert np.array_equal(np.asarray(inputs["image"]), np.asarray(art.inputs["image"]))


def test_an_input_too_large_to_store_is_left_out_and_replay_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(replay, "MAX_CHUNK", 10_000)  # a 256 px noise PNG is about 260 kB in base64
    art, _ = restore("median-filter", noisy(256), RestoreSettings(25))
    path = art.save(tmp_path / "restored.png")
    record, inputs = open_saved(path)
    assert record["inputs_left_out"] == ["image"] and inputs == {}
    with pytest.raises(GenartError, match="without its input image"):
        remake(record, inputs)
