"""Procedural renderer speed: a thousand 64x64 images on one core, and one image at larger sizes."""
import time

import torch

from ..data.procedural import CLASSES, render


def run():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        table()
    finally:
        torch.set_num_threads(threads)  # the benchmarks after this one use every core


def table():
    print("\n### procedural-art — one core\n")
    print("| what | seconds |")
    print("|---|---|")
    start = time.perf_counter()
    for i in range(1000):
        render(CLASSES[i % len(CLASSES)], i, 64)
    print(f"| 1,000 images at 64x64, all six classes | {time.perf_counter() - start:.1f} |")
    for size in (256, 1024):
        start = time.perf_counter()
        for name in CLASSES:
            render(name, 0, size)
        print(f"| one image at {size}x{size} (mean of the six classes) | {(time.perf_counter() - start) / len(CLASSES):.2f} |")
