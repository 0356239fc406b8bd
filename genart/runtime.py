"""Where models run: device and dtype choice, a cache of loaded models, recovery from GPU out-of-memory."""
import ctypes
import gc
import json
import os
import sys
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, TypeVar

import torch

from .errors import GenartError

T = TypeVar("T")
DEVICES = ("cuda", "mps", "cpu")


def pick_device(name: str | None = None) -> torch.device:
    """GENART_DEVICE (or `name`) if set, else cuda > mps > cpu."""
    name = name or os.environ.get("GENART_DEVICE") or None
    if name is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    kind = name.split(":")[0]
    if kind not in DEVICES:
        raise GenartError(f"Unknown device {name!r}; use one of: {', '.join(DEVICES)}.")
    if kind == "cuda" and not torch.cuda.is_available():
        raise GenartError(f"Device {name!r} was asked for but no CUDA GPU is visible; unset GENART_DEVICE or use cpu.")
    if kind == "mps" and not torch.backends.mps.is_available():
        raise GenartError("Device 'mps' was asked for but Metal is not available here; unset GENART_DEVICE or use cpu.")
    return torch.device(name)


def pick_dtype(device: torch.device, half_safe: bool) -> torch.dtype:
    """float32 on CPU (diffusers' rule); half precision on a GPU for models that tolerate it."""
    if device.type == "cpu" or not half_safe:
        return torch.float32
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float16


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)


def keep_freed_memory() -> bool:
    """Let glibc keep freed blocks of up to 32 MB for the next call instead of handing them back to the system, which
    it does by default past its trim and mmap thresholds: every 512 px activation (25 MB) was faulted in again on
    every call, about a fifth of a style network's time on a CPU (bench style). -> whether glibc took it; nothing
    happens elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # musl and other C libraries: their own allocators
        return False
    return libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 and libc.mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1


@dataclass(frozen=True)
class CacheKey:
    """What one cached object is: a model's module or its tokenizer (`part`), from which files, on which device."""
    model: str  # the registry name or hf-hub: id
    part: str = "module"  # "module", "tokenizer"
    provenance: str = ""  # the resolved files' commit or hashes, as sorted JSON
    device: str = ""


def cache_key(model: str, provenance: dict, device: torch.device | None = None, part: str = "module") -> CacheKey:
    return CacheKey(model, part, json.dumps(provenance, sort_keys=True), str(device or ""))


class ModelCache:
    """Loaded models by key, least recently used evicted first; unload() frees one explicitly."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._models: OrderedDict[CacheKey, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: CacheKey, load: Callable[[], T]) -> T:
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
        model = load()  # outside the lock: loading can take long and must not block other models
        with self._lock:
            self._models[key] = model
            self._models.move_to_end(key)
            while len(self._models) > self.capacity:
                self._models.popitem(last=False)
        return model

    def keys(self) -> list[CacheKey]:
        with self._lock:
            return list(self._models)

    def unload(self, key: CacheKey) -> bool:
        with self._lock:
            found = self._models.pop(key, None) is not None
        release_memory()
        return found

    def clear(self):
        with self._lock:
            self._models.clear()
        release_memory()


def release_memory():
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


MODELS = ModelCache(int(os.environ.get("GENART_MAX_LOADED", "4")))


@contextmanager
def oom_guard(what: str = "a smaller batch or image size"):
    """Around model calls: on GPU out-of-memory free every cached model and say what to change."""
    try:
        yield
    except torch.OutOfMemoryError as err:
        MODELS.clear()
        raise GenartError("The GPU ran out of memory; loaded models were freed, so try again with "
                          f"{what}.") from err


@dataclass
class Usage:
    """What one run cost: wall time, and the peak memory of the device it ran on (None where it cannot be read)."""
    seconds: float = 0.0
    peak_bytes: int | None = None


def _peak_rss() -> int | None:
    """This process's peak resident memory since the last reset (Linux), in bytes."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None


def _reset_peak_rss() -> bool:
    try:  # writing 5 resets VmHWM to the current RSS (Linux 4.0+)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


@contextmanager
def measured(device: torch.device):
    """Time the block and record its peak memory: allocated GPU memory on CUDA, the process's resident memory on the
    CPU (which counts everything the process holds, the loaded models too, and other requests running beside it)."""
    usage = Usage()
    cuda = device.type == "cuda"
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
    rss = not cuda and _reset_peak_rss()
    start = time.perf_counter()
    try:
        yield usage
    finally:
        usage.seconds = time.perf_counter() - start
        if cuda:
            usage.peak_bytes = torch.cuda.max_memory_allocated(device)
        elif rss:
            usage.peak_bytes = _peak_rss()
