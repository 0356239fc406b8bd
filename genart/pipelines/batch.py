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
log = logging.getLogger("genart")


@dataclass(frozen=True)
class Item:
    """One input of a batch: where it came from (a path under the folder, a zip's member, "line 3") and its bytes
    (an image file) or text (a prompt)."""
    name: str
    data: bytes | str

    @property
    def digest(self) -> str:
        raw = self.data.encode() if isinstance(self.data, str) else self.data
        return hashlib.sha256(raw).hexdigest()

    def image(self) -> Image.Image:
        return open_image(io.BytesIO(self.data), Path(self.name).name)


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


def zip_items(data: bytes, name: str = "upload.zip") -> list[Item]:
    """The images in a zip, in the order of their names (folders, hidden files and other files left out)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted((m for m in archive.infolist() if not m.is_dir() and is_image_name(m.filename)),
                         key=lambda m: m.filename)
        items = []
        for member in members:
            if member.file_size > MAX_FILE_BYTES:
                raise GenartError(f"{member.filename} in {name} is {member.file_size / 2**20:.0f} MB; use images of "
                                  f"at most {MAX_FILE_BYTES // 2**20} MB.")
            with archive.open(member) as f:
                items.append(Item(member.filename, f.read(MAX_FILE_BYTES + 1)))
        return items
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as err:
        raise GenartError(f"{name} is not a zip file genart can read ({err}); zip the images again.") from None


def is_image_name(name: str) -> bool:
    parts = Path(name).parts
    return Path(name).suffix.lower() in IMAGE_SUFFIXES and not any(p.startswith(".") or p == "__MACOSX" for p in parts)


def file_items(paths: list[Path]) -> list[Item]:
    """Uploaded or listed files: images as they are, zips opened (in the order given)."""
    items = []
    for path in paths:
        if path.suffix.lower() == ".zip":
            items += zip_items(path.read_bytes(), path.name)
        elif is_image_name(path.name):
            if path.stat().st_size > MAX_FILE_BYTES:
                raise GenartError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB; use a smaller image.")
            items.append(Item(path.name, path.read_bytes()))
        else:
            raise GenartError(f"{path.name} is neither an image (PNG, JPEG, WebP) nor a zip of images; leave it out.")
    return items


def folder_items(source: Path) -> list[Item]:
    """A folder's images (its subfolders' too, named by their path under it), a zip's, one image file's, or a text
    file's prompts."""
    if source.is_dir():
        paths = sorted(p for p in source.rglob("*") if p.is_file() and is_image_name(str(p.relative_to(source))))
        return [Item(str(p.relative_to(source)), p.read_bytes()) for p in paths]
    if not source.is_file():
        raise GenartError(f"There is no folder or file {source}.")
    if source.suffix.lower() == ".zip":
        return zip_items(source.read_bytes(), source.name)
    if is_image_name(source.name):
        return file_items([source])
    if source.suffix.lower() == ".txt":
        return prompt_items(source.read_text(errors="replace"))
    raise GenartError(f"{source.name} is not a folder, an image, a .zip of images or a .txt of prompts; name one of "
                      "those.")


def prompt_items(text: str) -> list[Item]:
    """One prompt per non-empty line."""
    return [Item(line.strip(), line.strip()) for line in text.splitlines() if line.strip()]


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
        if isinstance(item.data, bytes):
            try:
                with Image.open(io.BytesIO(item.data)) as image:
                    total += image.width * image.height
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                total += MAX_PIXELS if len(item.data) > 2**20 else 0  # unreadable: it fails alone later
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
            words = "".join(c if c.isascii() and c.isalnum() else "-" for c in item.data.lower()[:40]).strip("-")
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
        if (item.digest, key) in before:
            yield Done(item.name, before[item.digest, key], skipped=True)
            continue
        start = time.perf_counter()
        try:
            outputs, notice = _run_one(t, model, base, item, shared, out, stem)
            done = Done(item.name, outputs, seconds=time.perf_counter() - start, notice=notice)
        except GenartError as err:
            done = Done(item.name, error=str(err), seconds=time.perf_counter() - start)
        except Exception as err:  # noqa: BLE001 - one input's fault ends that input, not the batch
            log.exception("batch item %s failed", item.name)
            done = Done(item.name, error=f"genart failed on this input ({type(err).__name__}) and logged it.",
                        seconds=time.perf_counter() - start)
        _log(out, item, key, done)
        yield done


def _run_one(t: Task, model: str, base: dict, item: Item, shared: dict[str, Image.Image], out: Path,
             stem: str) -> tuple[tuple[str, ...], str]:
    """-> the outputs' file names, and the task's notices about them."""
    if varies_image(t):
        settings, inputs = settings_for(t.name, model, base), {**shared, t.batch_over: item.image()}
    else:
        settings, inputs = settings_for(t.name, model, {**base, t.batch_over: item.data}), dict(shared)
    outputs = t.run(model, settings, inputs, None)
    names = [f"{stem}.png"] if len(outputs) == 1 else [f"{stem}-{i}.png" for i in range(len(outputs))]
    for output, name in zip(outputs, names):
        output.artwork().save(out / name)
    return tuple(names), " ".join(dict.fromkeys(o.notice for o in outputs if o.notice))


def _log(out: Path, item: Item, key: str, done: Done) -> None:
    entry = {"input": item.name, "sha256": item.digest, "settings": key, "outputs": list(done.outputs),
             "output_sha256": [file_digest(out / o) for o in done.outputs],
             "error": done.error, "notice": done.notice, "seconds": round(done.seconds, 3), "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    with open(out / LOG, "a") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


THUMB, LABEL, COLUMNS = 160, 18, 8


def notices(done: list[Done]) -> dict[str, int]:
    """Each distinct notice the task gave, with how many inputs it was given for."""
    counts: dict[str, int] = {}
    for d in done:
        if d.notice:
            counts[d.notice] = counts.get(d.notice, 0) + 1
    return counts


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
