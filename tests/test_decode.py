"""The decode loop against Hugging Face generate() on small random GPT-2 and Llama models."""
import pytest
import torch

from genart.pipelines.decode import decode
from genart.pipelines.sampling import GREEDY, SamplingSettings, apply_repetition_penalty, logits_to_probs
from tests.test_gpt2_parity import pair as gpt2_pair  # noqa: F401  (a fixture)
from tests.test_llama_parity import CASES, build

PROMPTS = [[5, 17, 42], [9, 8, 7, 6, 5, 4, 3, 99]]


def hf_greedy(reference, prompt: list[int], n: int) -> list[int]:
    reference.generation_config.eos_token_id = None
    out = reference.generate(torch.tensor([prompt]), attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
                             do_sample=False, max_new_tokens=n, pad_token_id=0)
    return out[0, len(prompt):].tolist()


def ours(model, prompts, n=32, use_cache=True) -> list[list[int]]:
    steps = torch.stack(list(decode(model, prompts, n, GREEDY, use_cache=use_cache)), dim=1)  # (B, n)
    return steps.tolist()


def check_against_reference(reference, model):
    expected = [hf_greedy(reference, p, 32) for p in PROMPTS]
    assert ours(model, PROMPTS) == expected  # a left-padded batch, with the cache
    assert ours(model, PROMPTS, use_cache=False) == expected
    assert [ours(model, [p])[0] for p in PROMPTS] == expected


@torch.no_grad()
def test_gpt2_greedy_matches_transformers(gpt2_pair):  # noqa: F811
    check_against_reference(*gpt2_pair)


@pytest.mark.parametrize("case", ["llama-gqa-untied", "qwen2-biases"])
@torch.no_grad()
def test_llama_family_greedy_matches_transformers(case, tmp_path):
    check_against_reference(*build(tmp_path, *CASES[case]))


def test_sampling_is_seeded_and_filters_work(gpt2_pair):  # noqa: F811
    _, model = gpt2_pair
    hot = SamplingSettings(temperature=1.0, top_k=20)
    a = torch.stack(list(decode(model, PROMPTS, 8, hot, seed=3)), 1)
    b = torch.stack(list(decode(model, PROMPTS, 8, hot, seed=3)), 1)
    c = torch.stack(list(decode(model, PROMPTS, 8, hot, seed=4)), 1)
    assert torch.equal(a, b) and not torch.equal(a, c)
    logits = torch.tensor([[2.0, 1.0, 0.0, -1.0]])
    assert (logits_to_probs(logits, SamplingSettings(temperature=1, top_k=2)) > 0).sum() == 2
    assert (logits_to_probs(logits, SamplingSettings(temperature=1, top_p=0.5)) > 0).sum() == 1
    assert (logits_to_probs(logits, SamplingSettings(temperature=1, min_p=0.3)) > 0).sum() == 2
    penalised = apply_repetition_penalty(logits, torch.tensor([[0, 3]]), torch.tensor([[True, True]]), 2.0)
    assert penalised.tolist() == [[1.0, 1.0, 0.0, -2.0]]
