"""genart's GPT-2 against Hugging Face transformers (a test-only oracle) on a small random model."""
import pytest
import torch
import transformers
from safetensors.torch import load_file

from genart.models.attention import causal_mask
from genart.models.checkpoint import CheckpointMismatch
from genart.models.gpt2 import GPT2, GPT2Config, from_hf_state_dict


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    torch.manual_seed(0)
    hf_config = transformers.GPT2Config(n_layer=3, n_head=4, n_embd=64, vocab_size=211, n_positions=96,
                                        bos_token_id=0, eos_token_id=0)
    reference = transformers.GPT2LMHeadModel(hf_config).eval()
    folder = tmp_path_factory.mktemp("gpt2")
    reference.save_pretrained(folder)
    config = GPT2Config(vocab_size=211, n_positions=96, n_embd=64, n_layer=3, n_head=4)
    ours = GPT2(config)
    ours.load_state_dict(from_hf_state_dict(load_file(folder / "model.safetensors"), config), strict=True)
    return reference, ours.eval()


def full_forward(model: GPT2, idx: torch.Tensor, padding: torch.Tensor | None = None) -> torch.Tensor:
    B, T = idx.shape
    padding = torch.ones(B, T, dtype=torch.bool) if padding is None else padding
    positions = (padding.long().cumsum(1) - 1).clamp(min=0)  # (B, T): left padding does not shift positions
    return model(idx, positions, causal_mask(padding, torch.arange(T), T))


@torch.no_grad()
def test_logits_match_transformers(pair):
    reference, ours = pair
    idx = torch.randint(0, 211, (2, 17))
    assert torch.allclose(full_forward(ours, idx), reference(idx).logits, atol=1e-4)


@torch.no_grad()
def test_kv_cache_decoding_matches_the_full_forward(pair):
    _, ours = pair
    idx = torch.randint(0, 211, (1, 12))
    expected = full_forward(ours, idx)
    ours.setup_cache(batch=1, max_len=32)
    padding = torch.zeros(1, 32, dtype=torch.bool)
    padding[:, :12] = True
    prompt = torch.arange(8)
    got = [ours(idx[:, :8], prompt[None], causal_mask(padding, prompt, 32), slots=prompt)]
    for t in range(8, 12):
        slot = torch.tensor([t])
        got.append(ours(idx[:, t:t + 1], slot[None], causal_mask(padding, slot, 32), slots=slot))
    ours.clear_cache()
    assert torch.allclose(torch.cat(got, dim=1), expected, atol=1e-5)


@torch.no_grad()
def test_left_padded_batch_matches_each_prompt_alone(pair):
    _, ours = pair
    short, long = torch.randint(0, 211, (1, 5)), torch.randint(0, 211, (1, 9))
    batch = torch.cat([torch.cat([torch.zeros(1, 4, dtype=torch.long), short], 1), long])  # (2, 9)
    padding = torch.ones(2, 9, dtype=torch.bool)
    padding[0, :4] = False
    logits = full_forward(ours, batch, padding)
    assert torch.allclose(logits[0, 4:], full_forward(ours, short)[0], atol=1e-5)
    assert torch.allclose(logits[1], full_forward(ours, long)[0], atol=1e-5)
    assert torch.isfinite(logits).all()


def test_prefix_free_checkpoints_and_counts_are_checked(pair):
    reference, _ = pair
    config = GPT2Config(vocab_size=211, n_positions=96, n_embd=64, n_layer=3, n_head=4)
    bare = {k.removeprefix("transformer."): v for k, v in reference.state_dict().items() if k != "lm_head.weight"}
    GPT2(config).load_state_dict(from_hf_state_dict(bare, config), strict=True)
    with pytest.raises(CheckpointMismatch, match="expected 40 GPT-2 tensors"):
        from_hf_state_dict({k: v for k, v in bare.items() if not k.startswith("h.2.")}, config)
