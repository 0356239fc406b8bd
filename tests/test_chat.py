"""Chat: an instruct model's conversation goes through its own template turn by turn, the reply is what the model
writes after it (greedy: what transformers' generate() writes), and Regenerate, Continue and Replay keep the turns."""
import json

import pytest
import torch
import transformers

from genart.errors import GenartError
from genart.models.int8 import Int8Linear
from genart.pipelines.chat import ChatSettings, chat, prompt_text
from genart.pipelines.remake import remake_file
from genart.pipelines.text import load_text_model
from genart.ui import chat_tab
from genart.ui.common import StopRequest
from tests.checkpoints import saved_files
from tests.test_text_pipeline import byte_bpe
from tests.test_text_registry import CHATML, stand_in

TURNS = ["Paint a harbour.", "A quiet harbour at dawn.", "Now at night?"]


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory, hub_repos):
    """A tiny Llama-layout instruct model with SmolLM2-Instruct's ChatML template."""
    folder = tmp_path_factory.mktemp("chat-llama")
    reference = stand_in("llama").eval()
    files = saved_files(reference, folder)
    tok = byte_bpe(300)
    tok.save(str(folder / "tokenizer.json"))
    files["tokenizer.json"] = (folder / "tokenizer.json").read_bytes()
    files["tokenizer_config.json"] = json.dumps({"chat_template": CHATML, "eos_token": "<|end|>"}).encode()
    hub_repos.commit("tiny/chat-llama", files)
    fast = transformers.PreTrainedTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"), eos_token="<|end|>")
    fast.chat_template = CHATML
    return "hf-hub:tiny/chat-llama", reference, fast


def test_the_turns_go_through_the_template_as_transformers_renders_them(hub_server, tiny_llama):
    name, _, fast = tiny_llama
    model = load_text_model(name)
    settings = ChatSettings(system="Be brief.", turns=TURNS)
    messages = [{"role": "system", "content": "Be brief."}] + \
        [{"role": ("user", "assistant")[i % 2], "content": t} for i, t in enumerate(TURNS)]
    expected = fast.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert prompt_text(model, settings) == expected
    assert expected.endswith("<|im_start|>user\nNow at night?<|im_end|>\n<|im_start|>assistant\n")
    going_on = prompt_text(model, ChatSettings(turns=[*TURNS, "Stars over"], continue_reply=True))
    assert going_on.endswith("<|im_start|>assistant\nStars over") and going_on.count("<|im_end|>") == 3


@torch.no_grad()
def test_a_greedy_reply_is_what_the_reference_writes_after_the_rendered_conversation(hub_server, tiny_llama):
    name, reference, fast = tiny_llama
    model = load_text_model(name)
    model.eos_ids.clear()  # all 12 tokens, as generate() below without an end token
    settings = ChatSettings(system="B.", turns=["Hi"], max_new_tokens=12, temperature=0)
    ids = fast(prompt_text(model, settings), add_special_tokens=False)["input_ids"]
    assert len(ids) + 12 <= 128  # the whole conversation fits the tiny model's context: nothing is cut
    reference.generation_config.eos_token_id = None
    out = reference.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=12, pad_token_id=0)[0, len(ids):]
    *_, last = chat(name, settings)
    assert last.texts[0] == fast.decode(out.tolist()).rstrip("\ufffd")
    assert last.record["task"] == "chat" and last.record["turns"] == ["Hi"] and not last.notice


@pytest.mark.parametrize("settings, message", [
    (ChatSettings(turns=[]), "must end with the user's turn"),
    (ChatSettings(turns=["Hi", "Hello"]), "must end with the user's turn"),
    (ChatSettings(turns=["Hi"], continue_reply=True), "must end with the model's turn"),
    (ChatSettings(turns=["x" * 16_001]), "Each of the conversation turns may be at most 16,000 characters; one is "
                                         "16,001"),
    (ChatSettings(turns=["Hi"] * 201), "Give at most 200 conversation turns; 201 were given"),
    (ChatSettings(turns=["Hi", 7, "Yo"]), "Conversation turns must be a list of text; one of them is int"),
])
def test_a_conversation_that_does_not_fit_gets_one_sentence(hub_server, tiny_llama, settings, message):
    with pytest.raises(GenartError, match=message):
        next(chat(tiny_llama[0], settings))


def test_a_model_without_a_template_is_told_to_use_completion(hub_server):
    with pytest.raises(GenartError, match="has no chat template, so it cannot chat"):
        next(chat("text-art", ChatSettings(turns=["Hi"])))


def values(**given) -> list:
    return [given.get(k, getattr(ChatSettings(), k)) if k != "stop" else "" for k in chat_tab.FIELDS]


def test_send_regenerate_continue_and_replay_keep_the_conversation(hub_server, tiny_llama, tmp_path):
    name = tiny_llama[0]
    load_text_model(name).eos_ids.clear()
    *_, (window, turns, status, box, save) = chat_tab.run_send(name, "", [], "Paint a harbour.",
                                                               *values(max_new_tokens=8), StopRequest(), progress=None)
    assert [m["role"] for m in window] == ["user", "assistant"] and turns[0] == "Paint a harbour." and box == ""
    first = turns[1]
    *_, (window, again, *_, seed) = chat_tab.run_regenerate(name, "", turns, *values(max_new_tokens=8),
                                                             StopRequest(), progress=None)
    assert len(again) == 2 and again[0] == turns[0] and isinstance(seed, int)
    *_, (window, longer, _, _, save) = chat_tab.run_continue(name, "", again, *values(max_new_tokens=4), StopRequest(),
                                                      progress=None)
    assert len(longer) == 2 and longer[1].startswith(again[1]) and len(longer[1]) > len(again[1])
    revision = json.loads(open(save["value"]).read())["genart"]["revision"]
    load_text_model(f"{name}@{revision}").eos_ids.clear()  # what replay loads: the model pinned to its commit
    record, output = remake_file(save["value"])
    assert record["task"] == "chat" and output.texts[0] == longer[1][len(again[1]):]
    with pytest.raises(Exception, match="no reply to regenerate"):
        next(chat_tab.run_regenerate(name, "", [], *values(), StopRequest(), progress=None))
    assert first


def test_an_int8_chat_replies_and_its_record_says_so(hub_server, tiny_llama):
    settings = ChatSettings(turns=["Hi"], max_new_tokens=8, temperature=0, precision="int8")
    *_, last = chat(tiny_llama[0], settings)
    assert last.tokens > 0 and last.record["precision"] == "int8"
    int8 = load_text_model(tiny_llama[0], precision="int8").loaded.module
    assert any(isinstance(m, Int8Linear) for m in int8.modules()) and isinstance(int8.lm_head, Int8Linear)
