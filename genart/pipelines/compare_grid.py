"""Compare's pictures and files: the labelled grid (model names across, swept values down, time and memory under each
cell) and the zip of every cell's output with its record."""
import functools
import io
import json
import zipfile

from PIL import Image, ImageDraw, ImageFont

from ..replay import Artwork
from .compare import Comparison

CELL = 256  # the longest side of an image cell in the grid, px
TEXT_CELL = 360  # the width of a text cell
PAD, HEADER, FOOTER, ROW_LABEL = 8, 28, 22, 130


@functools.lru_cache(maxsize=8)
def typeface(size: int) -> ImageFont.FreeTypeFont:
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


def fitted(image: Image.Image) -> Image.Image:
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


def text_block(text: str, width: int, max_height: int, colour=(30, 30, 30)) -> Image.Image:
    """Text wrapped to the width, as tall as it needs up to max_height (then cut with an ellipsis)."""
    font = typeface(13)
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
            tiles[id(cell)] = text_block(cell.error, width, CELL, colour=(160, 20, 20))
        elif c.task == "text":
            tiles[id(cell)] = text_block("\n\n".join(cell.output.shown_texts()), width, 2 * CELL)
        else:
            tiles[id(cell)] = fitted(cell.output.image)
    cell_h = max((t.height for t in tiles.values()), default=CELL)
    rows = c.values or [None]
    left = ROW_LABEL if c.sweep else 0
    col_w, row_h = width + PAD, HEADER // 2 + cell_h + FOOTER + PAD
    sheet = Image.new("RGB", (left + PAD + col_w * len(c.models), HEADER + PAD + row_h * len(rows)), "white")
    draw, bold, small = ImageDraw.Draw(sheet), typeface(15), typeface(12)
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
    """grid.png, each cell's output (a PNG with its record; text as JSON; a melody's WAV too), and cells.json with the
    timings."""
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
            if cell.output.sound is not None:
                z.writestr(f"{name}.wav", cell.output.sound.wav())
        z.writestr("cells.json", json.dumps([cell.summary(c.sweep) for cell in c.cells], indent=1, ensure_ascii=False))
    return buffer.getvalue()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
