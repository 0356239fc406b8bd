"""genart in Simplified Chinese as well as English: every string the page shows and every sentence the code writes for
a person has its Chinese, a request is answered in the language it asks for, and the API stays English unless asked."""
import json
import string

import numpy as np
import pytest

from genart.data.captions_zh import english_caption
from genart.errors import GenartError
from genart.locale import language_of, say, speaking, words
from genart.locale.sentences_zh import FRAGMENTS, SENTENCES, STATUS
from genart.locale.words_zh import WORDS
from genart.pipelines.imagine import EXAMPLES, EXAMPLES_ZH, ImagineSettings, imagine
from genart.pipelines.runner import TASKS
from genart.pipelines.settings import settings_of
from genart.pipelines.style import METHODS
from genart.registry import BUILTIN, get_spec
from genart.ui import build_demo
from genart.ui.language import page_words

from .raw_api import call
from .shown_sentences import shown_sentences

ZH = "zh-CN"


def fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_every_sentence_the_code_writes_has_its_chinese_with_the_same_fields():
    written = shown_sentences()
    assert len(written) > 200  # the walk finds the refusals, warnings and notices
    missing = {t: where for t, where in written.items() if t not in SENTENCES}
    assert not missing, f"sentences without Chinese (genart/locale/sentences_zh.py): {missing}"
    assert not set(SENTENCES) - set(written), "catalogue entries no code writes any more"
    for english, chinese in (SENTENCES | FRAGMENTS | STATUS | WORDS).items():
        assert fields(chinese) <= fields(english), english
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) or chinese == english or not english.strip("#{}\n "), \
            english


def test_every_setting_model_and_style_method_says_itself_in_chinese():
    for task in TASKS.values():
        for s in settings_of(task.settings):
            assert s.knob.label_zh, (task.name, s.name)
            assert bool(s.knob.help_zh) == bool(s.knob.help), (task.name, s.name)
    assert all(spec.description_zh for spec in BUILTIN)
    assert all(method.about_zh for method in METHODS.values())
    assert get_spec("hf-hub:someone/any-gan").description_zh == "Hub 仓库 someone/any-gan"


def i18n_key(value) -> str | None:
    text = str(value)
    return json.loads(text.removeprefix("__i18n__"))["key"] if text.startswith("__i18n__") else None


def test_every_string_the_page_shows_is_a_key_with_its_chinese():
    demo = build_demo(public=False)
    chinese = page_words().translations_dict[ZH]
    plain, untranslated = set(), set()
    for component in demo.get_config_file()["components"]:
        props, kind = component.get("props", {}), component.get("type")
        if kind == "api":
            continue  # gr.api's parameters: not shown on the page
        shown = [props.get(k) for k in ("label", "info", "placeholder") if props.get(k)]
        if kind in ("button", "markdown", "tabitem", "accordion") and isinstance(props.get("value"), str):
            shown.append(props["value"])
        for value in shown:
            key = i18n_key(value)
            if key is None:
                plain.add((kind, str(value)[:60]))
            elif key not in chinese:
                untranslated.add(key[:60])
    # A and B are the arena's two sides: the same in both languages.
    assert plain <= {("image", "A"), ("image", "B"), ("textbox", "A"), ("textbox", "B"), ("markdown", "### A"),
                     ("markdown", "### B")}, plain
    assert not untranslated, untranslated
    assert chinese["Text to image"] == "文生图" and chinese["Seed"] == "种子"


@pytest.mark.parametrize("header, language", [
    ({}, "en"),
    ({"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}, ZH),
    ({"accept-language": "en-US,en;q=0.9,zh-CN;q=0.8"}, "en"),
    ({"accept-language": "fr;q=0.9, zh;q=0.95"}, ZH),
    ({"accept-language": "zh-TW"}, "en"),
    ({"accept-language": "zh-CN", "x-genart-language": "en"}, "en"),  # switched on the page
    ({"accept-language": "en", "x-genart-language": "zh-CN"}, ZH),
    ({"accept-language": "zh;q=nonsense,,;;"}, ZH),
])
def test_a_request_is_answered_in_the_language_it_asks_for(header, language):
    assert language_of(header) == language


def test_a_sentence_is_said_in_chinese_with_its_values_and_words_translated():
    with speaking(ZH):
        assert say("Seed must be a whole number from 0 to 100, got -1.") == "种子必须是 0 到 100 之间的整数，收到的是 -1。"
        assert say("The content image was downscaled from 4000x3000 to 1024x768.") == \
            "内容图像已从 4000x3000 缩小到 1024x768。"
        # a sentence made of a part that another function wrote
        assert say("Seed must be a number from 0 to 10, got 'x'; send a value of that kind.") == \
            "种子必须是 0 到 10 之间的数，收到的是 'x'；请发送这种类型的值。"
        assert say("A sentence genart never wrote.") == "A sentence genart never wrote."
        assert say(get_spec("dcgan-art-64").description) == get_spec("dcgan-art-64").description_zh
    assert say("Write a message first.") == "Write a message first."  # English outside a Chinese request
    assert words(ZH)["yes"] == "是" and words("en") == {}


def test_the_api_refuses_in_english_unless_the_request_asks_for_chinese(app_url):
    english = call(app_url, "generate", ["hf-hub:nobody", None, 0, 1, 2.0, 64])
    chinese = call(app_url, "generate", ["hf-hub:nobody", None, 0, 1, 2.0, 64],
                   headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert english.error == "'hf-hub:nobody' is not a Hub model id; write it as hf-hub:org/name or " \
                            "hf-hub:org/name@revision."
    assert chinese.error == "'hf-hub:nobody' 不是 Hub 模型编号；请写成 hf-hub:org/name 或 hf-hub:org/name@revision。"
    picked = call(app_url, "generate", ["hf-hub:nobody", None, 0, 1, 2.0, 64],
                  headers={"Accept-Language": "en", "X-Genart-Language": "zh-CN"})
    assert picked.error == chinese.error


@pytest.mark.parametrize("chinese, english", [
    ("一幅有十二片花瓣的青色和粉色曼陀罗", "a mandala with twelve petals in teal and pink"),
    ("蒙德里安风格，七个红色、黄色和藏青的矩形", "a mondrian of seven rectangles in red, yellow and navy"),
    ("黄昏时有三重山脉和湖的风景", "a landscape at dusk with three mountain ranges and a lake"),  # 黄昏 is not yellow
    ("有 8 片花瓣的粉红色曼陀罗", "a mandala with eight petals in pink"),  # 粉红 is pink, not pink and red
    ("黑底上粉色和紫色的流场", "a pink and purple flow field on black"),
    ("夜晚的山水", "a landscape at night"),
    ("一只猫", None),
])
def test_a_chinese_description_of_genart_art_reads_as_its_english_caption(chinese, english):
    assert english_caption(chinese) == english


def test_text_to_image_draws_a_chinese_prompt_as_its_english_caption_and_refuses_others():
    *_, zh = imagine("text2art-64", ImagineSettings(prompt=EXAMPLES_ZH[0], n=2))
    *_, en = imagine("text2art-64", ImagineSettings(prompt=EXAMPLES[0], n=2))
    assert zh.notice.startswith("Read as: a mandala with twelve petals in teal and pink.")
    assert np.array_equal(np.asarray(zh.artworks[1].image), np.asarray(en.artworks[1].image))
    with pytest.raises(GenartError, match="write this prompt in English"):
        list(imagine("text2art-64", ImagineSettings(prompt="一只在月光下的猫")))
    with speaking(ZH):
        assert say(zh.notice.split(" CLIP")[0]) == "读作：a mandala with twelve petals in teal and pink。"


def test_the_status_lines_the_tabs_write_are_said_a_piece_at_a_time():
    with speaking(ZH):
        assert say("step 3/40 · done · 1.2 s\n\nRead as: a mandala with twelve petals in teal and pink.") == \
            "第 3/40 步 · 完成 · 1.2 秒\n\n读作：a mandala with twelve petals in teal and pink。"
        assert say("8 × 64x64 landscape from dcgan-art-64, seed 0, in 0.10 s") == \
            "8 张 64x64 的 dcgan-art-64 画的 landscape，种子 0，用时 0.10 秒"
        assert say("2 of 6 cells · 1 failed · stopped") == "2/6 个单元格 · 1 个失败 · 已停止"
        assert say("You voted **A is better**. A was **gan-a**, B was **gan-b**. Press New round for the next "
                   "pair.") == "你投了 **A 更好**。A 是 **gan-a**，B 是 **gan-b**。点“新一轮”看下一对。"
        # two notices one after the other, the first ending in a number
        assert say("The content image was downscaled from 4000x3000 to 1024x768. fast-flow-field paints one fixed "
                   "style; the style images are not used.") == \
            "内容图像已从 4000x3000 缩小到 1024x768。fast-flow-field 只画一种固定风格；不使用风格图像。"
