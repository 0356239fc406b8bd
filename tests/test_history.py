"""History: outputs kept with their records in SQLite, found, starred, deleted and pruned; private per owner; whole
after a kill -9 in the middle of writing; shared by two processes without losing entries."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genart import history, store
from genart.audio.sound import Sound
from genart.errors import GenartError
from genart.pipelines.generate import GenerateSettings, generate
from genart.replay import Artwork, make_record, text_json

ROOT = Path(__file__).resolve().parent.parent
# A child process that keeps entries in a loop: what a server does while it is killed.
KEEPER = """
import sys
from pathlib import Path
from PIL import Image
from genart import history
from genart.replay import Artwork, make_record
folder = Path(sys.argv[1])
for i in range(int(sys.argv[2])):
    path = Artwork(Image.new("RGB", (64, 64), (i % 256, 7, int(sys.argv[3]))),
                   make_record("generate", "keeper", {}, seed=i, label=sys.argv[3])).save(folder / f"{i}.png")
    history.keep([path], "owner-" + sys.argv[3])
    print(i, flush=True)
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(store.DATA_DIR, str(folder))
    return folder


def made(folder: Path, seed: int, prompt: str = "", colour=(200, 30, 30), task: str = "imagine") -> Path:
    """An output as a tab writes it: a PNG carrying its record."""
    folder.mkdir(parents=True, exist_ok=True)
    record = make_record(task, "text2art-64", {}, prompt=prompt, seed=seed)
    return Artwork(Image.new("RGB", (64, 64), colour), record).save(folder / f"{seed}.png")


def test_kept_outputs_are_found_by_task_model_words_and_date_and_open_with_their_records(data_dir, tmp_path):
    art = generate("dcgan-art-64", GenerateSettings(label="mandala", seed=4, n=2))
    paths = [a.save(tmp_path / f"g{i}.png") for i, a in enumerate(art)]
    text = tmp_path / "t.json"
    text.write_text(text_json(make_record("text", "text-art", {}, prompt="«Quiet", seed=1), [" garden»"]))
    ids = history.keep([*paths, text, made(tmp_path, 9, "a red mondrian")], "alice")
    assert len(ids) == 4
    everything = history.search("alice")
    assert everything.total == 4 and [e.id for e in everything.entries] == sorted(ids, reverse=True)
    assert {e.kind for e in everything.entries} == {"image", "text"}
    assert [e.task for e in history.search("alice", task="generate").entries] == ["generate", "generate"]
    assert [e.prompt for e in history.search("alice", words="RED mondrian").entries] == ["a red mondrian"]
    assert history.search("alice", words="mondrian mandala").total == 0
    assert history.search("alice", words="100%_").total == 0  # LIKE's wildcards are taken literally
    assert history.search("alice", since=time.time() + 60).total == 0
    entry = history.get("alice", ids[0])
    assert entry.record == art[0].record and entry.path.read_bytes() == paths[0].read_bytes()
    assert Image.open(entry.thumb).size == (256, 256)  # 64 px, shown four times larger with sharp pixels
    assert history.text_of(history.get("alice", ids[2])) == "«Quiet garden»"
    assert history.choices("alice") == (["generate", "imagine", "text"], ["dcgan-art-64", "text-art", "text2art-64"])


def test_one_output_saved_as_several_files_is_one_entry_and_files_are_stored_once(data_dir, tmp_path):
    path = made(tmp_path, 1, "twice")
    wav = tmp_path / "melody.wav"
    record = make_record("melody", "melody-lstm", {}, primer="D4", seed=2)
    Sound(np.zeros(2205, np.int16), 22050, record, []).save(wav)
    roll = Artwork(Image.new("RGB", (80, 40), "navy"), record).save(tmp_path / "melody.png")
    ids = history.keep([wav, roll, wav], "bob")  # a melody's WAV and piano roll, the WAV named twice
    assert len(ids) == 1
    entry = history.get("bob", ids[0])
    assert (entry.kind, entry.path.suffix) == ("audio", ".wav")
    assert Image.open(entry.thumb).getpixel((10, 10)) == (0, 0, 128)  # the piano roll is its picture
    history.keep([path], "bob")
    history.keep([path], "carol")
    with store.connection() as db:
        assert db.execute("SELECT count(*) FROM files WHERE suffix = '.png' AND bytes = ?",
                          (path.stat().st_size,)).fetchone()[0] == 1


def test_another_owners_entry_is_answered_as_a_missing_one_whatever_the_id(data_dir, tmp_path):
    [mine] = history.keep([made(tmp_path, 1, "mine")], "alice")
    for action in (lambda i: history.get("mallory", i), lambda i: history.star("mallory", i),
                   lambda i: history.delete("mallory", i)):
        for forged in (mine, str(mine), float(mine)):
            with pytest.raises(GenartError, match=f"There is no entry {mine} in your history"):
                action(forged)
        for nonsense in (-1, 0, 2**70, "1 OR 1=1", None, [mine], True, 1.5):
            with pytest.raises(GenartError, match="entry|whole number"):
                action(nonsense)
    assert history.search("mallory").total == 0
    assert history.get("alice", mine).starred is False  # untouched
    assert history.search(None).total == 1  # a private server's own user reads everyone's


def test_star_delete_and_paging(data_dir, tmp_path):
    ids = [i for s in range(30) for i in history.keep([made(tmp_path, s, f"p{s}")], "alice")]
    first, second = history.search("alice", per_page=24), history.search("alice", page=1, per_page=24)
    assert (first.pages, len(first.entries), len(second.entries)) == (2, 24, 6)
    assert [e.id for e in first.entries + second.entries] == ids[::-1]
    assert history.star("alice", ids[3]).starred
    assert [e.id for e in history.search("alice", starred=True).entries] == [ids[3]]
    path = history.get("alice", ids[5]).path
    history.delete("alice", ids[5])
    assert not path.exists() and history.search("alice").total == 29
    with pytest.raises(GenartError, match="There is no entry"):
        history.get("alice", ids[5])


def test_the_oldest_unstarred_entries_go_past_the_limit_and_starred_ones_stay(data_dir, tmp_path, monkeypatch):
    ids = [i for s in range(12) for i in history.keep([made(tmp_path, s, colour=(s * 20, 0, 0))], "alice")]
    history.star("alice", ids[0])
    each = history.get("alice", ids[1])
    size = each.path.stat().st_size + each.thumb.stat().st_size
    monkeypatch.setenv(history.HISTORY_MB, str(5.5 * size / 1e6))
    history.keep([made(tmp_path, 99, colour=(0, 0, 250))], "alice")
    left = [e.id for e in history.search("alice", per_page=100).entries]
    assert ids[0] in left and 3 <= len(left) <= 7  # the starred first one stays
    newest = left[:-1]
    assert newest == list(range(newest[0], newest[0] - len(newest), -1)) and newest[0] > ids[-1]  # the oldest went
    with store.connection() as db:
        assert store.stored_bytes(db) <= 5.5 * size
    stored = list((data_dir / "files").glob("*/*"))
    assert len(stored) == 2 * len(left)  # the pruned entries' files are gone from the disk too


def test_the_page_query_reads_an_index_so_ten_thousand_entries_open_like_ten(data_dir):
    with store.connection() as db:
        for query, owner in (("SELECT * FROM entries WHERE owner = ? ORDER BY created DESC, id DESC LIMIT 24",
                              ("alice",)),
                             ("SELECT * FROM entries ORDER BY created DESC, id DESC LIMIT 24", ())):
            plan = " ".join(r["detail"] for r in db.execute(f"EXPLAIN QUERY PLAN {query}", owner))
            assert "USING INDEX entries_by" in plan and "TEMP B-TREE" not in plan, plan  # no sort of all rows


def keepers(data_dir: Path, folder: Path, count: int, names: list[str]) -> list[subprocess.Popen]:
    env = os.environ | {store.DATA_DIR: str(data_dir), "PYTHONPATH": str(ROOT)}
    for n in names:
        (folder / n).mkdir(parents=True)
    return [subprocess.Popen([sys.executable, "-c", KEEPER, str(folder / n), str(count), n], env=env,
                             stdout=subprocess.PIPE, text=True) for n in names]


def test_a_kill_9_while_writing_leaves_a_whole_database_that_keeps_working(data_dir, tmp_path):
    [proc] = keepers(data_dir, tmp_path / "out", 10_000, ["1"])
    for _ in range(25):  # let it write some entries, then kill it mid-stream
        proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(data_dir / "genart.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    found = history.search("owner-1", per_page=100)
    assert found.total >= 25
    assert all(e.path.is_file() and e.record["model"] == "keeper" for e in found.entries)
    history.keep([made(tmp_path, 1, "after")], "owner-1")
    assert history.search("owner-1").total == found.total + 1


def test_two_processes_on_one_data_folder_lose_no_entry(data_dir, tmp_path):
    procs = keepers(data_dir, tmp_path / "out", 40, ["2", "3"])
    for proc in procs:
        proc.communicate(timeout=120)
        assert proc.returncode == 0
    assert [history.search(f"owner-{n}").total for n in ("2", "3")] == [40, 40]
    assert len({json.dumps(e.record) for n in "23" for e in history.search(f"owner-{n}", per_page=40).entries}) == 80
