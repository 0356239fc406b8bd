"""The replay record: every image genart writes carries how to make it again.

PNG: a text chunk `genart` holding JSON. Animations (WebP, GIF) carry the same JSON as XMP / a GIF comment.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, PngImagePlugin

KEY = "genart"
FORMAT_VERSION = 1


def make_record(task: str, model: str, provenance: dict, **params) -> dict:
    return {"version": FORMAT_VERSION, "task": task, "model": model, **provenance, **params}


@dataclass
class Artwork:
    image: Image.Image
    record: dict

    def save(self, path: Path) -> Path:
        info = PngImagePlugin.PngInfo()
        info.add_text(KEY, json.dumps(self.record, sort_keys=True))
        self.image.save(path, format="PNG", pnginfo=info)
        return Path(path)


@dataclass
class Animation:
    frames: list[Image.Image]
    record: dict
    fps: int

    def save(self, path: Path) -> Path:
        path = Path(path)
        text = json.dumps(self.record, sort_keys=True)
        common = dict(save_all=True, append_images=self.frames[1:], duration=round(1000 / self.fps), loop=0)
        if path.suffix == ".gif":
            self.frames[0].save(path, format="GIF", comment=text, **common)
        elif path.suffix == ".webp":
            self.frames[0].save(path, format="WEBP", lossless=True, xmp=text.encode(), **common)
        else:
            raise ValueError(f"Animations are written as .webp or .gif, not {path.suffix!r}.")
        return path


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
