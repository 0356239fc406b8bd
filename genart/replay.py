"""The replay record: every image genart writes carries how to make it again.

PNG: a text chunk `genart` holding JSON. Animations (WebP, GIF) carry the same JSON as XMP / a GIF comment.
An output made from images (an inpainted photo, a stylised one) also carries those inputs, each a PNG in a text chunk
`genart-input:<name>` (base64), so that the file alone is enough to make it again.
"""
import base64
import binascii
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, PngImagePlugin

from .errors import GenartError

KEY = "genart"
INPUT_PREFIX = "genart-input:"
FORMAT_VERSION = 1
# Text chunks are read up to these sizes, set on purpose: an input image is stored compressed (zTXt) and one larger
# than a chunk may hold is left out of the file (the record says so) instead of making a PNG that cannot be read back.
MAX_CHUNK = 64 << 20
PngImagePlugin.MAX_TEXT_CHUNK = MAX_CHUNK
PngImagePlugin.MAX_TEXT_MEMORY = 4 * MAX_CHUNK
INPUTS_BUDGET = 2 * MAX_CHUNK  # all input chunks together, well inside MAX_TEXT_MEMORY beside the record


def make_record(task: str, model: str, provenance: dict, **params) -> dict:
    return {"version": FORMAT_VERSION, "task": task, "model": model, **provenance, **params}


@dataclass
class Artwork:
    image: Image.Image
    record: dict
    inputs: dict[str, Image.Image] = field(default_factory=dict)  # what the record was made from: image, mask...

    def png(self) -> bytes:
        info = PngImagePlugin.PngInfo()
        stored, left_out, total = {}, [], 0
        for name, image in self.inputs.items():
            if not isinstance(image, Image.Image):  # a recording (a repair comparison's) travels in a WAV, not here
                left_out.append(name)
                continue
            text = base64.b64encode(png_bytes(image)).decode("ascii")
            if len(text) > MAX_CHUNK or total + len(text) > INPUTS_BUDGET:
                left_out.append(name)
                continue
            stored[name], total = text, total + len(text)
        record = self.record | ({"inputs_left_out": left_out} if left_out else {})
        info.add_text(KEY, json.dumps(record, sort_keys=True), zip=True)
        for name, text in stored.items():
            info.add_text(INPUT_PREFIX + name, text, zip=True)
        return png_bytes(self.image, info)

    def save(self, path: Path) -> Path:
        Path(path).write_bytes(self.png())
        return Path(path)


@dataclass
class Animation:
    frames: list[Image.Image]
    record: dict
    fps: int
    # Bytes already encoded, by suffix: a replay saves the remake and compares it with the dropped file.
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def encode(self, suffix: str) -> bytes:
        """The animation as a .webp or .gif file's bytes."""
        if suffix not in self._encoded:
            self._encoded[suffix] = self._encode(suffix)
        return self._encoded[suffix]

    def _encode(self, suffix: str) -> bytes:
        text = json.dumps(self.record, sort_keys=True)
        common = dict(save_all=True, append_images=self.frames[1:], duration=round(1000 / self.fps), loop=0)
        buffer = io.BytesIO()
        if suffix == ".gif":
            self.frames[0].save(buffer, format="GIF", comment=text, **common)
        elif suffix == ".webp":
            self.frames[0].save(buffer, format="WEBP", lossless=True, xmp=text.encode(), **common)
        else:
            raise GenartError(f"Animations are written as .webp or .gif files, not {suffix or 'without a suffix'}; "
                              "name the file .webp or .gif.")
        return buffer.getvalue()

    def save(self, path: Path) -> Path:
        path = Path(path)
        path.write_bytes(self.encode(path.suffix))
        return path


def text_json(record: dict, texts: list[str]) -> str:
    """A text output as a file: the completions and, under the record's key, how to replay them."""
    return json.dumps({KEY: record, "texts": texts}, indent=1, ensure_ascii=False) + "\n"


def png_bytes(image: Image.Image, info: PngImagePlugin.PngInfo | None = None) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def read_record(path: Path) -> dict | None:
    """The record of a file genart wrote, or None for any other image."""
    with Image.open(path) as image:
        raw = image.info.get(KEY) or image.info.get("xmp") or image.info.get("comment")
    if raw is None:
        return None
    try:
        record = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) and "model" in record else None


def read_inputs(path: Path) -> dict[str, Image.Image]:
    """The input images stored beside the record (empty for outputs made from a seed or a prompt alone)."""
    with Image.open(path) as image:
        chunks = {k[len(INPUT_PREFIX):]: v for k, v in image.info.items() if k.startswith(INPUT_PREFIX)}
    inputs = {}
    for name, text in chunks.items():
        try:
            image = Image.open(io.BytesIO(base64.b64decode(text, validate=True)))
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise GenartError(f"The input image {name!r} stored in {Path(path).name} is {image.width}x"
                                  f"{image.height}; genart does not open images that large.")
            image.load()
        except (binascii.Error, ValueError, OSError, Image.DecompressionBombError):
            raise GenartError(f"The input image {name!r} stored in {Path(path).name} is damaged; only unchanged "
                              "files genart wrote can be replayed.") from None
        inputs[name] = image
    return inputs
