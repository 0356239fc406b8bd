"""`python -m genart space export`: a folder a Space takes as it is, that starts and serves in public mode."""
import fnmatch
import subprocess
import sys

import pytest
from huggingface_hub.repocard import metadata_load

from genart import space
from genart.bench.app_process import start_app
from genart.registry import BUILTIN
from tests.raw_api import call


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("space") / "genart-space"
    done = subprocess.run([sys.executable, "-m", "genart", "space", "export", str(out)], cwd=space.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def test_every_binary_file_is_under_an_lfs_rule(exported):
    rules = [line.split()[0] for line in (exported / ".gitattributes").read_text().splitlines()]
    assert all(line.endswith("filter=lfs diff=lfs merge=lfs -text")
               for line in (exported / ".gitattributes").read_text().splitlines())
    binaries = [p for p in exported.rglob("*") if p.is_file() and space.is_binary(p)]
    assert len(binaries) >= 8  # the shipped weights and their sample grids
    uncovered = [p for p in binaries if not any(fnmatch.fnmatch(p.name, rule) for rule in rules)]
    assert uncovered == []


def test_the_front_matter_is_a_zerogpu_space_that_preloads_every_hub_model_at_its_pin(exported):
    meta = metadata_load(exported / "README.md")
    pinned = dict(line.split("==") for line in (exported / "requirements.txt").read_text().splitlines())
    assert meta["sdk"] == "gradio" and meta["sdk_version"] == pinned["gradio"]
    assert meta["python_version"] in ("3.10", "3.12") and meta["app_file"] == "app.py"
    assert meta["suggested_hardware"].startswith("zero-")
    hub_specs = [s for s in BUILTIN if s.repo_id]
    assert set(meta["models"]) == {s.repo_id for s in hub_specs}
    preload = {entry.split()[0]: entry.split()[1:] for entry in meta["preload_from_hub"]}
    for s in hub_specs:
        files, revision = preload[s.repo_id]
        assert files.split(",") == list(s.preload) and revision == s.revision
    assert "torch" in pinned and all(v[0].isdigit() for v in pinned.values())
    assert "EXPOSE 7860" in (exported / "Dockerfile").read_text()
    assert not list(exported.rglob("__pycache__")) and not (exported / "tests").exists()


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    done = subprocess.run([sys.executable, "-m", "genart", "space", "export", str(tmp_path)], cwd=space.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "is not empty" in done.stderr


def test_the_exported_folder_starts_as_a_space_in_public_mode_and_generates(exported, tmp_path):
    """Run from the exported folder (app.py puts it first on the path), with only SPACE_ID to say where it is."""
    log = open(tmp_path / "space.log", "w")
    env = {"SPACE_ID": "someone/genart", "GENART_PUBLIC": ""}  # an empty GENART_PUBLIC decides nothing
    proc, url = start_app(env, log, cwd=exported)
    try:
        answer = call(url, "generate", ["dcgan-art-64", "mandala", 1, 2, 2.0, 64])
        assert answer.error is None and len(answer.output[0]) == 2
        assert "does not let visitors" in call(url, "delete_model", ["gpt2"]).error  # SPACE_ID: public mode
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
