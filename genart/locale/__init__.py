"""The languages genart speaks: English, in which the code writes its sentences and labels, and Simplified Chinese,
from two catalogues keyed by the English: WORDS (what the page shows: labels, help, buttons, tabs) and SENTENCES
(refusals, warnings and notices, as templates with named fields). The page translates its own words in the
browser (gr.I18n); a sentence written for one request is translated on the server into that request's language,
which `speaking` sets from its headers and `say` reads."""
import contextvars
import functools
import re
import string
from collections.abc import Mapping
from contextlib import contextmanager

from .sentences_zh import FRAGMENTS as FRAGMENTS_ZH
from .sentences_zh import SENTENCES as SENTENCES_ZH
from .sentences_zh import STATUS as STATUS_ZH
from .words_zh import WORDS as WORDS_ZH

ENGLISH = "en"
LANGUAGES = (ENGLISH, "zh-CN")
CHOSEN_HEADER = "x-genart-language"  # the language a visitor picked on the page (Settings), sent with each request
_current = contextvars.ContextVar("genart_language", default=ENGLISH)


def language_of(headers: Mapping[str, str]) -> str:
    """The request's language: the one picked on the page, else the first of Accept-Language's that genart speaks
    (a bare "zh" or "zh-Hans" is zh-CN), else English. API clients that send neither are answered in English.
    Header names in any case."""
    headers = {k.lower(): v for k, v in headers.items()}
    chosen = headers.get(CHOSEN_HEADER, "")
    asked = [chosen] if chosen else []
    weighted = []
    for i, part in enumerate(headers.get("accept-language", "").split(",")[:20]):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        weighted.append((-weight, i, tag.strip()))
    asked += [tag for _, _, tag in sorted(weighted)]
    for tag in asked:
        low = tag.lower()
        if low.startswith("zh") and not low.startswith(("zh-tw", "zh-hk", "zh-hant")):
            return "zh-CN"
        if low.startswith("en"):
            return ENGLISH
    return ENGLISH


def current_language() -> str:
    return _current.get()


@contextmanager
def speaking(language: str):
    """Within it, `say` answers in `language` (one of LANGUAGES; anything else is English)."""
    token = _current.set(language if language in LANGUAGES else ENGLISH)
    try:
        yield
    finally:
        _current.reset(token)


@functools.cache
def words(language: str) -> dict[str, str]:
    """The page's words in `language`, English -> translation: the catalogue's, and those declared beside their
    English (the settings' labels and help, the models' descriptions, the style methods')."""
    if language == ENGLISH:
        return {}
    # Imported here, as the declarations' modules import this package; runner imports every task's settings.
    from ..pipelines import runner  # noqa: F401
    from ..pipelines.settings import translated_knobs
    from ..pipelines.style import METHODS
    from ..registry import BUILTIN
    return (WORDS_ZH | translated_knobs() | {s.description: s.description_zh for s in BUILTIN}
            | {m.about: m.about_zh for m in METHODS.values()})


@functools.cache
def _patterns() -> list[tuple[re.Pattern, str, bool]]:
    """Each English template as a pattern whose groups are its fields, and whether it holds several sentences; the
    most specific first: the most text of its own, then the fewest fields."""
    out = []
    for english, chinese in (SENTENCES_ZH | FRAGMENTS_ZH | STATUS_ZH).items():
        parts, literal = [], 0
        for text, field, _, _ in string.Formatter().parse(english):
            parts.append(re.escape(text))
            literal += len(text)
            if field is not None:
                parts.append(f"(?P<{field}>.+?)")
        pattern = re.compile("".join(parts), re.DOTALL)
        several = len(SENTENCE_BREAK.split(english)) > 1
        out.append(((-literal, pattern.groups), pattern, chinese, several))
    return [(pattern, chinese, several) for _, pattern, chinese, several in sorted(out, key=lambda e: e[0])]


SENTENCE_BREAK = re.compile(r"(?<=[.;])(\s+)(?=\S)")  # split keeps the space
MAX_SAID = 4000  # characters; longer text (never a sentence genart writes) stays as it is, unmatched
PIECE_BREAK = re.compile(r"( · |\n+)")  # a status line's pieces
# A space the templates put beside a field, once the field is Chinese too, or after a Chinese full stop: Chinese
# sets no space between characters, nor after its punctuation.
CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
                       r"|(?<=[\u3000-\u303f\uff00-\uffef]) +")


def say(text: str, language: str | None = None) -> str:
    """`text`, a sentence genart wrote in English (or several, one after another), in the request's language; the
    values in it stay as they were, translated where they are words of the page. Text the catalogues do not hold
    stays English."""
    language = language or current_language()
    if language == ENGLISH or not text or len(text) > MAX_SAID:
        return text
    return CJK_SPACE.sub("", _translated(text, language, depth=0))


def _translated(text: str, language: str, depth: int, whole: bool = True) -> str:
    """Words first, then the catalogue's templates, each field said too (two levels deep). A status line is said a
    piece at a time; text of several sentences as a template of several, else a sentence at a time."""
    if whole:
        pieces = PIECE_BREAK.split(text)
        if len(pieces) > 1:
            return "".join(p if PIECE_BREAK.fullmatch(p) else _translated(p, language, depth, False) for p in pieces)
    table = words(language)
    if text in table:
        return table[text]
    sentences = SENTENCE_BREAK.split(text)
    for pattern, target, several in _patterns():
        if len(sentences) > 1 and not several:
            continue
        match = pattern.fullmatch(text)
        if match:
            return target.format(**{k: _translated(v, language, depth + 1) if depth < 2 else v
                                    for k, v in match.groupdict().items()})
    if len(sentences) > 1:
        return "".join(p if SENTENCE_BREAK.fullmatch(p) else _translated(p, language, depth, False)
                       for p in sentences)
    return text
