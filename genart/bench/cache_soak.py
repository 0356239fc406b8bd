"""`python -m genart bench cache`: Gradio's cache under anonymous API traffic, and after it.

2,000 `/generate` calls from 8 anonymous clients at once (raw HTTP, as any script would send them) against `python
app.py` in its own temporary folder with GENART_OUTPUT_MINUTES=1, then nothing for 150 s. Printed: the files in
genart's outputs root and the files and folders in Gradio's cache after 500, 1,000 and 2,000 calls and after the
wait; past the retention (one minute) and one sweep, the cache holds only what the last minute made, whatever came
before.
"""
import json
import tempfile
import threading
import time
from pathlib import Path

import httpx

from .app_process import start_app
from .soak import file_count

CALLS, CLIENTS, WAIT = 2000, 8, 150
CHECKPOINTS = (500, 1000, CALLS)


def generate_once(client: httpx.Client, url: str, values: list) -> None:
    """One anonymous /generate call: POST every parameter, then read its event stream to the end."""
    r = client.post(f"{url}/gradio_api/call/generate", content=json.dumps({"data": values}),
                    headers={"Content-Type": "application/json"})
    r.raise_for_status()
    with client.stream("GET", f"{url}/gradio_api/call/generate/{r.json()['event_id']}") as events:
        lines = events.iter_lines()
        for line in lines:
            if line.startswith("event: error"):
                raise RuntimeError(f"/generate failed: {next(lines, '')}")
            if line.startswith("event: complete"):
                return


def generate_values(url: str):
    """-> seed -> /generate's parameters as the API page lists them, each at its default but the seed, one image."""
    parameters = httpx.get(f"{url}/gradio_api/info", timeout=30).json()["named_endpoints"]["/generate"]["parameters"]

    def values(seed: int) -> list:
        chosen = {"model": "dcgan-art-64", "seed": seed, "n": 1}
        return [chosen.get(p["parameter_name"], p.get("parameter_default")) for p in parameters]

    return values


def run():
    tmp = Path(tempfile.mkdtemp(prefix="genart-cache-soak-"))
    proc, url = start_app({"TMPDIR": str(tmp), "GENART_OUTPUT_MINUTES": "1", "GRADIO_ANALYTICS_ENABLED": "False"})
    counter, lock, rows, start = iter(range(1, CALLS + 1)), threading.Lock(), [], time.perf_counter()
    values = generate_values(url)

    def count(label: str):
        cache = tmp / "gradio"
        rows.append((label, time.perf_counter() - start, file_count(tmp / "genart-outputs"), file_count(cache),
                     sum(1 for p in cache.rglob("*") if p.is_dir())))

    def client_loop():
        with httpx.Client(timeout=120) as client:  # a client of its own: no cookie, no session, as a script calls
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                generate_once(client, url, values(i))
                if i in CHECKPOINTS:
                    count(f"{i:,} calls")

    try:
        threads = [threading.Thread(target=client_loop) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(WAIT)
        count(f"{WAIT} s after the last call")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"\n### cache soak ({CALLS:,} anonymous /generate calls from {CLIENTS} clients at once, then {WAIT} s idle; "
          "GENART_OUTPUT_MINUTES=1)\n")
    print("| after | elapsed (s) | files in outputs root | files in Gradio's cache | folders in Gradio's cache |")
    print("|---|---|---|---|---|")
    for label, seconds, outputs, cache, folders in sorted(rows, key=lambda r: r[1]):
        print(f"| {label} | {seconds:.0f} | {outputs:,} | {cache:,} | {folders:,} |")
