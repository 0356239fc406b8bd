"""Text-task speed: genart's decoder beside Hugging Face transformers generate() on the same 124M GPT-2 weights.

transformers is a dev dependency: it is the reference here, never used by the app.
"""
import statistics
import time

import torch

from ..models.attention import input_major
from ..models.gpt2 import GPT2, GPT2Config, from_hf_state_dict
from ..pipelines.decode import decode
from ..pipelines.sampling import SamplingSettings
from ..runtime import pick_device
from .timing import machine, sync

GREEDY = SamplingSettings(temperature=0)
NEW_TOKENS = 128
DECODE_PROMPT = 16
PREFILL_PROMPT = 512


def gpt2_pair(device: torch.device):
    """A random 124M GPT-2 (the gpt2 configuration) in transformers and the same weights in genart."""
    import transformers

    torch.manual_seed(0)
    reference = transformers.GPT2LMHeadModel(transformers.GPT2Config()).eval().to(device)
    reference.generation_config.eos_token_id = None  # always generate every token asked for
    ours = GPT2(GPT2Config())
    ours.load_state_dict(from_hf_state_dict(reference.state_dict(), ours.config), strict=True)
    return reference, input_major(ours.eval().to(device))  # as genart's loader prepares it


def timed(fn, device: torch.device) -> float:
    sync(device)
    start = time.perf_counter()
    fn()
    sync(device)
    return time.perf_counter() - start


def rates(runners: dict, device: torch.device, rounds: int = 7) -> dict[str, tuple[float, float]]:
    """-> {name: (decode tokens/s at batch 1, prefill prompt tokens/s)}. The runners take turns in every round, so a
    slow spell of the machine hits them alike; decode excludes the prefill by differencing; medians over rounds."""
    short = torch.randint(50257, (1, DECODE_PROMPT), generator=torch.Generator().manual_seed(1)).to(device)
    long = torch.randint(50257, (1, PREFILL_PROMPT), generator=torch.Generator().manual_seed(2)).to(device)
    for generate_n in runners.values():  # warm-up
        generate_n(short, 2)
        generate_n(long, 1)
    samples = {name: [] for name in runners}
    for _ in range(rounds):
        for name, generate_n in runners.items():
            one = timed(lambda: generate_n(short, 1), device)
            many = timed(lambda: generate_n(short, NEW_TOKENS), device)
            prefill = timed(lambda: generate_n(long, 1), device)
            samples[name].append(((NEW_TOKENS - 1) / (many - one), PREFILL_PROMPT / prefill))
    return {name: (statistics.median(s[0] for s in rows), statistics.median(s[1] for s in rows))
            for name, rows in samples.items()}


def run():
    device = pick_device()
    reference, ours = gpt2_pair(device)

    @torch.inference_mode()
    def hf(ids, n):
        reference.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=n,
                           min_new_tokens=n, pad_token_id=0)

    def genart(ids, n):
        for _ in decode(ours, ids.tolist(), n, GREEDY):
            pass

    measured = rates({"transformers": hf, "genart": genart}, device)
    (hf_decode, hf_prefill), (our_decode, our_prefill) = measured["transformers"], measured["genart"]
    print(f"\n### text — GPT-2 124M, random weights, float32 — {machine(device)}\n")
    print("| what | genart | transformers generate() | genart / transformers |")
    print("|---|---|---|---|")
    print(f"| decode, batch 1, {DECODE_PROMPT}-token prompt (tokens/s) | {our_decode:.1f} | {hf_decode:.1f} | "
          f"{our_decode / hf_decode:.2f} |")
    print(f"| prefill, {PREFILL_PROMPT}-token prompt (prompt tokens/s) | {our_prefill:,.0f} | {hf_prefill:,.0f} | "
          f"{our_prefill / hf_prefill:.2f} |")
