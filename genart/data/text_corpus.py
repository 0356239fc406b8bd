"""A grammar of artwork titles and descriptions: the text corpus for genart's small text models.

sample(rng) expands the grammar; accepts(line) checks a line against the same grammar (compiled to a regex), which
is how generated text is scored.
"""
import random
import re
from functools import lru_cache

# Nonterminals are <name>; a production is a list of alternatives, each a string with nonterminals inside.
GRAMMAR: dict[str, list[str]] = {
    "line": ["«<title>» — <medium>. <description>"],
    "title": ["<adj> <subject>", "<subject> at <time>", "Study of <subject> No. <number>", "<Colour> <subject>",
              "<subject> in <Colour>", "<time> over the <place>", "Variation on a <Shape>"],
    "description": ["<sentence>", "<sentence> <sentence>"],
    "sentence": ["A <class> of <feature>, with <feature>.", "<feature_cap> meets <feature> under <a_colour> sky.",
                 "The artist sets <feature> against <feature>.", "A <quality> <class> in <colour> and <colour>."],
    "feature_cap": ["Layered ridges", "A pale moon", "A grid of black bars", "A field of primaries", "Concentric rings",
                    "A scatter of triangles", "Leaded panes", "A ring of petals", "A drift of strokes", "Still water"],
    "feature": ["layered ridges", "a pale moon", "a grid of black bars", "a field of primaries", "concentric rings",
                "a scatter of triangles", "leaded panes", "a ring of petals", "a drift of strokes", "still water",
                "<colour> light", "a single <shape>"],
    "class": ["landscape", "mondrian", "composition", "window", "mandala", "flow field"],
    "medium": ["oil on canvas", "watercolour", "gouache on paper", "stained glass", "ink and wash", "digital print"],
    "adj": ["Quiet", "Restless", "Bright", "Distant", "Silent", "Broken", "Golden", "Endless", "Small", "Gentle"],
    "quality": ["quiet", "restless", "bright", "distant", "silent", "broken", "golden", "small", "gentle"],
    "subject": ["Harbour", "Mountains", "Garden", "Window", "Rings", "Orchard", "River", "Cathedral", "Lanterns", "Tides"],
    "time": ["Dawn", "Dusk", "Midnight", "Noon", "Twilight", "First Light"],
    "place": ["Valley", "Lake", "City", "Fields", "Sea", "Hills"],
    "colour": ["violet", "amber", "cobalt", "crimson", "ochre", "emerald", "silver", "rose", "indigo", "saffron"],
    "a_colour": ["a violet", "an amber", "a cobalt", "a crimson", "an ochre", "an emerald", "a silver", "a rose", "an indigo",
                 "a saffron"],
    "Colour": ["Violet", "Amber", "Cobalt", "Crimson", "Ochre", "Emerald", "Silver", "Rose", "Indigo", "Saffron"],
    "shape": ["circle", "triangle", "square", "spiral", "star", "crescent"],
    "Shape": ["Circle", "Triangle", "Square", "Spiral", "Star", "Crescent"],
    "number": [str(n) for n in range(1, 13)],
}
NONTERMINAL = re.compile(r"<(\w+)>")
HELD_OUT_SEED = 1_000_003  # validation and held-out lines come from this corpus seed, never a training one


def expand(symbol: str, rng: random.Random) -> str:
    choice = rng.choice(GRAMMAR[symbol])
    return NONTERMINAL.sub(lambda m: expand(m[1], rng), choice)


def sample(rng: random.Random) -> str:
    return expand("line", rng)


def corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [sample(rng) for _ in range(n)]


@lru_cache(maxsize=None)
def _pattern(symbol: str) -> str:
    alternatives = []
    for choice in GRAMMAR[symbol]:
        parts, last = [], 0
        for m in NONTERMINAL.finditer(choice):
            parts += [re.escape(choice[last:m.start()]), f"(?:{_pattern(m[1])})"]
            last = m.end()
        alternatives.append("".join(parts) + re.escape(choice[last:]))
    return "|".join(alternatives)


@lru_cache(maxsize=1)
def _line_regex() -> re.Pattern:
    return re.compile(_pattern("line"))


def accepts(line: str) -> bool:
    """True when the grammar can produce `line` exactly."""
    return _line_regex().fullmatch(line) is not None
