"""`python -m genart bench soak`: 1,000 requests against a running app, to see that nothing grows without bound.

The app runs as `python app.py` in its own temporary folder (its outputs and Gradio's cache land there only), with
GENART_OUTPUT_MINUTES=1 so that the clean-up runs within the soak. The requests cycle through Generate (a new seed
each time, so every output is a new file), Text, Restore of an uploaded image and the model list. Printed at request
100 and at request 1,000: the server's resident memory, and the files in its outputs root and in Gradio's cache.
"""
import tempfile
import time
from pathlib import Path

from gradio_client import Client, handle_file

from ..data.procedural import render
from .app_process import start_app

REQUESTS = 1000
CHECKPOINTS = (100, 250, 500, 750, REQUESTS)


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


def file_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def one_request(client: Client, i: int, picture: str):
    kind = i % 4
    if kind == 0:
        client.predict("dcgan-art-64", "mandala", i, 4, 2.0, 64, api_name="/generate")
    elif kind == 1:
        client.predict(model="text-art", prompt="«Quiet", max_new_tokens=8, seed=i, api_name="/text")
    elif kind == 2:
        client.predict("median-filter", handle_file(picture), 25, api_name="/restore")
    else:
        client.predict(api_name="/models")


def run():
    tmp = Path(tempfile.mkdtemp(prefix="genart-soak-"))
    picture = tmp / "picture.png"
    render("landscape", 5, 128).save(picture)
    proc, url = start_app({"TMPDIR": str(tmp), "GENART_OUTPUT_MINUTES": "1", "GRADIO_ANALYTICS_ENABLED": "False"})
    rows = []
    try:
        client = Client(url, verbose=False)
        start_time = time.perf_counter()
        for i in range(1, REQUESTS + 1):
            one_request(client, i, str(picture))
            if i in CHECKPOINTS:
                rows.append((i, time.perf_counter() - start_time, resident_mb(proc.pid),
                             file_count(tmp / "genart-outputs"), file_count(tmp / "gradio")))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("\n### soak (1,000 requests: generate, text, restore of an upload, models; GENART_OUTPUT_MINUTES=1)\n")
    print("| after request | elapsed (s) | server resident memory (MB) | files in outputs root | files in Gradio's cache |")
    print("|---|---|---|---|---|")
    for i, seconds, rss, outputs, cache in rows:
        print(f"| {i:,} | {seconds:.0f} | {rss:.0f} | {outputs:,} | {cache:,} |")
    growth = rows[-1][2] / rows[0][2]
    print(f"\nResident memory from request {CHECKPOINTS[0]} to {REQUESTS:,}: ×{growth:.3f} (goal: at most ×1.10).")
