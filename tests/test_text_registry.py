"""The registry's Hub text models resolve through the real Hub client and record the commit they loaded."""
import json

import pytest
import torch
import transformers

from genart.pipelines.text import TextSettings, generate_text, load_text_model, render_chat
from genart.registry import get_spec
from tests.checkpoints import saved_files
from tests.test_llama_parity import SMALL
from tests.test_text_pipeline import byte_bpe

# SmolLM2-Instruct's template (ChatML), cut to what one user turn needs.
CHATML = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
          "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def stand_in(arch: str, vocab: int = 300) -> transformers.PreTrainedModel:
    torch.manual_seed(7)
    if arch == "gpt2":
        return transformers.GPT2LMHeadModel(transformers.GPT2Config(n_layer=2, n_head=2, n_embd=32, vocab_size=vocab,
                                                                    n_positions=64, bos_token_id=0, eos_token_id=0))
    return transformers.LlamaForCausalLM(transformers.LlamaConfig(**SMALL | {"vocab_size": vocab}))


@pytest.mark.parametrize("name", ["gpt2", "distilgpt2", "smollm2-135m", "smollm2-135m-instruct"])
def test_registry_text_models_load_from_their_repos_and_record_the_commit(hub_server, tmp_path, name):
    spec = get_spec(name, task="text")
    files = saved_files(stand_in(spec.arch), tmp_path)
    tok = byte_bpe(300)
    tok.save(str(tmp_path / "tokenizer.json"))
    files["tokenizer.json"] = (tmp_path / "tokenizer.json").read_bytes()
    settings = {"eos_token": "<|end|>"} | ({"chat_template": CHATML} if name.endswith("instruct") else {})
    files["tokenizer_config.json"] = json.dumps(settings).encode()
    sha = hub_server.repos.commit(spec.repo_id, files, sha=spec.revision)  # the commit the registry pins

    *_, last = generate_text(name, TextSettings(prompt="Quiet harbour", max_new_tokens=6, temperature=0))
    assert last.done and last.record["repo_id"] == spec.repo_id and last.record["revision"] == sha
    assert last.record["model"] == name and last.record["prompt"] == "Quiet harbour"
    model = load_text_model(name)
    if name.endswith("instruct"):
        assert render_chat(model, "Hi") == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    else:
        assert model.chat_template is None
