"""genart's stored state, the one module that writes SQL: history entries, arena rounds and votes in SQLite (WAL)
under the data folder, and the files they point at stored once each, by content hash, beside the database.

Every connection is opened for one unit of work and closed; SQLite's locking lets several server processes share
one folder. A file is written whole under a temporary name and renamed before any row names it, so a process killed
in the middle of writing leaves at most an unreferenced file, which the next pruning removes.
"""
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

DATA_DIR = "GENART_DATA_DIR"
SPACE_VOLUME = Path("/data")  # a Space's persistent storage, when the Space has it
BUSY_MS = 10_000  # how long a writer waits for another process's lock before giving up

# One list, applied in order; PRAGMA user_version says how many a database has. Never edit a shipped step: append.
MIGRATIONS = (
    """
    CREATE TABLE files (hash TEXT PRIMARY KEY, suffix TEXT NOT NULL, bytes INTEGER NOT NULL);
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT, owner TEXT NOT NULL, task TEXT NOT NULL, model TEXT NOT NULL,
        prompt TEXT NOT NULL, kind TEXT NOT NULL, created REAL NOT NULL, starred INTEGER NOT NULL DEFAULT 0,
        file TEXT NOT NULL REFERENCES files(hash), thumb TEXT NOT NULL REFERENCES files(hash),
        bytes INTEGER NOT NULL, record TEXT NOT NULL);
    CREATE INDEX entries_by_owner ON entries (owner, created);  -- read backwards: newest first, then highest id
    CREATE INDEX entries_by_age ON entries (starred, created);
    CREATE INDEX entries_by_time ON entries (created);
    CREATE TABLE rounds (
        token TEXT PRIMARY KEY, owner TEXT NOT NULL, task TEXT NOT NULL, model_a TEXT NOT NULL, model_b TEXT NOT NULL,
        created REAL NOT NULL, ready REAL, voted REAL, file_a TEXT, file_b TEXT, record_a TEXT, record_b TEXT);
    CREATE INDEX rounds_by_age ON rounds (created);
    CREATE TABLE votes (
        id INTEGER PRIMARY KEY AUTOINCREMENT, round TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, task TEXT NOT NULL,
        model_a TEXT NOT NULL, model_b TEXT NOT NULL, winner TEXT NOT NULL, created REAL NOT NULL,
        file_a TEXT NOT NULL, file_b TEXT NOT NULL, record_a TEXT NOT NULL, record_b TEXT NOT NULL);
    CREATE INDEX votes_by_task ON votes (task, id);
    CREATE INDEX votes_by_owner ON votes (owner, created);
    """,
)


def data_dir() -> Path:
    """GENART_DATA_DIR; else a Space's /data volume when it exists; else the user's cache folder."""
    if os.environ.get(DATA_DIR):
        return Path(os.environ[DATA_DIR])
    if SPACE_VOLUME.is_dir() and os.access(SPACE_VOLUME, os.W_OK):
        return SPACE_VOLUME / "genart"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "genart" / "data"


def database_path() -> Path:
    return data_dir() / "genart.sqlite3"


def files_dir() -> Path:
    return data_dir() / "files"


@contextmanager
def connection() -> Iterator[sqlite3.Connection]:
    """One unit of work: committed when the block ends, rolled back if it raises."""
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)) as db:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # in WAL mode still safe against a process dying
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def migrate(db: sqlite3.Connection) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= len(MIGRATIONS):
        return
    db.execute("BEGIN IMMEDIATE")
    version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated meanwhile
    for step in MIGRATIONS[version:]:
        for statement in filter(str.strip, step.split(";")):
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
    db.execute("COMMIT")


# Files, by content hash


def file_path(digest: str, suffix: str) -> Path:
    return files_dir() / digest[:2] / f"{digest}{suffix}"


def put_file(db: sqlite3.Connection, data: bytes, suffix: str) -> str:
    """Store bytes once (by their SHA-256); -> the hash."""
    digest = hashlib.sha256(data).hexdigest()
    path = file_path(digest, suffix)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    db.execute("INSERT OR IGNORE INTO files (hash, suffix, bytes) VALUES (?, ?, ?)", (digest, suffix, len(data)))
    return digest


def stored_path(db: sqlite3.Connection, digest: str) -> Path | None:
    row = db.execute("SELECT suffix FROM files WHERE hash = ?", (digest,)).fetchone()
    return file_path(digest, row["suffix"]) if row else None


def drop_unused_files(db: sqlite3.Connection) -> int:
    """Forget and delete the files no entry, round or vote points at; -> how many went."""
    unused = db.execute(
        "SELECT hash, suffix FROM files WHERE hash NOT IN (SELECT file FROM entries UNION SELECT thumb FROM entries "
        "UNION SELECT file_a FROM votes UNION SELECT file_b FROM votes UNION SELECT file_a FROM rounds "
        "WHERE file_a IS NOT NULL UNION SELECT file_b FROM rounds WHERE file_b IS NOT NULL)").fetchall()
    for row in unused:
        db.execute("DELETE FROM files WHERE hash = ?", (row["hash"],))
        file_path(row["hash"], row["suffix"]).unlink(missing_ok=True)
    return len(unused)


def drop_stray_parts(older_than: float = 3600) -> None:
    """Remove half-written files a killed process left (they are never named by a row)."""
    now = time.time()
    for part in files_dir().glob("*/*.part"):
        try:
            if now - part.stat().st_mtime > older_than:
                part.unlink()
        except FileNotFoundError:
            pass


# History entries


def add_entry(db: sqlite3.Connection, owner: str, task: str, model: str, prompt: str, kind: str, file: str,
              thumb: str, size: int, record: str) -> int:
    cursor = db.execute("INSERT INTO entries (owner, task, model, prompt, kind, created, file, thumb, bytes, record) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (owner, task, model, prompt, kind, time.time(), file, thumb, size, record))
    return cursor.lastrowid


def _like(words: str) -> str:
    """A word as a LIKE pattern that matches it anywhere, its own % and _ taken literally."""
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entry_filter(owner: str | None, task: str, model: str, words: list[str], since: float | None,
                  until: float | None, starred: bool) -> tuple[str, list]:
    """owner None: everyone's (a private server's own user sees all)."""
    clauses, args = [], []
    for column, value in (("owner", owner), ("task", task or None), ("model", model or None)):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    for word in words:
        clauses.append("prompt LIKE ? ESCAPE '\\'")
        args.append(_like(word))
    if since is not None:
        clauses.append("created >= ?")
        args.append(since)
    if until is not None:
        clauses.append("created < ?")
        args.append(until)
    if starred:
        clauses.append("starred = 1")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def find_entries(db: sqlite3.Connection, owner: str | None, *, task: str = "", model: str = "",
                 words: list[str] = (), since: float | None = None, until: float | None = None,
                 starred: bool = False, offset: int = 0, limit: int = 24) -> tuple[list[sqlite3.Row], int]:
    """-> (a page of entries, newest first; how many match in all)."""
    where, args = _entry_filter(owner, task, model, list(words), since, until, starred)
    total = db.execute(f"SELECT count(*) FROM entries{where}", args).fetchone()[0]
    rows = db.execute(f"SELECT * FROM entries{where} ORDER BY created DESC, id DESC LIMIT ? OFFSET ?",
                      [*args, limit, offset]).fetchall()
    return rows, total


def entry(db: sqlite3.Connection, owner: str | None, entry_id: int) -> sqlite3.Row | None:
    """The entry, only when it is this owner's (owner None: anyone's)."""
    if owner is None:
        return db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
    return db.execute("SELECT * FROM entries WHERE id = ? AND owner = ?", (entry_id, owner)).fetchone()


def entry_choices(db: sqlite3.Connection, owner: str | None, column: str) -> list[str]:
    """The tasks or models this owner's entries have, for the History tab's filters."""
    if column not in ("task", "model"):
        raise ValueError(column)
    where, args = ("WHERE owner = ?", [owner]) if owner is not None else ("", [])
    return [r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM entries {where} ORDER BY 1", args)]


def set_starred(db: sqlite3.Connection, owner: str | None, entry_id: int, starred: bool) -> bool:
    if owner is None:
        cursor = db.execute("UPDATE entries SET starred = ? WHERE id = ?", (int(starred), entry_id))
    else:
        cursor = db.execute("UPDATE entries SET starred = ? WHERE id = ? AND owner = ?",
                            (int(starred), entry_id, owner))
    return cursor.rowcount == 1


def delete_entry(db: sqlite3.Connection, owner: str | None, entry_id: int) -> bool:
    if owner is None:
        cursor = db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
    else:
        cursor = db.execute("DELETE FROM entries WHERE id = ? AND owner = ?", (entry_id, owner))
    return cursor.rowcount == 1


def stored_bytes(db: sqlite3.Connection) -> int:
    """The bytes of the history's entries, files and thumbnails (a file two entries share counts twice: the bound
    errs on the side of room)."""
    return db.execute("SELECT coalesce(sum(bytes), 0) FROM entries").fetchone()[0]


def oldest_unstarred(db: sqlite3.Connection, limit: int) -> list[tuple[int, int]]:
    """(id, bytes) of the oldest unstarred entries."""
    return [(r[0], r[1]) for r in db.execute("SELECT id, bytes FROM entries WHERE starred = 0 ORDER BY created, id "
                                             "LIMIT ?", (limit,))]


def delete_entries(db: sqlite3.Connection, ids: list[int]) -> None:
    db.executemany("DELETE FROM entries WHERE id = ?", [(i,) for i in ids])


# Arena rounds and votes


def add_round(db: sqlite3.Connection, token: str, owner: str, task: str, model_a: str, model_b: str) -> None:
    db.execute("INSERT INTO rounds (token, owner, task, model_a, model_b, created) VALUES (?, ?, ?, ?, ?, ?)",
               (token, owner, task, model_a, model_b, time.time()))


def round_ready(db: sqlite3.Connection, token: str, file_a: str, file_b: str, record_a: str, record_b: str) -> None:
    """Both outputs arrived and were shown: from now on the round takes a vote."""
    db.execute("UPDATE rounds SET ready = ?, file_a = ?, file_b = ?, record_a = ?, record_b = ? WHERE token = ?",
               (time.time(), file_a, file_b, record_a, record_b, token))


def arena_round(db: sqlite3.Connection, token: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM rounds WHERE token = ?", (token,)).fetchone()


def add_vote(db: sqlite3.Connection, r: sqlite3.Row, winner: str) -> sqlite3.Row:
    """The round's vote, and the round marked voted (in one transaction: a round is counted once); -> the vote."""
    now = time.time()
    db.execute("UPDATE rounds SET voted = ? WHERE token = ?", (now, r["token"]))
    db.execute("INSERT INTO votes (round, owner, task, model_a, model_b, winner, created, file_a, file_b, record_a, "
               "record_b) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (r["token"], r["owner"], r["task"], r["model_a"], r["model_b"], winner, now, r["file_a"], r["file_b"],
                r["record_a"], r["record_b"]))
    return db.execute("SELECT * FROM votes WHERE round = ?", (r["token"],)).fetchone()


def import_vote(db: sqlite3.Connection, v: dict) -> int:
    """A vote read back from elsewhere (a Hub dataset), without voter or files; once per round. -> 1 if added."""
    cursor = db.execute("INSERT OR IGNORE INTO votes (round, owner, task, model_a, model_b, winner, created, file_a, "
                        "file_b, record_a, record_b) VALUES (?, '', ?, ?, ?, ?, ?, '', '', ?, ?)",
                        (v["round"], v["task"], v["model_a"], v["model_b"], v["winner"], v["created"],
                         json.dumps(v["record_a"], sort_keys=True), json.dumps(v["record_b"], sort_keys=True)))
    return cursor.rowcount


def votes_since(db: sqlite3.Connection, owner: str, since: float) -> int:
    return db.execute("SELECT count(*) FROM votes WHERE owner = ? AND created >= ?", (owner, since)).fetchone()[0]


def votes(db: sqlite3.Connection, task: str | None = None) -> list[sqlite3.Row]:
    """Every vote (of one task), oldest first."""
    if task is None:
        return db.execute("SELECT * FROM votes ORDER BY id").fetchall()
    return db.execute("SELECT * FROM votes WHERE task = ? ORDER BY id", (task,)).fetchall()


def drop_old_rounds(db: sqlite3.Connection, older_than: float) -> int:
    """Rounds are kept only while a vote may still come: an hour, say. Voted ones live on in votes. -> how many
    went."""
    return db.execute("DELETE FROM rounds WHERE created < ?", (time.time() - older_than,)).rowcount


def drop_oldest_votes(db: sqlite3.Connection, keep: int) -> int:
    """-> how many went."""
    return db.execute("DELETE FROM votes WHERE id NOT IN (SELECT id FROM votes ORDER BY id DESC LIMIT ?)",
                      (keep,)).rowcount
