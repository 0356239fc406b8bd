"""Compare: several models on one input, optionally across the values of one swept parameter, as a labelled grid.

One column per model, one row per value. Each cell keeps its output (with its replay record), its wall time and peak
memory, or the sentence that says why it failed; one failing model does not stop the others.
"""
import functools
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from .. import runtime
from ..errors import GenartError
from ..hub import Progress
from ..registry import MAX_NAME, get_spec
from ..replay import Artwork, make_record
from .checks import check_texts
from .generate import model_classes
from .runner import INPUTS, Output, run, settings

MAX_MODELS = 6
MAX_VALUES = 8
# What each task can sweep, and the type its values are read as.
SWEEPS: dict[str, dict[str, type]] = {
    "generate": {"seed": int, "truncation": float},
    "inpaint": {"seed": int, "grow": int, "feather": int},
    "restore": {"noise_level": float},
    "style": {"strength": float, "steps": int, "size": int, "style_weight": float, "seed": int},
    "text": {"seed": int, "temperature": float, "top_p": float, "top_k": int, "repetition_penalty": float,
             "max_new_tokens": int},
}
CELL = 256  # the longest side of an image cell in the grid, px
TEXT_CELL = 360  # the width of a text cell
PAD, HEADER, FOOTER, ROW_LABEL = 8, 28, 22, 130


@dataclass
class Cell:
    model: str
    value: object  # the swept parameter's value; None without a sweep
    output: Output | None
    usage: runtime.Usage
    error: str = ""

    def summary(self, sweep: str | None) -> dict:
        row = {"model": self.model, **({sweep: self.value} if sweep else {}), "seconds": round(self.usage.seconds, 3),
               "peak_memory_mb": None if self.usage.peak_bytes is None else round(self.usage.peak_bytes / 2**20, 1)}
        if self.output and self.output.texts:
            row["texts"] = self.output.texts
        return row | ({"error": self.error} if self.error else {})


@dataclass
class Comparison:
    task: str
    models: list[str]
    params: dict
    sweep: str | None
    values: list
    inputs: dict[str, Image.Image] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)

    def record(self) -> dict:
        return make_record("compare", ",".join(self.models), {}, compared_task=self.task, models=self.models,
                           params=self.params, sweep=self.sweep, values=self.values,
                           cells=[c.summary(self.sweep) | {"record": c.output.record if c.output else None}
                                  for c in self.cells])


def task_inputs(task: str, image: Image.Image | None, mask: Image.Image | None, style: Image.Image | None) -> dict:
    """A comparison's one image, mask and style image by the names the task's pipeline reads."""
    return {"inpaint": {"image": image, "mask": mask}, "restore": {"image": image},
            "style": {"content": image, "style1": style}}.get(task, {})


def parse_values(task: str, sweep: str | None, text: str) -> list:
    """'1, 2, 3' -> the swept parameter's values, in its type."""
    if not sweep:
        return []
    kinds = SWEEPS.get(task, {})
    if not isinstance(sweep, str) or sweep not in kinds:
        raise GenartError(f"{task} can sweep {', '.join(kinds)}; not {sweep!r:.40}.")
    words = [w.strip() for w in str(text).replace(";", ",").split(",") if w.strip()]
    if not words:
        raise GenartError(f"Give the values of {sweep} to sweep, separated by commas (e.g. 1, 2, 3).")
    if len(words) > MAX_VALUES:
        raise GenartError(f"Sweep at most {MAX_VALUES} values of {sweep}; {len(words)} were given.")
    try:
        return [kinds[sweep](float(w)) if kinds[sweep] is int and float(w).is_integer() else kinds[sweep](w)
                for w in words]
    except ValueError:
        raise GenartError(f"The values of {sweep} must be {kinds[sweep].__name__} numbers; got {text!r}.") from None


def checked_models(task: str, models: list[str]) -> list[str]:
    models = [m.strip() for m in check_texts("Models", models or [], 4 * MAX_MODELS, MAX_NAME) if m.strip()]
    if not models:
        raise GenartError("Pick at least one model to compare.")
    if len(models) > MAX_MODELS:
        raise GenartError(f"Compare at most {MAX_MODELS} models at a time; {len(models)} were picked.")
    for m in models:
        get_spec(m, task)  # an unknown model, or one for another task, is an error before anything runs
    return list(dict.fromkeys(models))


def cell_params(task: str, model: str, params: dict, progress: Progress | None) -> dict:
    """A class is asked only of models that draw classes: one comparison can hold a conditional and an
    unconditional GAN."""
    if task == "generate" and params.get("label") and not model_classes(model, progress):
        return params | {"label": None}
    return params


def compare(task: str, models: list[str], params: dict, inputs: dict[str, Image.Image], sweep: str | None = None,
            values: list | None = None, progress: Progress | None = None) -> Iterator[Comparison]:
    """Run every cell, row by row; yields the comparison after each cell (the last one is complete)."""
    params = settings(task, params)
    models = checked_models(task, models)
    if INPUTS[task] and inputs.get(INPUTS[task][0]) is None:  # every cell would fail the same way
        raise GenartError(f"Add {'a content' if task == 'style' else 'an'} image to compare {task} models on.")
    values = list(values or []) if sweep else []
    if sweep:
        parse_values(task, sweep, ",".join(map(str, values)))  # the same checks as typed values
    result = Comparison(task, models, params, sweep, values, {k: v for k, v in inputs.items() if v is not None})
    device = runtime.pick_device()
    for value in values or [None]:
        for model in models:
            p = params | ({sweep: value} if sweep else {})
            output, error = None, ""
            with runtime.measured(device) as usage:
                try:
                    output = run(task, model, cell_params(task, model, p, progress), result.inputs, progress)
                except GenartError as err:
                    error = str(err)
            result.cells.append(Cell(model, value, output, usage, error))
            yield result


@functools.lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    """DejaVu Sans where the system has it (it draws dashes and guillemets), else Pillow's built-in font."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default(size=size)


def _wrap(text: str, font, width: int) -> list[str]:
    lines = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if font.getlength(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _fit(image: Image.Image) -> Image.Image:
    """An output scaled to the cell: small images by whole factors with sharp pixels, large ones down smoothly."""
    scale = CELL / max(image.size)
    if scale >= 2:
        k = int(scale)
        return image.resize((image.width * k, image.height * k), Image.Resampling.NEAREST)
    if scale < 1:
        return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                            Image.Resampling.LANCZOS)
    return image


LINE = 17  # px per line of text in a cell


def _text_block(text: str, width: int, max_height: int, colour=(30, 30, 30)) -> Image.Image:
    """Text wrapped to the width, as tall as it needs up to max_height (then cut with an ellipsis)."""
    font = _font(13)
    lines = _wrap(text, font, width - 12)
    fits = (max_height - 12) // LINE
    if len(lines) > fits:
        lines = lines[:fits - 1] + ["…"]
    block = Image.new("RGB", (width, 12 + LINE * len(lines)), (250, 250, 247))
    draw = ImageDraw.Draw(block)
    for i, line in enumerate(lines):
        draw.text((6, 6 + i * LINE), line, font=font, fill=colour)
    return block


def grid_image(c: Comparison) -> Image.Image:
    """The labelled grid: model names across the top, swept values down the side, time and memory under each cell."""
    width = TEXT_CELL if c.task == "text" else CELL
    tiles = {}
    for cell in c.cells:
        if cell.error:
            tiles[id(cell)] = _text_block(cell.error, width, CELL, colour=(160, 20, 20))
        elif c.task == "text":
            tiles[id(cell)] = _text_block("\n\n".join(cell.output.shown_texts()), width, 2 * CELL)
        else:
            tiles[id(cell)] = _fit(cell.output.image)
    cell_h = max((t.height for t in tiles.values()), default=CELL)
    rows = c.values or [None]
    left = ROW_LABEL if c.sweep else 0
    col_w, row_h = width + PAD, HEADER // 2 + cell_h + FOOTER + PAD
    sheet = Image.new("RGB", (left + PAD + col_w * len(c.models), HEADER + PAD + row_h * len(rows)), "white")
    draw, bold, small = ImageDraw.Draw(sheet), _font(15), _font(12)
    for j, model in enumerate(c.models):
        draw.text((left + PAD + j * col_w, PAD), _clip(model, bold, width), font=bold, fill=(20, 20, 20))
    for cell in c.cells:
        i, j = rows.index(cell.value), c.models.index(cell.model)
        x, y = left + PAD + j * col_w, HEADER + PAD + i * row_h
        tile = tiles[id(cell)]
        sheet.paste(tile, (x + (width - tile.width) // 2, y))
        memory = "" if cell.usage.peak_bytes is None else f" · {cell.usage.peak_bytes / 2**20:,.0f} MB peak"
        draw.text((x, y + cell_h + 4), f"{cell.usage.seconds:.2f} s{memory}", font=small, fill=(90, 90, 90))
        if c.sweep and j == 0:
            draw.text((PAD, y + cell_h // 2), _clip(f"{c.sweep} = {cell.value}", small, ROW_LABEL - PAD), font=small,
                      fill=(20, 20, 20))
    return sheet


def _clip(text: str, font, width: int) -> str:
    while font.getlength(text) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def grid_artwork(c: Comparison) -> Artwork:
    """The grid as a PNG that replays the whole comparison."""
    return Artwork(grid_image(c), c.record(), c.inputs)


def zip_bytes(c: Comparison) -> bytes:
    """grid.png, each cell's output (a PNG with its record; text as JSON), and cells.json with the timings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("grid.png", grid_artwork(c).png())
        rows = c.values or [None]
        for cell in c.cells:
            if cell.output is None:
                continue
            name = f"r{rows.index(cell.value) + 1}-c{c.models.index(cell.model) + 1}-{_safe(cell.model)}"
            if c.task == "text":
                z.writestr(f"{name}.json", cell.output.text_json())
            else:
                z.writestr(f"{name}.png", cell.output.artwork().png())
        z.writestr("cells.json", json.dumps([cell.summary(c.sweep) for cell in c.cells], indent=1, ensure_ascii=False))
    return buffer.getvalue()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
