"""A description of genart's procedural art written in Chinese, read as the English caption text2art-64 was trained
on: the class, the colours, the counts and the facts the Chinese names ("一幅有十二片花瓣的青色和粉色曼陀罗" is
"a mandala with twelve petals in teal and pink"), said in one of the training phrasings (captions.phrasings)."""
import re

from .captions import NUMBERS, listed

CLASSES_ZH = (("曼陀罗", "mandala"), ("曼荼罗", "mandala"), ("蒙德里安", "mondrian"), ("彩色玻璃", "stained_glass"),
              ("彩绘玻璃", "stained_glass"), ("花窗", "stained_glass"), ("流场", "flow_field"), ("流线", "flow_field"),
              ("几何", "geometric"), ("康定斯基", "geometric"), ("风景", "landscape"), ("山水", "landscape"),
              ("山景", "landscape"), ("景色", "landscape"))
# Longest first, so that 藏青 is navy before 青 is teal, and 粉红 is pink before 红 is red.
COLOURS_ZH = (("藏青", "navy"), ("深蓝", "navy"), ("海军蓝", "navy"), ("蓝绿", "teal"), ("青绿", "teal"),
              ("粉红", "pink"), ("金黄", "yellow"), ("金", "yellow"), ("红", "red"), ("橙", "orange"), ("橘", "orange"),
              ("黄", "yellow"), ("绿", "green"), ("青", "teal"), ("蓝", "blue"), ("紫", "purple"), ("粉", "pink"),
              ("棕", "brown"), ("褐", "brown"), ("咖啡", "brown"), ("黑", "black"), ("白", "white"), ("灰", "grey"))
TIMES_ZH = (("黎明", "dawn"), ("清晨", "dawn"), ("日出", "dawn"), ("白天", "day"), ("白日", "day"), ("正午", "day"),
            ("黄昏", "dusk"), ("傍晚", "dusk"), ("日落", "dusk"), ("夜晚", "night"), ("夜里", "night"), ("夜", "night"))
# What a count counts, by class: the noun's Chinese words.
COUNTED = {"mandala": ("花瓣", "瓣"), "mondrian": ("矩形", "长方形", "方块"), "landscape": ("山脉", "山峦", "座山", "重山")}
DIGITS = "零一二三四五六七八九"
CJK = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: str) -> bool:
    return bool(CJK.search(text))


def _number(text: str) -> int | None:
    """A count written in digits or Chinese numerals up to twenty (十二, 二十, 两)."""
    if text.isdigit():
        return int(text)
    text = text.replace("两", "二")
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + DIGITS.index(text[1])
    if "十" in text:
        tens, _, ones = text.partition("十")
        return DIGITS.index(tens) * 10 + (DIGITS.index(ones) if ones else 0)
    return DIGITS.index(text)


def _count(text: str, nouns: tuple[str, ...]) -> str | None:
    """The count nearest before one of `nouns` ("十二片花瓣", "七个红色的矩形", "8 片花瓣"), as an English number word."""
    for noun in nouns:
        at = text.find(noun)
        if at < 0:
            continue
        before = re.split(r"[，。,；;]", text[max(0, at - 14):at])[-1]  # the words of the noun's own clause
        counts = re.findall(r"\d+|[零一二两三四五六七八九十]{1,3}", before)
        if counts:
            n = _number(counts[-1])
            return NUMBERS[n] if n < len(NUMBERS) else "many"
    return None


def _first(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((english for chinese, english in table if chinese in text), None)


def _colours(text: str) -> list[str]:
    """The colours named, in the order they are written, each once (a matched word is taken out, so 粉红 is not
    also 红)."""
    found = []
    for chinese, english in COLOURS_ZH:
        for m in re.finditer(chinese, text):
            found.append((m.start(), english))
        text = text.replace(chinese, "\0" * len(chinese))
    return list(dict.fromkeys(english for _, english in sorted(found)))


def english_caption(text: str) -> str | None:
    """The English caption of a Chinese description of genart's art, or None when it names none of its classes."""
    name = _first(text, CLASSES_ZH)
    if name is None:
        return None
    dark = "黑底" in text or "黑色背景" in text
    plain = text
    for word in ("黑底", "黑色背景", *(chinese for chinese, _ in TIMES_ZH)):  # 黄昏 is a time, not yellow
        plain = plain.replace(word, "")
    colours = _colours(plain)
    tinted = (listed(colours) + " ") if colours else ""  # "teal and pink " before a noun
    in_tint = f" in {listed(colours)}" if colours else ""
    ground = "on black" if dark else "on a light ground"
    count = _count(text, COUNTED.get(name, ()))
    if name == "landscape":
        time = _first(text, TIMES_ZH) or "day"
        lake = " and a lake" if "湖" in text else ""
        if count and colours:
            return f"{count} mountain ranges at {time}{in_tint}{lake}"
        if count:
            return f"a landscape at {time} with {count} mountain ranges{lake}"
        return f"a {tinted}landscape at {time}{lake}"
    if name == "mondrian":
        return f"a mondrian of {count} rectangles{in_tint}" if count else f"a {tinted}mondrian with black lines"
    if name == "mandala":
        return f"a mandala with {count} petals{in_tint}" if count else f"a {tinted}mandala {ground}"
    if name == "stained_glass":
        size = "many small" if re.search(r"(许多|很多|大量)\s*(?:的)?\s*小", text) else "large"
        return f"a stained glass window of {size} panes{in_tint}"
    if name == "flow_field":
        return f"a {tinted}flow field {ground}"
    return f"a geometric composition of circles and triangles{in_tint}"
