"""Gradio's cache stays bounded under traffic: Gradio's own sweep stops at the first request that adds a file while it
runs; genart's sweep walks copies and keeps going."""
import os
import threading
import time
from types import SimpleNamespace

import pytest
from gradio.route_utils import delete_files_created_by_app

from genart.ui import cache_sweep


def test_files_past_the_age_go_and_kept_ones_stay_while_requests_add_files(tmp_path, monkeypatch):
    made = []
    for i in range(50):  # as Gradio caches them: each file in a folder named by its hash
        (tmp_path / f"hash{i}").mkdir()
        (tmp_path / f"hash{i}" / "out.png").write_bytes(b"x")
        made.append(str(tmp_path / f"hash{i}" / "out.png"))
    (tmp_path / "hash1" / "other.png").write_bytes(b"y")  # a folder that holds more than the swept file
    example = made.pop()
    live = set(made) | {example} | {str(tmp_path / f"gone-{i}.png") for i in range(20_000)}
    blocks = SimpleNamespace(blocks={0: SimpleNamespace(keep_in_cache={example})}, temp_file_sets=[live])
    stop = threading.Event()

    def requests():  # a server under traffic: new cached files all the while
        i = 0
        while not stop.is_set():
            live.add(str(tmp_path / f"request-{i}.png"))
            i += 1
            time.sleep(0.0002)

    adder = threading.Thread(target=requests)
    adder.start()
    try:
        with pytest.raises(RuntimeError, match="Set changed size during iteration"):  # why genart sweeps itself
            for _ in range(20):
                delete_files_created_by_app(blocks, 60)
        assert cache_sweep.sweep(blocks, 60) == 0  # everything on disk is younger than a minute
        assert all(os.path.exists(p) for p in made)
        now = time.time()
        monkeypatch.setattr(cache_sweep.time, "time", lambda: now + 120)  # two minutes on
        assert cache_sweep.sweep(blocks, 60) == len(made)
    finally:
        stop.set()
        adder.join()
    assert not any(os.path.exists(p) or p in live for p in made)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hash1", "hash49"]  # emptied folders go too
    assert (tmp_path / "hash1" / "other.png").exists()
    assert os.path.exists(example) and example in live and not any("gone-" in p for p in live)
