"""Wall-clock timing for benchmarks: warm-up, then repeats until enough time has passed."""
import platform
import statistics
import time
from typing import Callable

import torch


def sync(device: torch.device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def seconds_per_call(fn: Callable[[], object], device: torch.device, warmup: int = 3, min_time: float = 2.0,
                     min_repeats: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    sync(device)
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < min_repeats or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - t0)
    return times


def median_seconds(fn: Callable[[], object], device: torch.device) -> float:
    """Median of three timed calls after one warm-up: for calls that take seconds each."""
    return statistics.median(seconds_per_call(fn, device, warmup=1, min_time=0, min_repeats=3))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1] if len(values) > 1 else values[0]


def machine(device: torch.device) -> str:
    if device.type == "cuda":
        return f"{torch.cuda.get_device_name()} (torch {torch.__version__})"
    return f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads (torch {torch.__version__})"
