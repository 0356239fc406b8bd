"""History: every output a person makes, kept with its replay record in the store (store.py), with a thumbnail, and
found again by task, model, date and the words of its prompt.

An owner is who made an entry: LOCAL on a private server and in the CLI (whose user sees everything); on a public
server a visitor's browser, login or session (ui/visitor.py), who sees only their own. The whole history is bounded
by GENART_HISTORY_MB: past it, the oldest unstarred entries go.
"""
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageSequence

from . import store
from .audio.spectrogram import spectrogram
from .audio.wav import read_wav
from .errors import GenartError
from .pipelines.compare_grid import CELL, fitted, text_block
from .pipelines.remake import open_saved
from .replay import png_bytes

LOCAL = "local"  # the owner of what a private server and the CLI make
HISTORY_MB = "GENART_HISTORY_MB"
DEFAULT_MB = 2000
PAGE = 24  # entries a History page shows
MAX_PAGE = 100
MAX_WORDS = 200  # the longest search text
# Which of an output's files is the entry, when one output was saved as several (a melody's WAV, MIDI and piano
# roll): the first kind here; a picture among the others becomes the thumbnail.
KINDS = {".wav": "audio", ".webp": "animation", ".gif": "animation", ".json": "text", ".png": "image", ".mid": "audio",
         ".midi": "audio"}
SEARCHED = ("prompt", "label", "primer", "describe", "sentence_a", "sentence_b", "sentence", "compared_task")
log = logging.getLogger("genart")


@dataclass(frozen=True)
class Entry:
    id: int
    task: str
    model: str
    prompt: str
    kind: str  # image, animation, text or audio
    created: float
    starred: bool
    path: Path  # the output file, as it was written (its record inside)
    thumb: Path  # a PNG of at most CELL px
    record: dict

    @property
    def when(self) -> str:
        return datetime.fromtimestamp(self.created).strftime("%Y-%m-%d %H:%M")

    def caption(self) -> str:
        return f"★ {self.model}" if self.starred else self.model


def limit_bytes() -> int:
    value = os.environ.get(HISTORY_MB)
    return int(float(value) * 1e6) if value else DEFAULT_MB * 10**6


def searchable(record: dict) -> str:
    """The words an entry is found by: its prompt, label, primer, sentences (the record's own text)."""
    found = [str(record[k]) for k in SEARCHED if isinstance(record.get(k), (str, int, float)) and record[k] != ""]
    messages = record.get("messages")
    if isinstance(messages, list):
        found += [str(m.get("content", "")) for m in messages if isinstance(m, dict)]
    return " ".join(found)[:2000]


def thumbnail(path: Path, record: dict, picture: Image.Image | None) -> Image.Image:
    """A picture of the output for the gallery: the image (an animation's first frame), a given picture (a melody's
    piano roll), a text's first lines, or a recording's spectrogram."""
    if picture is None and path.suffix.lower() in (".png", ".webp", ".gif"):
        with Image.open(path) as image:
            picture = next(ImageSequence.Iterator(image)).convert("RGB")
    if picture is not None:
        return fitted(picture.convert("RGB"))
    if path.suffix.lower() == ".json":
        texts = json.loads(path.read_text()).get("texts") or [""]
        shown = [record.get("prompt", "") + texts[0]] if isinstance(record.get("prompt"), str) else texts[:1]
        return text_block(str(shown[0]), CELL, CELL)
    if path.suffix.lower() == ".wav":
        samples, rate, _ = read_wav(path.read_bytes(), max_seconds=3600)
        return spectrogram(samples, rate, CELL)
    return text_block(f"{record.get('task')} · {record.get('model')}", CELL, CELL)


def grouped(paths: list[Path]) -> list[tuple[Path, dict, Image.Image | None]]:
    """Files that carry one record (an output saved as WAV, MIDI and PNG) as one entry: (its main file, the record,
    a picture for its thumbnail). Files without a genart record are left out."""
    groups: dict[str, list[tuple[Path, dict]]] = {}
    for path in paths:
        if path.suffix.lower() not in KINDS:
            continue
        try:
            record, _ = open_saved(path)
        except GenartError:
            continue
        groups.setdefault(json.dumps(record, sort_keys=True), []).append((path, record))
    order = list(KINDS)
    entries = []
    for files in groups.values():
        files.sort(key=lambda f: order.index(f[0].suffix.lower()))
        main, record = files[0]
        picture = next((p for p, _ in files[1:] if p.suffix.lower() == ".png"), None)
        if picture is not None:
            with Image.open(picture) as image:
                picture = image.convert("RGB")
        entries.append((main, record, picture))
    return entries


def keep(paths: list[Path | str], owner: str) -> list[int]:
    """Store outputs genart wrote (their files, records and thumbnails) as entries of `owner`; -> the entry ids."""
    made = [(main, record, main.read_bytes(), png_bytes(thumbnail(main, record, picture)))
            for main, record, picture in grouped([Path(p) for p in paths])]
    ids = []
    with store.connection() as db:  # one transaction for a batch
        for main, record, data, thumb in made:
            file = store.put_file(db, data, main.suffix.lower())
            small = store.put_file(db, thumb, ".png")
            ids.append(store.add_entry(db, owner, str(record.get("task", "")), str(record.get("model", "")),
                                       searchable(record), KINDS[main.suffix.lower()], file, small,
                                       len(data) + len(thumb), json.dumps(record, sort_keys=True)))
    if ids:
        bound()
    return ids


def bound(limit: int | None = None) -> int:
    """Delete the oldest unstarred entries until the stored files weigh at most the limit; -> how many went."""
    limit = limit_bytes() if limit is None else limit
    gone = 0
    with store.connection() as db:
        while (excess := store.stored_bytes(db) - limit) > 0:
            oldest = store.oldest_unstarred(db, 200)  # (id, bytes), oldest first
            if not oldest:
                break
            freed, doomed = 0, []
            for entry_id, size in oldest:  # just enough of them (shared files may free less: then go round again)
                doomed.append(entry_id)
                freed += size
                if freed >= excess:
                    break
            store.delete_entries(db, doomed)
            store.drop_unused_files(db)
            gone += len(doomed)
    if gone:
        store.drop_stray_parts()
    return gone


def _entry(db, row) -> Entry:
    return Entry(row["id"], row["task"], row["model"], row["prompt"], row["kind"], row["created"],
                 bool(row["starred"]), store.stored_path(db, row["file"]), store.stored_path(db, row["thumb"]),
                 json.loads(row["record"]))


def _checked_id(entry_id) -> int:
    if isinstance(entry_id, bool) or not isinstance(entry_id, (int, float, str)):
        raise GenartError("An entry id is a whole number; pick an entry from the History gallery.")
    try:
        value = int(entry_id)
    except ValueError:
        raise GenartError("An entry id is a whole number; pick an entry from the History gallery.") from None
    if value != float(entry_id) or not 0 < value < 2**62:
        raise GenartError("An entry id is a whole number; pick an entry from the History gallery.")
    return value


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    total: int
    page: int  # 0-based
    pages: int


def search(reader: str | None, task: str = "", model: str = "", words: str = "", since: float | None = None,
           until: float | None = None, starred: bool = False, page: int = 0, per_page: int = PAGE) -> Page:
    """A page of the reader's entries (reader None: everyone's), newest first."""
    for name, value in (("Task", task), ("Model", model), ("Words", words)):
        if not isinstance(value, str) or len(value) > MAX_WORDS:
            raise GenartError(f"{name} must be text of at most {MAX_WORDS} characters.")
    if not isinstance(page, int) or isinstance(page, bool) or page < 0:
        raise GenartError("The page is a whole number from 0.")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PAGE:
        raise GenartError(f"Show from 1 to {MAX_PAGE} entries a page.")
    with store.connection() as db:
        rows, total = store.find_entries(db, reader, task=task.strip(), model=model.strip(), words=words.split(),
                                         since=since, until=until, starred=starred, offset=page * per_page,
                                         limit=per_page)
        entries = [_entry(db, r) for r in rows]
    return Page(entries, total, page, max(1, -(-total // per_page)))


def choices(reader: str | None) -> tuple[list[str], list[str]]:
    """(the tasks, the models) of the reader's entries."""
    with store.connection() as db:
        return store.entry_choices(db, reader, "task"), store.entry_choices(db, reader, "model")


def get(reader: str | None, entry_id) -> Entry:
    """The reader's entry; another owner's is answered exactly as a missing one."""
    entry_id = _checked_id(entry_id)
    with store.connection() as db:
        row = store.entry(db, reader, entry_id)
        if row is None:
            raise GenartError(f"There is no entry {entry_id} in your history; pick one from the History gallery.")
        return _entry(db, row)


def star(reader: str | None, entry_id, starred: bool = True) -> Entry:
    entry_id = _checked_id(entry_id)
    if not isinstance(starred, bool):
        raise GenartError("Starred is true or false.")
    with store.connection() as db:
        if not store.set_starred(db, reader, entry_id, starred):
            raise GenartError(f"There is no entry {entry_id} in your history; pick one from the History gallery.")
    return get(reader, entry_id)


def delete(reader: str | None, entry_id) -> None:
    entry_id = _checked_id(entry_id)
    with store.connection() as db:
        if not store.delete_entry(db, reader, entry_id):
            raise GenartError(f"There is no entry {entry_id} in your history; pick one from the History gallery.")
        store.drop_unused_files(db)


def text_of(entry: Entry) -> str:
    """A text entry's completions (or conversation), as the reader saw them."""
    data = json.loads(entry.path.read_text())
    texts = data.get("texts") or []
    prompt = entry.record.get("prompt") if isinstance(entry.record.get("prompt"), str) else ""
    return "\n\n---\n\n".join(prompt + t for t in texts) if prompt else "\n\n---\n\n".join(texts)
