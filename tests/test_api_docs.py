"""docs/API.md's examples, run as written (in order, as one session) against the test server. Its chat example names
an instruct model from the Hub; here that name is a tiny one the loopback Hub serves."""
import re
import zipfile
from pathlib import Path

from PIL import Image

from genart.replay import read_record
from tests.test_chat import tiny_llama  # noqa: F401  (a fixture)

DOC = Path(__file__).parents[1] / "docs" / "API.md"


def examples() -> str:
    return "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S))


def test_every_task_has_an_example_called_with_keyword_arguments():
    code = examples()
    called = set(re.findall(r'api_name="/(\w+)"', code))
    assert called >= {"imagine", "imagine_walk", "generate", "interpolate", "encode", "inpaint", "restore", "stylize",
                      "text", "chat", "reconstruct", "between", "melody", "repair", "compare", "replay", "history",
                      "arena_round", "arena_vote", "models", "batch_restore", "batch_imagine"}
    positional = re.findall(r"client\.(?:predict|submit)\((?!\w+=|api_name)[^)]", code)
    assert not positional, "every example call names its arguments"


def test_the_examples_run_as_written(app_url, hub_server, tiny_llama, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    scope = {"URL": app_url}
    exec(compile(examples().replace('"smollm2-135m-instruct"', f'"{tiny_llama[0]}"'), str(DOC), "exec"), scope)
    assert "不是 Hub 模型编号" in scope["refusal"]
    assert len(scope["gallery"]) == 4 and read_record(scope["gallery"][0]["image"])["label"] == "mandala"
    assert Image.open(scope["after"]).size == (96, 96)
    # (a batch already done by an earlier run on this machine is skipped, not made again)
    assert all(re.match(r"2/2 inputs · \d outputs made · \d skipped \(done before\) · 0 failed", scope[name])
               for name in ("batch_status", "prompts_status"))
    assert zipfile.ZipFile(scope["results"]).namelist().count("batch.jsonl") == 1
    assert read_record(scope["result"])["steps"] == 5
    assert scope["message"]["done"] and len(scope["message"]["texts"]) == 2
    assert scope["reply"]["done"] and scope["reply"]["record"]["task"] == "chat"
    assert scope["repair_record"]["gap_ms"] == 40 and scope["repaired"].endswith(".wav")
    assert (scope["record"]["task"], scope["record"]["seed"]) == ("generate", 7)  # the replayed picture's
    assert [c["seed"] for c in scope["cells"]] == [1, 1, 2, 2] and "pixel for pixel" in scope["verdict"]
    assert scope["names"]["vote"] == "a" and scope["names"]["model_a"] != scope["names"]["model_b"]
