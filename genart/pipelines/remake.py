"""Replay: make a saved output again from its file, with the model, revision and every setting it was made with."""
import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..audio.midi import midi_file_record, read_midi_notes
from ..audio.wav import read_wav, wav_file_inputs, wav_file_record
from ..errors import GenartError
from ..hub import Progress, resolve
from ..registry import HUB_PREFIX, get_spec
from ..replay import FORMAT_VERSION, KEY, Animation, read_inputs, read_record
from .compare import Comparison, compare
from .images import check_image_file
from .repair import read_clip
from .runner import TASKS, run
from .runner import task as declared
from .task import Output

MAX_JSON = 4 << 20  # the largest text output's .json replay reads
MAX_SOUND = 64 << 20  # the largest WAV or MIDI file replay reads
SOUND_RECORDS = {".wav": wav_file_record, ".mid": midi_file_record, ".midi": midi_file_record}


def open_saved(path: str | Path) -> tuple[dict, dict[str, Image.Image]]:
    """-> (the record, the inputs) of a PNG, WebP or GIF genart wrote (its input images), of a WAV (the recording a
    repair's WAV carries) or MIDI file, or of a .json record (a text output's)."""
    if path is None:
        raise GenartError("Add a file genart wrote (a PNG, WebP, GIF, WAV, MIDI or .json) to replay.")
    path = Path(path)
    if not path.is_file():
        raise GenartError(f"There is no file {path}.")
    if path.suffix.lower() in SOUND_RECORDS:
        data = path.read_bytes() if path.stat().st_size <= MAX_SOUND else b""
        record = SOUND_RECORDS[path.suffix.lower()](data) if data else None
        inputs = {name: read_clip(wav) for name, wav in wav_file_inputs(data).items()} \
            if path.suffix.lower() == ".wav" else {}
    elif path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text()) if path.stat().st_size <= MAX_JSON else None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            data = None
        record = data.get(KEY, data) if isinstance(data, dict) else None
        inputs = {}
    else:
        try:
            check_image_file(path)
            record, inputs = read_record(path), read_inputs(path)
        except (UnidentifiedImageError, OSError, ValueError):  # ValueError: a text chunk past Pillow's cap
            raise GenartError(f"{path.name} is not an image genart can read back; drop a PNG, WebP or GIF that "
                              "genart wrote.") from None
    if not isinstance(record, dict) or not isinstance(record.get("task"), str) or \
            not isinstance(record.get("model"), str):
        raise GenartError(f"{path.name} carries no genart record: only files genart wrote can be replayed.")
    if not isinstance(record.get("version", 0), int) or record.get("version", 0) > FORMAT_VERSION:
        raise GenartError(f"{path.name} was written by a newer genart (record version {record['version']}); update "
                          "genart to replay it.")
    return record, inputs


def pinned_model(record: dict) -> str:
    """The model name that loads exactly what the record was made with: a Hub model at the recorded commit. Embedded
    and release weights must be the very files the record names, or this says which ones it needs."""
    name, task = record["model"], declared(record["task"]).models_for
    if record.get("repo_id") and record.get("revision"):
        base = name.rsplit("@", 1)[0] if name.startswith(HUB_PREFIX) else name.partition("@")[0]
        return f"{base}@{record['revision']}"
    recorded = {k: record[k] for k in ("weights_sha256", "sha256") if k in record}
    if recorded:
        here = resolve(get_spec(name, task)).provenance
        if any(here.get(k) != v for k, v in recorded.items()):
            raise GenartError(f"This was made with other {name} weights than the ones here ({short(recorded)} there, "
                              f"{short(here)} here): replay it with the genart version that made it.")
    return name


def short(provenance: dict) -> str:
    digests = [v for value in provenance.values() for v in (value.values() if isinstance(value, dict) else [value])]
    return ", ".join(f"sha256 {d[:12]}…" for d in digests if isinstance(d, str))


def difference(path: str | Path, image: Image.Image) -> int | None:
    """The largest pixel difference (0-255) between a saved image and its remake; None if their sizes differ."""
    with Image.open(path) as saved:
        a = np.asarray(saved.convert("RGB"), dtype=np.int16)
    b = np.asarray(image.convert("RGB"), dtype=np.int16)
    return int(np.abs(a - b).max()) if a.shape == b.shape else None


def frames_difference(path: str | Path, animation: Animation) -> int | None:
    """The largest pixel difference (0-255) between a saved animation's frames and its remake's, encoded the same
    way (a GIF's palette is part of it); None if their sizes or frame counts differ."""
    path = Path(path)
    with Image.open(path) as saved, Image.open(io.BytesIO(animation.encode(path.suffix.lower()))) as remade:
        a, b = ([np.asarray(f.convert("RGB"), dtype=np.int16) for f in ImageSequence.Iterator(im)]
                for im in (saved, remade))
    if len(a) != len(b) or a[0].shape != b[0].shape:
        return None
    return max(int(np.abs(x - y).max()) for x, y in zip(a, b))


def verdict(path: str | Path, output: Output | Comparison | Animation) -> str:
    """One line saying whether the remake matches the file."""
    if isinstance(output, Animation):
        d = frames_difference(path, output)
        if d == 0:
            return f"Made again: all {len(output.frames)} frames pixel for pixel the same as the file."
        if d is None:
            return "Made again, at another size or length than the file."
        return f"Made again; frames differ from the file by up to {d}/255 (another device or library version)."
    if isinstance(output, Comparison):
        failed = sum(bool(cell.error) for cell in output.cells)
        return f"Comparison run again: {len(output.cells)} cells" + (f", {failed} failed." if failed else ".")
    if output.sound is not None and Path(path).suffix.lower() in SOUND_RECORDS:
        return sound_verdict(path, output)
    if output.image is None:
        return "Made again with the recorded settings."
    d = difference(path, output.image)
    if d == 0:
        return "Made again: pixel for pixel the same as the file."
    if d is None:
        return "Made again, at another size than the file."
    return (f"Made again; pixels differ from the file by up to {d}/255 (another device, precision or library version "
            "computes slightly differently).")


def sound_verdict(path: str | Path, output: Output) -> str:
    """Whether a remade sound matches its WAV sample for sample, or a melody its MIDI file note for note."""
    data = Path(path).read_bytes()
    if Path(path).suffix.lower() == ".wav":
        samples, _, _ = read_wav(data, max_seconds=float("inf"))
        remade, _, _ = read_wav(output.sound.wav(), max_seconds=float("inf"))
        if samples.shape != remade.shape:
            return "Made again, at another length than the file."
        d = int(np.abs(samples - remade).max() * 32768)
        return ("Made again: sample for sample the same as the file." if d == 0 else
                f"Made again; samples differ from the file by up to {d}/32768 (another device or library version).")
    same = read_midi_notes(data) == output.sound.notes
    return "Made again: note for note the same as the file." if same else "Made again, with other notes than the file."


def remake_file(path: str | Path, progress: Progress | None = None) -> tuple[dict, Output | Comparison | Animation]:
    """-> (the file's record, what it describes made again: an output, an interpolation's animation, or a whole
    comparison for a Compare grid)."""
    record, inputs = open_saved(path)
    if record["task"] == "compare":
        *_, comparison = remake_grid(record, inputs, progress)
        return record, comparison
    return record, remake(record, inputs, progress)


def remake_grid(record: dict, inputs: dict[str, Image.Image], progress: Progress | None = None) -> Iterator[Comparison]:
    """A Compare grid's record run again, each model pinned to the revision or weights its cells were made with."""
    cells = record.get("cells") or []
    if not isinstance(record.get("models"), list) or not isinstance(record.get("params"), dict) or \
            not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise GenartError("This Compare grid's record is damaged (its models, settings or cells are missing); only "
                          "unchanged files genart wrote can be replayed.")
    if record.get("inputs_left_out"):
        raise GenartError(f"This Compare grid was written without its input ({', '.join(map(str, record['inputs_left_out']))}), "
                          "so it cannot be run again from the PNG alone; replay a cell's own file from the zip instead.")
    pins = {}
    for cell in cells:
        if isinstance(cell.get("record"), dict) and isinstance(cell.get("model"), str):
            pins.setdefault(cell["model"], pinned_model(cell["record"]))
    models = [pins.get(m, m) for m in record["models"]]
    yield from compare(record["compared_task"], models, record["params"], inputs, record.get("sweep"),
                       record.get("values"), progress, record.get("describe") or "")


def remake(record: dict, inputs: dict[str, Image.Image], progress: Progress | None = None) -> Output | Animation:
    """The output the record describes, made again."""
    task = record["task"]
    if task not in TASKS:
        raise GenartError(f"Replay makes single outputs, interpolations and Compare grids; a {task!r:.40} record is "
                          "not one of them.")
    needed = TASKS[task].inputs[:1]
    missing = [name for name in needed if name not in inputs]
    if missing and record.get("inputs_left_out"):
        raise GenartError(f"This {task} file was written without its input image (it was too large to store beside "
                          "the record), so it cannot be made again from the file alone; remake it from the tab.")
    if missing:
        raise GenartError(f"This {task} record has no input ({', '.join(missing)}) stored beside it; replay the file "
                          "that holds it (a repair's WAV), or remake it from the tab.")
    return run(task, pinned_model(record), record, inputs, progress, index=record.get("index", 0))
