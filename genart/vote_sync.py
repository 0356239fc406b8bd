"""Arena votes that outlive a Space without persistent storage: with GENART_ARENA_DATASET set (and no /data
volume), each server appends its votes as JSON lines to a file that huggingface_hub's CommitScheduler pushes to that
Hub dataset every few minutes, and a server starting on an empty disk first reads every vote back from it.

The lines carry no voter: a visitor's identity is their browser's secret, which no dataset receives.
"""
import json
import logging
import os
import uuid
from pathlib import Path

from huggingface_hub import CommitScheduler, snapshot_download
from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError

from . import store
from .ratings import WINS

DATASET = "GENART_ARENA_DATASET"  # owner/name of the Hub dataset that keeps the votes
EVERY_MINUTES = "GENART_ARENA_PUSH_MINUTES"
FOLDER = "votes"  # in the dataset, and the pushed folder's name beside the database
log = logging.getLogger("genart")


class VoteSync:
    """The scheduler pushing this server's votes file, and the file."""

    def __init__(self, scheduler: CommitScheduler, file: Path):
        self.scheduler, self.file = scheduler, file

    def append(self, line: str) -> None:
        with self.scheduler.lock:  # the scheduler reads the file under the same lock
            with self.file.open("a") as f:
                f.write(line + "\n")

    def stop(self) -> None:
        self.scheduler.stop()


_running: list[VoteSync] = []  # the one sync of this process, once started


def wanted() -> str | None:
    """The dataset to push to: GENART_ARENA_DATASET, unless the data folder is a Space's persistent volume."""
    repo = os.environ.get(DATASET, "").strip()
    on_volume = store.data_dir().resolve().is_relative_to(store.SPACE_VOLUME)
    return repo if repo and not on_volume else None


def readable_vote(v) -> bool:
    """A line read back from the dataset holds a vote of the form arena.vote_line writes."""
    return (isinstance(v, dict) and all(isinstance(v.get(k), str) and 0 < len(v[k]) <= 200
                                        for k in ("round", "task", "model_a", "model_b"))
            and v.get("winner") in WINS and isinstance(v.get("created"), (int, float))
            and isinstance(v.get("record_a"), dict) and isinstance(v.get("record_b"), dict))


def restore(repo: str) -> int:
    """Every vote in the dataset that the database lacks, added; -> how many were added."""
    try:
        folder = Path(snapshot_download(repo, repo_type="dataset", allow_patterns=[f"{FOLDER}/*.jsonl"]))
    except (RepositoryNotFoundError, LocalEntryNotFoundError, HfHubHTTPError) as err:
        log.warning("arena: no votes read back from %s (%s)", repo, type(err).__name__)
        return 0
    votes = []
    for path in sorted(folder.glob(f"{FOLDER}/*.jsonl")):
        for line in path.read_text().splitlines():
            try:
                votes.append(json.loads(line))
            except json.JSONDecodeError:  # a line cut short by a push in the middle of writing
                continue
    with store.connection() as db:
        return sum(store.import_vote(db, v) for v in votes if readable_vote(v))


def start() -> VoteSync | None:
    """At server start: read the dataset's votes back, then push this server's from now on."""
    repo = wanted()
    if repo is None or _running:
        return _running[0] if _running else None
    added = restore(repo)
    folder = store.data_dir() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    minutes = float(os.environ.get(EVERY_MINUTES) or 5)
    scheduler = CommitScheduler(repo_id=repo, repo_type="dataset", folder_path=folder, path_in_repo=FOLDER,
                                every=minutes, private=True, allow_patterns=["*.jsonl"])
    _running.append(VoteSync(scheduler, folder / f"{uuid.uuid4().hex}.jsonl"))
    log.info("arena: %d votes read back from %s; pushing new ones every %g minutes", added, repo, minutes)
    return _running[0]


def stop() -> None:
    while _running:
        _running.pop().stop()


def pushed(line: str) -> None:
    """A vote's line, queued for the dataset when a sync runs."""
    if _running:
        _running[0].append(line)
