"""The text pipeline on a tiny GPT-2 with a real byte-level BPE tokenizer, served by the local Hub."""
import json

import pytest
import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from genart.errors import GenartError
from genart.pipelines.text import TextSettings, complete, generate_text, load_text_model, render_chat
from tests.checkpoints import saved_files

TEMPLATE = ("{{ bos_token }}{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}"
            "{% if add_generation_prompt %}<assistant>{% endif %}")


def byte_bpe(vocab: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    text = "Quiet harbour at dawn, oil on canvas. Café 🎨 水彩画. <|end|> " * 30
    tok.train_from_iterator([text], trainers.BpeTrainer(vocab_size=vocab, special_tokens=["<|end|>"],
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return tok


@pytest.fixture(scope="module")
def tiny_repo(tmp_path_factory, hub_repos):
    torch.manual_seed(5)
    tok = byte_bpe(300)
    end = tok.token_to_id("<|end|>")
    reference = transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=2, n_head=2, n_embd=32, vocab_size=300, n_positions=64, bos_token_id=end, eos_token_id=end)).eval()
    folder = tmp_path_factory.mktemp("tiny-chat")
    files = saved_files(reference, folder)
    tok.save(str(folder / "tokenizer.json"))
    files["tokenizer.json"] = (folder / "tokenizer.json").read_bytes()
    files["tokenizer_config.json"] = json.dumps({"chat_template": TEMPLATE, "bos_token": "<|end|>",
                                                 "eos_token": "<|end|>"}).encode()
    hub_repos.commit("tiny/chat-gpt2", files)
    return "hf-hub:tiny/chat-gpt2", reference, tok


@torch.no_grad()
def test_greedy_text_matches_transformers(hub_server, tiny_repo):
    name, reference, tok = tiny_repo
    prompt = "Quiet harbour"
    ids = tok.encode(prompt).ids
    reference.generation_config.eos_token_id = None
    expected = reference.generate(torch.tensor([ids]), do_sample=False, max_new_tokens=20, pad_token_id=0)[0, len(ids):]
    expected_text = tok.decode(expected.tolist()).rstrip("\ufffd")
    model = load_text_model(name)
    model.eos_ids.clear()  # compare all 20 tokens, as generate() above does without an end token
    assert complete(name, TextSettings(prompt=prompt, max_new_tokens=20, temperature=0, chat=False))[0] == expected_text


def test_stop_string_never_reaches_the_output(hub_server, tiny_repo):
    name, _, _ = tiny_repo
    load_text_model(name).eos_ids.clear()
    full = complete(name, TextSettings(prompt="Café", max_new_tokens=30, temperature=0, chat=False))[0]
    assert len(full) > 6
    stop = full[4:7]
    cut = complete(name, TextSettings(prompt="Café", max_new_tokens=30, temperature=0, chat=False, stop=[stop]))[0]
    assert cut == full[:full.find(stop)] and stop not in cut


def test_chat_template_and_completions_side_by_side(hub_server, tiny_repo):
    name, _, _ = tiny_repo
    model = load_text_model(name)
    assert render_chat(model, "Hi") == "<|end|><user>Hi\n<assistant>"
    a = complete(name, TextSettings(prompt="Hi", max_new_tokens=12, temperature=1.5, seed=1, n=2))
    assert a == complete(name, TextSettings(prompt="Hi", max_new_tokens=12, temperature=1.5, seed=1, n=2))
    assert len(a) == 2 and a[0] != a[1]


def test_closing_the_stream_stops_and_frees_the_cache(hub_server, tiny_repo):
    name, _, _ = tiny_repo
    stream = generate_text(name, TextSettings(prompt="Quiet", max_new_tokens=40, temperature=0))
    first = next(stream)
    stream.close()
    assert first.tokens == 1 and not first.done
    assert all(block.attn.cache is None for block in load_text_model(name).loaded.module.h)


@pytest.mark.parametrize("kwargs, message", [
    (dict(prompt="   "), "The prompt is empty"),
    (dict(max_new_tokens=0), "Max new tokens must be from 1 to 2048"),
    (dict(max_new_tokens=64), "use at most 63"),
    (dict(n=9), "Completions must be from 1 to 8"),
])
def test_bad_input_gets_one_sentence(hub_server, tiny_repo, kwargs, message):
    name, _, _ = tiny_repo
    with pytest.raises(GenartError, match=message):
        complete(name, TextSettings(**{"prompt": "Hi"} | kwargs))


def test_a_prompt_longer_than_the_context_is_cut_from_the_left(hub_server, tiny_repo):
    name, _, _ = tiny_repo
    *_, last = generate_text(name, TextSettings(prompt="oil on canvas " * 40, max_new_tokens=8, temperature=0, chat=False))
    assert "were dropped to fit the context" in last.notice


def test_missing_tokenizer_is_named(hub_server, tmp_path):
    torch.manual_seed(6)
    files = saved_files(transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=1, n_head=2, n_embd=16, vocab_size=50, n_positions=32, bos_token_id=0, eos_token_id=0)), tmp_path)
    hub_server.repos.commit("tiny/no-tokenizer", files)
    with pytest.raises(GenartError, match="has no tokenizer.json"):
        complete("hf-hub:tiny/no-tokenizer", TextSettings(prompt="Hi"))


def chat_repo(hub_repos, tiny_repo, repo_id: str, **files) -> str:
    """The tiny model under another repo id with other chat-template files."""
    _, base = hub_repos.lookup("tiny/chat-gpt2", "main")
    names = {"tokenizer_config_json": "tokenizer_config.json", "chat_template_jinja": "chat_template.jinja"}
    hub_repos.commit(repo_id, base | {names[k]: v.encode() for k, v in files.items()})
    return f"hf-hub:{repo_id}"


@pytest.mark.parametrize("template", [
    "{{ cycler.__init__.__globals__.os.getpid() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% set x = messages.append({'role': 'x'}) %}{{ x }}",
])
def test_a_template_that_reaches_for_python_is_refused_naming_the_repo(hub_server, hub_repos, tiny_repo, template):
    name = chat_repo(hub_repos, tiny_repo, f"evil/template-{abs(hash(template)) % 10**6}",
                     tokenizer_config_json=json.dumps({"chat_template": template}))
    with pytest.raises(GenartError, match=r"chat template of .*evil/template-.* tries to run code"):
        complete(name, TextSettings(prompt="Hello", max_new_tokens=2))


def test_chat_template_jinja_file_and_transformers_helpers(hub_server, hub_repos, tiny_repo):
    """chat_template.jinja wins over tokenizer_config.json; raise_exception() and strftime_now() work as in
    transformers, and blocks are trimmed (trim_blocks/lstrip_blocks)."""
    template = ("{% if messages[0].content == 'no' %}{{ raise_exception('say something else') }}{% endif %}\n"
                "{% for m in messages %}\n<{{ m.role }}>{{ m.content }}\n  {% endfor %}\n"
                "{{ strftime_now('%Y')[:2] }}")
    name = chat_repo(hub_repos, tiny_repo, "tiny/jinja-file", chat_template_jinja=template,
                     tokenizer_config_json=json.dumps({"chat_template": "ignored {{ messages }}"}))
    model = load_text_model(name)
    assert render_chat(model, "Hi") == "<user>Hi\n20"
    with pytest.raises(GenartError, match="refused the prompt: say something else"):
        render_chat(model, "no")
