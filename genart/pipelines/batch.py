"""Many inputs through one task: the images of a folder or a zip (or a list of prompts) -> one output per input in a
folder, a JSON-lines log of what was done, and a contact sheet.

A task says what a batch varies (`Task.batch_over`): one of its input images, or a text setting (one per line). The
rest of the inputs (inpaint's mask, the style images) and every setting are shared by the whole batch. Resumable: an
input whose bytes and settings the log already holds, with its outputs still on disk, is skipped. A failure is logged
and listed and the batch goes on.
"""
import dataclasses
import hashlib
import io
import json
import logging
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from ..errors import GenartError
from .compare_grid import fitted, typeface
from .images import MAX_PIXELS, open_image
from .runner import TASKS, settings_for, task
from .task import Task

LOG = "batch.jsonl"
SHEET = "contact-sheet.jpg"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
MAX_FILE_BYTES = 64 * 2**20  # one input file, in a zip or not
MAX_ZIP_MEMBERS = 10_000  # files a zip may list (its directory is read whole)
log = logging.getLogger("genart")


@dataclass(frozen=True)
class Item:
    """One input of a batch: where it came from (a path under the folder, a zip's member; a prompt itself), and how
    to read it (an image file's bytes, or the prompt) when its turn comes, so a batch holds one input in memory."""
    name: str
    read: Callable[[], bytes | str]


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def bounded(data: bytes, name: str) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise GenartError(f"{name} is larger than {MAX_FILE_BYTES / 2**20:g} MB; use a smaller image.")
    return data


def file_reader(path: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        with open(path, "rb") as f:
            return bounded(f.read(MAX_FILE_BYTES + 1), path.name)
    return read


def member_reader(archive: Path, member: str) -> Callable[[], bytes]:
    def read() -> bytes:  # what a zip's directory says of a member's size is not trusted: the read is bounded
        try:
            with zipfile.ZipFile(archive) as z, z.open(member) as f:
                return bounded(f.read(MAX_FILE_BYTES + 1), member)
        except (zipfile.BadZipFile, NotImplementedError, EOFError) as err:  # damaged, cut short, unknown compression
            raise GenartError(f"{member} in {archive.name} cannot be read ({err}); zip it again.") from None
    return read


@dataclass(frozen=True)
class Done:
    """What became of one item: its outputs (paths in the batch's folder), or the sentence that says why it failed."""
    item: str
    outputs: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0
    skipped: bool = False  # done by an earlier run with the same settings
    notice: str = ""  # what the task said of it (an empty mask, a size it was processed at)


BATCH_TASKS = tuple(name for name, t in TASKS.items() if t.batch_over)


def batchable(task_name: str) -> Task:
    t = task(task_name)
    if not t.batch_over:
        raise GenartError(f"The {task_name} task takes no batch; batch one of: {', '.join(BATCH_TASKS)}.")
    return t


def varies_image(t: Task) -> bool:
    """Whether a batch of `t` varies an input image (else a text setting: one prompt per line)."""
    return t.batch_over in t.inputs


def zip_items(path: Path) -> list[Item]:
    """The images in a zip, in the order of their names (folders, hidden files and other files left out)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as err:
        raise GenartError(f"{path.name} is not a zip file genart can read ({err}); zip the images again.") from None
    if len(names) > MAX_ZIP_MEMBERS:
        raise GenartError(f"{path.name} holds {len(names):,} files; zip at most {MAX_ZIP_MEMBERS:,}.")
    return [Item(name, member_reader(path, name)) for name in sorted(names)
            if not name.endswith("/") and is_image_name(name)]


def is_image_name(name: str) -> bool:
    parts = Path(name).parts
    return Path(name).suffix.lower() in IMAGE_SUFFIXES and not any(p.startswith(".") or p == "__MACOSX" for p in parts)


def file_items(paths: list[Path]) -> list[Item]:
    """Uploaded or listed files: images as they are, zips opened (in the order given)."""
    items = []
    for path in paths:
        if path.suffix.lower() == ".zip":
            items += zip_items(path)
        elif is_image_name(path.name):
            items.append(Item(path.name, file_reader(path)))
        else:
            raise GenartError(f"{path.name} is neither an image (PNG, JPEG, WebP) nor a zip of images; leave it out.")
    return items


def folder_items(source: Path) -> list[Item]:
    """A folder's images (its subfolders' too, named by their path under it), a zip's, one image file's, or a text
    file's prompts."""
    if source.is_dir():
        paths = sorted(p for p in source.rglob("*") if p.is_file() and is_image_name(str(p.relative_to(source))))
        return [Item(str(p.relative_to(source)), file_reader(p)) for p in paths]
    if not source.is_file():
        raise GenartError(f"There is no folder or file {source}.")
    if source.suffix.lower() == ".txt":
        return prompt_items(source.read_text(errors="replace"))
    if source.suffix.lower() == ".zip" or is_image_name(source.name):
        return file_items([source])
    raise GenartError(f"{source.name} is not a folder, an image, a .zip of images or a .txt of prompts; name one of "
                      "those.")


def prompt_items(text: str) -> list[Item]:
    """One prompt per non-empty line."""
    return [Item(line, lambda line=line: line) for line in map(str.strip, text.splitlines()) if line]


def check_size(items: list[Item], max_files: int | None, max_pixels: int | None) -> None:
    """Refuse a batch of more items, or more pixels all together (read from the headers), than the bounds allow."""
    if not items:
        raise GenartError("The batch is empty: give images (PNG, JPEG, WebP), a zip of them, or prompts, one a line.")
    if max_files is not None and len(items) > max_files:
        raise GenartError(f"This batch has {len(items)} inputs; this server takes at most {max_files} a batch, so "
                          "split it.")
    if max_pixels is None:
        return
    total = 0
    for item in items:
        try:
            data = item.read()
            if isinstance(data, bytes):
                with Image.open(io.BytesIO(data)) as image:
                    total += image.width * image.height
        except Image.DecompressionBombError:
            total += MAX_PIXELS
        except (GenartError, OSError, ValueError, SyntaxError):
            pass  # unreadable: it fails alone when its turn comes
    if total > max_pixels:
        raise GenartError(f"This batch holds {total / 1e6:.0f} megapixels; this server takes at most "
                          f"{max_pixels / 1e6:.0f} a batch, so send fewer or smaller images.")


def settings_key(task_name: str, model: str, params: dict, shared: dict[str, Image.Image]) -> str:
    """What makes two runs of an item the same: task, model, settings and the shared input images' pixels."""
    pixels = {name: hashlib.sha256(image.tobytes()).hexdigest() for name, image in sorted(shared.items())}
    text = json.dumps({"task": task_name, "model": model, "settings": params, "inputs": pixels}, sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def output_stems(items: list[Item], varies_image: bool) -> list[str]:
    """A file name for each item's outputs, unique within the batch: the image's name (its folder's too), or the
    prompt's place in the list and first words."""
    stems, seen = [], set()
    for i, item in enumerate(items, 1):
        if varies_image:
            stem = str(Path(item.name).with_suffix("")).replace("/", "_").replace("\\", "_")
        else:
            words = "".join(c if c.isascii() and c.isalnum() else "-" for c in item.name.lower()[:40]).strip("-")
            stem = f"{i:04d}-{words}"
        stem, n = stem or "input", 2
        base = stem
        while stem in seen:
            stem, n = f"{base}-{n}", n + 1
        seen.add(stem)
        stems.append(stem)
    return stems


def earlier_runs(out: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """(input sha256, settings key) -> outputs, for the log's items that succeeded and whose outputs are on disk as
    that run wrote them (a later run with other settings writes the same names)."""
    done = {}
    log = out / LOG
    if not log.is_file():
        return done
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
            outputs = tuple(entry["outputs"])
            if not entry["error"] and outputs and [file_digest(out / o) for o in outputs] == entry["output_sha256"]:
                done[entry["sha256"], entry["settings"]] = outputs
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a line cut short by an interrupted run
    return done


def file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def run_batch(task_name: str, model: str, params: dict, items: list[Item], shared: dict[str, Image.Image], out: Path,
              stopped: Callable[[], bool] = lambda: False) -> Iterator[Done]:
    """Each item through the task, its outputs written into `out` as PNGs with their replay records; yields what
    became of each, in order. Stops between items when `stopped()` says so."""
    t = batchable(task_name)
    base = dataclasses.asdict(settings_for(task_name, model, params))  # checks the settings once, up front
    base.pop(t.batch_over, None)
    key = settings_key(task_name, model, base, shared)
    out.mkdir(parents=True, exist_ok=True)
    before = earlier_runs(out)
    for item, stem in zip(items, output_stems(items, varies_image(t))):
        if stopped():
            return
        start, sha = time.perf_counter(), ""
        try:
            data = item.read()
            sha = digest(data)
            if (sha, key) in before:
                yield Done(item.name, before[sha, key], skipped=True)
                continue
            outputs, notice = _run_one(t, model, base, item.name, data, shared, out, stem)
            done = Done(item.name, outputs, seconds=time.perf_counter() - start, notice=notice)
        except GenartError as err:
            done = Done(item.name, error=str(err), seconds=time.perf_counter() - start)
        except Exception as err:  # noqa: BLE001 - one input's fault ends that input, not the batch
            log.exception("batch item %s failed", item.name)
            done = Done(item.name, error=f"genart failed on this input ({type(err).__name__}) and logged it.",
                        seconds=time.perf_counter() - start)
        _log(out, item.name, sha, key, done)
        yield done


def _run_one(t: Task, model: str, base: dict, name: str, data: bytes | str, shared: dict[str, Image.Image],
             out: Path, stem: str) -> tuple[tuple[str, ...], str]:
    """-> the outputs' file names, and the task's notices about them."""
    if varies_image(t):
        image = open_image(io.BytesIO(data), Path(name).name)
        settings, inputs = settings_for(t.name, model, base), {**shared, t.batch_over: image}
    else:
        settings, inputs = settings_for(t.name, model, {**base, t.batch_over: data}), dict(shared)
    outputs = t.run(model, settings, inputs, None)
    names = [f"{stem}.png"] if len(outputs) == 1 else [f"{stem}-{i}.png" for i in range(len(outputs))]
    for output, file in zip(outputs, names):
        output.artwork().save(out / file)
    return tuple(names), " ".join(dict.fromkeys(o.notice for o in outputs if o.notice))


def _log(out: Path, name: str, sha: str, key: str, done: Done) -> None:
    entry = {"input": name, "sha256": sha, "settings": key, "outputs": list(done.outputs),
             "output_sha256": [file_digest(out / o) for o in done.outputs], "error": done.error,
             "notice": done.notice, "seconds": round(done.seconds, 3), "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    with open(out / LOG, "a") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


THUMB, LABEL, COLUMNS = 160, 18, 8


def tally(done: list[Done]) -> tuple[int, int, list[Done], Counter]:
    """(outputs made, inputs skipped, the failed ones, each distinct notice with how many inputs it was given for)."""
    return (sum(len(d.outputs) for d in done if not d.skipped), sum(d.skipped for d in done),
            [d for d in done if d.error], Counter(d.notice for d in done if d.notice))


def contact_sheet(out: Path, done: list[Done]) -> Path:
    """Every output of the batch as a thumbnail with its input's name under it (a failed input: a grey tile saying
    so), written as out/contact-sheet.jpg."""
    tiles = [(d.item, out / o) for d in done for o in d.outputs] + [(d.item, None) for d in done if d.error]
    columns = max(1, min(COLUMNS, len(tiles)))
    rows = max(1, -(-len(tiles) // columns))
    sheet = Image.new("RGB", (columns * THUMB, rows * (THUMB + LABEL)), "white")
    draw, font = ImageDraw.Draw(sheet), typeface(11)
    for i, (name, path) in enumerate(tiles):
        x, y = i % columns * THUMB, i // columns * (THUMB + LABEL)
        if path is None:
            draw.rectangle((x + 4, y + 4, x + THUMB - 4, y + THUMB - 4), fill=(200, 200, 200))
            draw.text((x + THUMB // 2, y + THUMB // 2), "failed", fill=(120, 0, 0), font=typeface(16), anchor="mm")
        else:
            with Image.open(path) as image:
                thumb = fitted(image.convert("RGB"))
                thumb.thumbnail((THUMB - 8, THUMB - 8))
            sheet.paste(thumb, (x + (THUMB - thumb.width) // 2, y + (THUMB - thumb.height) // 2))
        label = name
        while font.getlength(label) > THUMB - 6:  # the end of a path names the file; the start of a prompt reads
            label = "…" + label[2:] if "/" in name or "." in name[-5:] else label[:-2] + "…"
        draw.text((x + THUMB // 2, y + THUMB + 2), label, fill=(30, 30, 30), font=font, anchor="mt")
    sheet.save(out / SHEET, quality=88)
    return out / SHEET


def zip_results(out: Path, done: list[Done], to: Path) -> Path:
    """The batch's outputs, its log and its contact sheet in one zip."""
    with zipfile.ZipFile(to, "w", zipfile.ZIP_STORED) as archive:  # PNGs and JPEGs are compressed already
        for name in sorted({o for d in done for o in d.outputs} | {LOG, SHEET}):
            if (out / name).is_file():
                archive.write(out / name, name)
    return to
