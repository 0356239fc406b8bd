"""genart's Llama-family decoder against Hugging Face transformers (a test-only oracle) on small random models."""
import pytest
import torch
import transformers
from safetensors.torch import load_file

from genart.models.attention import causal_mask
from genart.models.llama import Llama, LlamaConfig, from_hf_state_dict

SMALL = dict(vocab_size=173, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
             num_key_value_heads=2, max_position_embeddings=128, bos_token_id=1, eos_token_id=2, pad_token_id=0)


def build(tmp_path, hf_class, hf_config, ours_config):
    torch.manual_seed(0)
    reference = hf_class(hf_config).eval()
    reference.save_pretrained(tmp_path)
    ours = Llama(ours_config)
    ours.load_state_dict(from_hf_state_dict(load_file(tmp_path / "model.safetensors"), ours_config), strict=True)
    return reference, ours.eval()


def forward(model, idx, padding=None):
    B, T = idx.shape
    padding = torch.ones(B, T, dtype=torch.bool) if padding is None else padding
    positions = (padding.long().cumsum(1) - 1).clamp(min=0)
    return model(idx, positions, causal_mask(padding, torch.arange(T), T, model.config.sliding_window))


CASES = {
    "llama-gqa-untied": (transformers.LlamaForCausalLM, transformers.LlamaConfig(**SMALL, tie_word_embeddings=False,
                                                                                  rope_theta=10000.0),
                         LlamaConfig(**{k: v for k, v in SMALL.items() if "token" not in k}, rope_theta=10000.0)),
    "llama3-rope-tied": (transformers.LlamaForCausalLM,
                         transformers.LlamaConfig(**SMALL, tie_word_embeddings=True, rope_parameters={
                             "rope_type": "llama3", "rope_theta": 50000.0, "factor": 8.0, "low_freq_factor": 1.0,
                             "high_freq_factor": 4.0, "original_max_position_embeddings": 16}),
                         LlamaConfig(**{k: v for k, v in SMALL.items() if "token" not in k}, tie_word_embeddings=True,
                                     rope_theta=50000.0, rope_scaling={"rope_type": "llama3", "factor": 8.0,
                                                                       "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                                                       "original_max_position_embeddings": 16})),
    "qwen2-biases": (transformers.Qwen2ForCausalLM, transformers.Qwen2Config(**SMALL, tie_word_embeddings=True),
                     LlamaConfig(**{k: v for k, v in SMALL.items() if "token" not in k}, tie_word_embeddings=True,
                                 qkv_bias=True, rope_theta=10000.0)),
    "mistral-window": (transformers.MistralForCausalLM,
                       transformers.MistralConfig(**SMALL, tie_word_embeddings=False, sliding_window=8),
                       LlamaConfig(**{k: v for k, v in SMALL.items() if "token" not in k}, sliding_window=8,
                                   rope_theta=10000.0)),
}


@pytest.mark.parametrize("case", CASES)
@torch.no_grad()
def test_logits_match_transformers(case, tmp_path):
    reference, ours = build(tmp_path, *CASES[case])
    idx = torch.randint(3, 173, (2, 19))
    assert torch.allclose(forward(ours, idx), reference(idx).logits, atol=1e-4)


@torch.no_grad()
def test_cache_and_left_padding_match_plain_forwards(tmp_path):
    _, ours = build(tmp_path, *CASES["llama-gqa-untied"])
    short, long = torch.randint(3, 173, (1, 6)), torch.randint(3, 173, (1, 10))
    batch = torch.cat([torch.cat([torch.zeros(1, 4, dtype=torch.long), short], 1), long])  # (2, 10) left-padded
    padding = torch.zeros(2, 16, dtype=torch.bool)
    padding[0, 4:10], padding[1, :10] = True, True
    positions = (padding[:, :10].long().cumsum(1) - 1).clamp(min=0)
    ours.setup_cache(batch=2, max_len=16)
    slots = torch.arange(10)
    logits = ours(batch, positions, causal_mask(padding, slots, 16), slots=slots)
    next_slot = torch.tensor([10])
    step = ours(torch.tensor([[5], [7]]), positions[:, -1:] + 1, causal_mask(padding | (torch.arange(16) == 10), next_slot, 16),
                slots=next_slot)
    ours.clear_cache()
    assert torch.allclose(logits[0, 4:], forward(ours, short)[0], atol=1e-5)
    assert torch.allclose(logits[1], forward(ours, long)[0], atol=1e-5)
    assert torch.allclose(step[0, 0], forward(ours, torch.cat([short, torch.tensor([[5]])], 1))[0, -1], atol=1e-5)
    assert torch.allclose(step[1, 0], forward(ours, torch.cat([long, torch.tensor([[7]])], 1))[0, -1], atol=1e-5)


def test_unknown_rope_scaling_is_refused_by_name():
    with pytest.raises(ValueError, match="RoPE scaling 'yarn' is not supported"):
        Llama(LlamaConfig(**{k: v for k, v in SMALL.items() if "token" not in k}, rope_scaling={"rope_type": "yarn"}))
