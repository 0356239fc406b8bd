"""True captions of procedural art: the class, the colours that cover the image (named from its pixels) and the
renderer's own facts (counts, time of day), in several phrasings. text2art-64 learns from them; the colour namer is
also the instrument that checks a generated image shows the colours its caption asked for."""
import re

import numpy as np
from PIL import Image

from .procedural import render_described

# Hue bins in degrees (start of each bin) for saturated, not-too-dark pixels.
HUES = ((0, "red"), (18, "orange"), (42, "yellow"), (70, "green"), (160, "teal"), (195, "blue"), (255, "purple"),
        (290, "pink"), (340, "red"))
COLOURS = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "pink", "brown", "navy", "black", "white",
           "grey")
NUMBERS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
           "seventeen eighteen nineteen twenty").split()
# (class, colour) pairs no training caption holds: the held-out captions that measure generalisation. Each colour and
# each class is still seen in training, in other pairs.
HELD_OUT = (("mandala", "yellow"), ("stained_glass", "purple"), ("flow_field", "green"), ("geometric", "pink"),
            ("landscape", "teal"), ("mondrian", "blue"))
MIN_SHARE = 0.08  # a colour is named when it covers this much of the image


def colour_map(image: Image.Image) -> np.ndarray:
    """(H, W) indices into COLOURS: each pixel's colour name."""
    hsv = np.asarray(image.convert("RGB").convert("HSV"), dtype=np.float32) / 255.0  # (H, W, 3)
    h, s, v = hsv[..., 0] * 360, hsv[..., 1], hsv[..., 2]
    starts = np.array([start for start, _ in HUES])
    hue = np.array([COLOURS.index(name) for _, name in HUES])[np.searchsorted(starts, h, side="right") - 1]
    hue = np.where((hue == COLOURS.index("blue")) & (v < 0.5), COLOURS.index("navy"), hue)
    warm = (h >= 8) & (h < 50) & (v < 0.6)
    hue = np.where(warm, COLOURS.index("brown"), hue)
    grey = np.where(v > 0.82, COLOURS.index("white"), COLOURS.index("grey"))
    out = np.where(s < 0.2, grey, hue)
    return np.where(v < 0.2, COLOURS.index("black"), out)


def dominant_colours(image: Image.Image, most: int = 3, min_share: float = MIN_SHARE) -> list[str]:
    """The colour names that cover at least min_share of the image, most-covering first, at most `most`."""
    shares = np.bincount(colour_map(image).ravel(), minlength=len(COLOURS)) / (image.width * image.height)
    order = [i for i in np.argsort(-shares, kind="stable") if shares[i] >= min_share][:most]
    return [COLOURS[i] for i in order]


def number(n: int) -> str:
    return NUMBERS[n] if n < len(NUMBERS) else "many"


def listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def phrasings(name: str, facts: dict, colours: list[str]) -> list[str]:
    """Several true captions of one image: its class, colours and facts, said in different ways."""
    tint = listed(colours)
    ground = "on black" if facts.get("dark") else "on a light ground"
    if name == "landscape":
        lake = " and a lake" if facts["lake"] else ""
        return [f"a landscape at {facts['time']} with {number(facts['ranges'])} mountain ranges{lake}",
                f"a {tint} landscape at {facts['time']}",
                f"{number(facts['ranges'])} mountain ranges at {facts['time']} in {tint}{lake}"]
    if name == "mondrian":
        return [f"a mondrian of {number(facts['rectangles'])} rectangles in {tint}",
                f"a {tint} mondrian with black lines", f"{number(facts['rectangles'])} rectangles in {tint}, "
                                                        "in the style of mondrian"]
    if name == "mandala":
        return [f"a mandala with {number(facts['petals'])} petals in {tint}", f"a {tint} mandala {ground}",
                f"a {number(facts['petals'])} fold mandala of {number(facts['rings'])} rings in {tint}"]
    if name == "stained_glass":
        size = "many small" if facts["panes"] > 26 else "large"
        return [f"a stained glass window of {size} panes in {tint}", f"{tint} stained glass",
                f"a {tint} stained glass window with dark leading"]
    if name == "flow_field":
        return [f"a flow field of {tint} strokes", f"a {tint} flow field {ground}",
                f"{tint} lines flowing {ground}"]
    return [f"a geometric composition of circles and triangles in {tint}", f"a {tint} geometric composition {ground}",
            f"circles, triangles and lines in {tint}, after kandinsky"]


def described(name: str, seed: int, size: int = 64) -> tuple[Image.Image, list[str], list[str]]:
    """(image, its dominant colours, its captions) for one seed of a class."""
    image, facts = render_described(name, seed, size)
    colours = dominant_colours(image)
    return image, colours, phrasings(name, facts, colours)


def held_out(name: str, colours: list[str]) -> bool:
    """Whether an image of this class and these colours belongs to the held-out captions."""
    return any((name, c) in HELD_OUT for c in colours)


def words(text: str) -> list[str]:
    """Lower-case words; digits become number words ("7 petals" reads as "seven petals")."""
    out = []
    for w in re.findall(r"[a-z]+|\d+", text.lower()):
        out.append(number(int(w)) if w.isdigit() else w)
    return out


def word_ids(vocab: list[str], text: str, most: int) -> list[int]:
    """A caption as ids into vocab, 1-based (0 pads); words the vocabulary lacks are skipped; at most `most`."""
    index = {w: i + 1 for i, w in enumerate(vocab)}
    return [index[w] for w in words(text) if w in index][:most]
