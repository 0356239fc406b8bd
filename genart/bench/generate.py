"""Generate-task speed: dcgan-art-64 through the pipeline beside a plain eager float32 run, and the app's overhead."""
import copy
import statistics

import torch

from ..loaders import load_model
from ..pipelines.generate import GenerateSettings, generate
from ..pipelines.latent_models import latents
from ..registry import get_spec
from .timing import machine, percentile, seconds_per_call

MODEL = "dcgan-art-64"


def plain_eager(batch: int) -> tuple[callable, torch.device]:
    """The same network as a bare float32 module: no pipeline, no PIL conversion."""
    loaded = load_model(get_spec(MODEL))
    module = copy.deepcopy(loaded.module).float()
    z = latents(0, batch, module.config.latent_dim).to(loaded.device)
    labels = torch.zeros(batch, dtype=torch.long, device=loaded.device)

    def call():
        with torch.no_grad():
            module(z, labels)

    return call, loaded.device


def image_rate(batch: int) -> tuple[float, float, torch.device]:
    pipeline_times = seconds_per_call(lambda: generate(MODEL, GenerateSettings(seed=0, n=batch, label="landscape")),
                                      load_model(get_spec(MODEL)).device)
    eager, device = plain_eager(batch)
    eager_times = seconds_per_call(eager, device)
    return batch / statistics.median(pipeline_times), batch / statistics.median(eager_times), device


def request_overhead(repeats: int = 200) -> tuple[float, float]:
    """p50 / p95 seconds of a round trip through gradio_client to the app's /models endpoint (no model work)."""
    from gradio_client import Client

    from ..ui import build_demo

    demo = build_demo().queue()
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, server_name="127.0.0.1")
    try:
        client = Client(url, verbose=False)
        client.predict(api_name="/models")
        times = seconds_per_call(lambda: client.predict(api_name="/models"), torch.device("cpu"), warmup=5,
                                 min_time=0, min_repeats=repeats)
    finally:
        demo.close()
    return percentile(times, 50), percentile(times, 95)


def run():
    rows = []
    for batch in (1, 64):
        ours, eager, device = image_rate(batch)
        rows.append(f"| {MODEL} | {batch} | {ours:,.0f} | {eager:,.0f} |")
    print(f"\n### generate — {machine(device)}\n")
    print("| model | batch | genart pipeline (images/s, PNG-ready) | plain eager fp32 forward (images/s) |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    p50, p95 = request_overhead()
    print("\n| app request overhead (gradio_client round trip, /models) | p50 | p95 |")
    print("|---|---|---|")
    print(f"| 200 requests | {p50 * 1000:.1f} ms | {p95 * 1000:.1f} ms |")
