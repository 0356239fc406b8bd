"""Text-task speed: genart's decoder beside Hugging Face transformers generate() on the same 124M GPT-2 weights, in
float32 and with int8 weights, and beside two limits measured in the same run: a bare loop of the model's
matrix-vector products (what one token must compute), and the read-bandwidth bound (what one token must read).

transformers is a dev dependency: it is the reference here, never used by the app.
"""
import statistics
import time

import torch
from torch import nn

from ..models.attention import input_major
from ..models.gpt2 import GPT2, GPT2Config, from_hf_state_dict
from ..models.int8 import Int8Linear, quantized
from ..models.tied_head import TiedHead
from ..pipelines.decode import decode
from ..pipelines.sampling import GREEDY
from ..runtime import pick_device
from .timing import machine, seconds_per_call, sync

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


def read_bandwidth(device: torch.device) -> float:
    """Bytes per second this machine reads: a 512 MiB tensor summed (one pass over memory, almost no arithmetic)."""
    big = torch.ones(128 * 2**20, device=device)
    return big.numel() * big.element_size() / statistics.median(seconds_per_call(big.sum, device, 1, 0, 5))


def matrix_maps(model: nn.Module) -> list[nn.Module]:
    """Every map one token multiplies a vector by: linear maps (float or int8) and a tied head."""
    return [m for m in model.modules() if isinstance(m, (nn.Linear, Int8Linear, TiedHead))]


def weight_bytes(model: nn.Module) -> int:
    """The bytes one token reads: every matrix of a matrix-vector product (the embedding rows it looks up are few);
    an int8 map's matrix and its float32 scales."""
    return sum((m.in_features + 4) * m.out_features if isinstance(m, Int8Linear)
               else m.weight.numel() * m.weight.element_size() for m in matrix_maps(model))


def matvec_loop(model: nn.Module, device: torch.device):
    """A runner for rates() that does only the model's matrix-vector products, in its own layout and precision, once
    per token: each map applied to a fixed vector, no attention, norms, sampling or Python beyond the calls."""
    maps = matrix_maps(model)
    vectors = {width: torch.randn(1, width, device=device) for width in {m.in_features for m in maps}}
    calls = [(m, vectors[m.in_features]) for m in maps]

    @torch.inference_mode()
    def generate_n(ids, n):
        for _ in range(n):
            for m, x in calls:
                m(x)
    return generate_n


def greedy(model: nn.Module):
    """The genart runner for rates(): greedy decoding of n tokens."""
    def generate_n(ids, n):
        for _ in decode(model, ids.tolist(), n, GREEDY):
            pass
    return generate_n


def run():
    device = pick_device()
    reference, ours = gpt2_pair(device)
    cpu = torch.device("cpu")
    int8 = quantized(ours)  # int8 decodes on the CPU, whatever the device

    @torch.inference_mode()
    def hf(ids, n):
        reference.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=n,
                           min_new_tokens=n, pad_token_id=0)

    # All take turns in every round (the int8 model reads the prompt as a list, on the CPU), so a slow spell of a
    # shared machine hits the decoders and their limits alike.
    measured = rates({"transformers": hf, "genart": greedy(ours), "int8": greedy(int8),
                      "float32 loop": matvec_loop(ours, device), "int8 loop": matvec_loop(int8, cpu)}, device)
    bandwidth = read_bandwidth(cpu)
    limits = {precision: (measured[f"{precision} loop"][0], bandwidth / weight_bytes(model))
              for precision, model in (("float32", ours), ("int8", int8))}
    hf_decode, hf_prefill = measured["transformers"]
    print(f"\n### text — GPT-2 124M, random weights, batch 1 — {machine(device)}\n")
    print(f"Read bandwidth {bandwidth / 1e9:.1f} GB/s; one token reads {weight_bytes(ours) / 1e6:.0f} MB of float32 "
          f"weights, {weight_bytes(int8) / 1e6:.0f} MB of int8.\n")
    print(f"| decoder | decode tokens/s ({DECODE_PROMPT}-token prompt) | / transformers | bare matrix-vector loop "
          f"(tokens/s) | share of it | read-bandwidth bound (tokens/s) | share of it | prefill, {PREFILL_PROMPT} "
          "tokens (tokens/s) | / transformers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, label, precision in (("transformers", "transformers generate(), float32", "float32"),
                                   ("genart", "genart, float32", "float32"), ("int8", "genart, int8 (CPU)", "int8")):
        decode_rate, prefill_rate = measured[name]
        loop, bound = limits[precision]
        print(f"| {label} | {decode_rate:.1f} | {decode_rate / hf_decode:.2f} | {loop:.1f} | {decode_rate / loop:.2f} "
              f"| {bound:.1f} | {decode_rate / bound:.2f} | {prefill_rate:,.0f} | {prefill_rate / hf_prefill:.2f} |")
