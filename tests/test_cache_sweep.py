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


def test_the_sweep_thread_also_prunes_genarts_output_folders_while_idle(tmp_path, monkeypatch):
    from genart.ui import common

    monkeypatch.setattr(common, "OUTPUT_ROOT", tmp_path)
    monkeypatch.setattr(common, "_pruned_at", [0.0])
    for name in ("examples", "old-request", "new-request"):
        (tmp_path / name).mkdir()
    hour_ago = time.time() - 3600
    os.utime(tmp_path / "old-request", (hour_ago, hour_ago))
    os.utime(tmp_path / "examples", (hour_ago, hour_ago))
    blocks = SimpleNamespace(blocks={}, temp_file_sets=[])
    stop = cache_sweep.start(blocks, 0.05, 60, also=common.prune_old_outputs)
    deadline = time.time() + 10
    while (tmp_path / "old-request").exists() and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["examples", "new-request"]
