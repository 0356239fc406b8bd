"""Replicas behind a load balancer share one Hugging Face cache: state kept on disk must survive two processes."""
import json
import multiprocessing
import time

from genart import access


def add_many(folder: str, replica: int, count: int, start: float):
    access.ADDED_FILE = access.Path(folder) / "added-models.json"
    time.sleep(max(0.0, start - time.time()))  # both replicas begin together
    for i in range(count):
        access.record_added(f"hf-hub:replica{replica}/model-{i}", "generate")


def test_two_replicas_adding_models_at_once_lose_none(tmp_path):
    context = multiprocessing.get_context("spawn")
    start = time.time() + 5
    replicas = [context.Process(target=add_many, args=(str(tmp_path), r, 150, start)) for r in (1, 2)]
    for p in replicas:
        p.start()
    for p in replicas:
        p.join(timeout=120)
        assert p.exitcode == 0
    names = [e["name"] for e in json.loads((tmp_path / "added-models.json").read_text())]
    assert sorted(names) == sorted(f"hf-hub:replica{r}/model-{i}" for r in (1, 2) for i in range(150))


def test_a_repo_is_listed_once_however_often_it_is_added(tmp_path, monkeypatch):
    monkeypatch.setattr(access, "ADDED_FILE", tmp_path / "added-models.json")
    for _ in range(3):
        access.record_added("hf-hub:owner/gan", "generate")
    assert access.added_entries() == [{"name": "hf-hub:owner/gan", "task": "generate"}]
