"""Text checkpoints saved by transformers load through the registry and the Hub client, strictly, and match."""
import json

import pytest
import torch
import transformers

from genart.errors import GenartError
from genart.loaders import load_model
from genart.models.attention import causal_mask
from genart.pipelines.decode import window_of
from genart.registry import get_spec
from tests.checkpoints import saved_files
from tests.test_llama_parity import SMALL


def logits(model, idx):
    T = idx.shape[1]
    mask = causal_mask(torch.ones_like(idx, dtype=torch.bool), torch.arange(T), T, window_of(model))
    return model(idx, torch.arange(T)[None].expand(idx.shape[0], T), mask)


@pytest.mark.parametrize("repo, build", [
    ("tiny/gpt2", lambda: transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=2, n_head=2, n_embd=32, vocab_size=97, n_positions=64, bos_token_id=0, eos_token_id=0))),
    ("tiny/llama", lambda: transformers.LlamaForCausalLM(transformers.LlamaConfig(**SMALL))),
    ("tiny/qwen2", lambda: transformers.Qwen2ForCausalLM(transformers.Qwen2Config(**SMALL))),
    ("tiny/mistral", lambda: transformers.MistralForCausalLM(transformers.MistralConfig(**SMALL, sliding_window=4))),
])
@torch.no_grad()
def test_transformers_checkpoints_load_and_match(hub_server, tmp_path, repo, build):
    torch.manual_seed(1)
    reference = build().eval()
    sha = hub_server.repos.commit(repo, saved_files(reference, tmp_path))
    loaded = load_model(get_spec(f"hf-hub:{repo}", task="text"))
    assert loaded.provenance["revision"] == sha
    idx = torch.randint(3, 97, (2, 11))
    assert torch.allclose(logits(loaded.module, idx), reference(idx).logits, atol=1e-4)


@pytest.mark.parametrize("change, message", [
    ({"hidden_act": "gelu"}, "uses the activation 'gelu'"),
    ({"mlp_bias": True}, "uses MLP biases"),
    ({"rope_scaling": {"rope_type": "yarn", "factor": 4.0}}, "uses RoPE scaling 'yarn'"),
])
def test_unsupported_llama_variants_are_refused_by_name(hub_server, tmp_path, change, message):
    torch.manual_seed(2)
    files = saved_files(transformers.LlamaForCausalLM(transformers.LlamaConfig(**SMALL)), tmp_path)
    config = json.loads(files["config.json"]) | change
    config.pop("rope_parameters", None) if "rope_scaling" in change else None
    files["config.json"] = json.dumps(config).encode()
    repo = f"tiny/llama-{next(iter(change))}"
    hub_server.repos.commit(repo, files)
    with pytest.raises(GenartError, match=message):
        load_model(get_spec(f"hf-hub:{repo}", task="text"))


def test_a_text_model_asked_for_as_an_image_generator_says_so(hub_server, tmp_path):
    torch.manual_seed(3)
    hub_server.repos.commit("tiny/gpt2-wrong-task", saved_files(transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=1, n_head=2, n_embd=16, vocab_size=50, n_positions=32, bos_token_id=0, eos_token_id=0)), tmp_path))
    with pytest.raises(GenartError, match="gpt2 model for the text task, not generate"):
        load_model(get_spec("hf-hub:tiny/gpt2-wrong-task"))


def test_a_checkpoint_missing_a_layer_is_refused_with_the_count(hub_server, tmp_path):
    from safetensors.torch import load, save
    torch.manual_seed(4)
    files = saved_files(transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_layer=2, n_head=2, n_embd=16, vocab_size=50, n_positions=32, bos_token_id=0, eos_token_id=0)), tmp_path)
    state = {k: v for k, v in load(files["model.safetensors"]).items() if ".h.1." not in k}
    files["model.safetensors"] = save(state)
    hub_server.repos.commit("tiny/gpt2-missing-layer", files)
    with pytest.raises(GenartError, match="expected 28 GPT-2 tensors, found 16"):
        load_model(get_spec("hf-hub:tiny/gpt2-missing-layer", task="text"))
