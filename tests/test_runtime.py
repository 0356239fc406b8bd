import pytest
import torch

from genart import runtime
from genart.errors import GenartError


def test_device_override_and_errors(monkeypatch):
    monkeypatch.setenv("GENART_DEVICE", "cpu")
    assert runtime.pick_device() == torch.device("cpu")
    with pytest.raises(GenartError, match="Unknown device 'tpu'"):
        runtime.pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(GenartError, match="no CUDA GPU is visible"):
            runtime.pick_device("cuda")


def test_float32_on_cpu_half_on_gpu_only_when_safe():
    assert runtime.pick_dtype(torch.device("cpu"), half_safe=True) == torch.float32
    assert runtime.pick_dtype(torch.device("cuda"), half_safe=False) == torch.float32


def test_cache_evicts_least_recently_used_and_unloads():
    cache = runtime.ModelCache(capacity=2)
    loads = []

    a, b, c = (runtime.cache_key(name, {"sha256": name}) for name in "abc")

    def loader(name):
        return lambda: loads.append(name) or name

    cache.get(a, loader("a"))
    cache.get(b, loader("b"))
    cache.get(a, loader("a"))  # hit: a becomes most recent
    cache.get(c, loader("c"))  # evicts b
    assert loads == ["a", "b", "c"] and cache.keys() == [a, c]
    assert cache.unload(a) and not cache.unload(a)
    assert cache.keys() == [c]


def test_out_of_memory_frees_the_cache_and_the_next_call_works(monkeypatch):
    cache = runtime.ModelCache(capacity=4)
    monkeypatch.setattr(runtime, "MODELS", cache)
    cache.get("big", lambda: torch.zeros(4))

    with pytest.raises(GenartError, match="ran out of memory.*smaller batch"):
        with runtime.oom_guard():
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
    assert cache.keys() == []
    with pytest.raises(ValueError, match="not memory"), runtime.oom_guard():  # other errors pass through as they are
        raise ValueError("not memory")


def test_glibc_keeps_freed_blocks_for_the_next_call():
    assert runtime.keep_freed_memory()  # this Linux's C library is glibc, which takes both settings
    big = torch.ones(8 << 20)  # 32 MB: allocated, freed, allocated again as before
    del big
    assert torch.ones(8 << 20).sum() == 8 << 20
