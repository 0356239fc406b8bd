"""Tensors out of a training checkpoint that pickles more than tensors (a PyTorch Lightning `.ckpt`: its callbacks'
state, the OmegaConf training config, numpy scalars), without importing or running anything the file names.

Only genart's own functions rebuild tensors from the archive's raw storages; `collections.OrderedDict` is the one real
class built. Every other global the pickle names becomes an inert placeholder: a class made here, under the name the
file gave, that only keeps what it is handed. So `os.system` or `builtins.eval` in a file is a placeholder called with
a string, and nothing runs.
"""
import collections
import io
import pickle
import zipfile
from pathlib import Path
from typing import BinaryIO

import torch

# The legacy typed-storage names torch.save writes in a tensor's persistent id, and their element types.
STORAGE_DTYPES = {"FloatStorage": torch.float32, "DoubleStorage": torch.float64, "HalfStorage": torch.float16,
                  "BFloat16Storage": torch.bfloat16, "LongStorage": torch.int64, "IntStorage": torch.int32,
                  "ShortStorage": torch.int16, "CharStorage": torch.int8, "ByteStorage": torch.uint8,
                  "BoolStorage": torch.bool}


class Inert:
    """Whatever the file builds from a global genart does not know: it keeps the arguments, state, items and
    entries it is given, and does nothing else."""

    def __new__(cls, *args, **kwargs):  # pickle's NEWOBJ calls only this
        self = super().__new__(cls)
        self.args, self.kwargs, self.state, self.items, self.entries = args, kwargs, None, {}, []
        return self

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.state = state

    def __setitem__(self, key, value):
        self.items[key] = value

    def append(self, value):
        self.entries.append(value)

    def extend(self, values):
        self.entries.extend(values)


def placeholder(module: str, name: str) -> type:
    return type(name, (Inert,), {"__module__": f"inert.{module}", "__qualname__": name})


class Storage:
    """A storage of the archive: its raw bytes as a flat tensor of its element type."""

    def __init__(self, flat: torch.Tensor):
        self.flat = flat


def rebuild_tensor(storage: Storage, offset: int, size: tuple, stride: tuple, *rest) -> torch.Tensor:
    if not isinstance(storage, Storage):
        raise pickle.UnpicklingError("a tensor without a storage of the archive")
    return storage.flat.as_strided(tuple(size), tuple(stride), offset)


def rebuild_parameter(data: torch.Tensor, *rest) -> torch.Tensor:
    """A parameter as its plain tensor (rest: requires_grad and hooks, which loading does not need)."""
    return data


def storage_from_bytes(data: bytes) -> Storage:
    """A storage pickled on its own (how a tensor's storage is pickled outside torch.save: a whole torch.save file
    of the storage, as bytes), read by these unpicklers too."""
    if not isinstance(data, bytes):
        raise pickle.UnpicklingError("a storage that is not bytes")
    storage = load_inert(io.BytesIO(data))
    if not isinstance(storage, Storage):
        raise pickle.UnpicklingError("a storage's bytes that hold something else")
    return storage


KNOWN = {("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor, ("torch.storage", "_load_from_bytes"): storage_from_bytes,
         ("torch._utils", "_rebuild_parameter"): rebuild_parameter,
         ("torch._utils", "_rebuild_parameter_with_state"): rebuild_parameter,
         ("collections", "OrderedDict"): collections.OrderedDict}


class InertUnpickler(pickle.Unpickler):
    """A zip archive's data.pkl: its storages are the archive's data/<key> entries."""

    def __init__(self, file, archive: zipfile.ZipFile, prefix: str):
        super().__init__(file)
        self.archive, self.prefix, self.storages = archive, prefix, {}

    def find_class(self, module: str, name: str):
        if (module, name) in KNOWN:
            return KNOWN[module, name]
        if module == "torch" and name in STORAGE_DTYPES:
            return STORAGE_DTYPES[name]
        return placeholder(module, name)

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage" and isinstance(pid[1], torch.dtype)):
            raise pickle.UnpicklingError("a persistent id that is not a tensor storage")
        _, dtype, key, _, _ = pid
        if key not in self.storages:
            data = bytearray(self.archive.read(f"{self.prefix}data/{key}"))
            self.storages[key] = Storage(torch.frombuffer(data, dtype=dtype) if data else torch.empty(0, dtype=dtype))
        return self.storages[key]


class LegacyUnpickler(InertUnpickler):
    """One pickle of torch's legacy (before 1.6, not zip) format. Its storages come after the pickles, so each is
    made empty here, of the size the pickle gives, and filled in place once the data is read."""

    def __init__(self, file, storages: dict, file_bytes: int):
        pickle.Unpickler.__init__(self, file)
        self.storages, self.file_bytes = storages, file_bytes

    def persistent_load(self, pid):
        # ("storage", storage type, key, location, element count, view): views of a storage are from torch < 0.4
        if not (isinstance(pid, tuple) and len(pid) == 6 and pid[0] == "storage" and isinstance(pid[1], torch.dtype)
                and pid[5] is None):
            raise pickle.UnpicklingError("a persistent id that is not a whole tensor storage")
        _, dtype, key, _, numel, _ = pid
        if key not in self.storages:
            held = sum(s.flat.nbytes for s in self.storages.values())
            if not isinstance(numel, int) or not 0 <= numel * dtype.itemsize <= self.file_bytes - held:
                raise pickle.UnpicklingError("a storage larger than the file")  # checked before anything is allocated
            self.storages[key] = Storage(torch.empty(numel, dtype=dtype))
        return self.storages[key]


LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # what torch's legacy format pickles first


def load_legacy(file) -> object:
    """torch's legacy format: magic number, protocol, system info, the object, the storage keys in file order, then
    each storage as its element count (int64, little-endian) and its raw bytes."""
    storages: dict = {}
    size = file.seek(0, 2)
    file.seek(0)
    magic, _protocol, _info = (LegacyUnpickler(file, storages, size).load() for _ in range(3))
    if magic != LEGACY_MAGIC:
        raise pickle.UnpicklingError("not a torch.save file")
    result = LegacyUnpickler(file, storages, size).load()
    keys = LegacyUnpickler(file, storages, size).load()
    if not isinstance(keys, list) or set(keys) != set(storages):
        raise pickle.UnpicklingError("storage keys that do not match the tensors")
    for key in keys:
        flat = storages[key].flat
        if int.from_bytes(file.read(8), "little") != flat.numel():
            raise pickle.UnpicklingError("a storage whose size is not the pickle's")
        raw = file.read(flat.nbytes)
        if len(raw) != flat.nbytes:
            raise pickle.UnpicklingError("a storage cut short")
        if raw:
            flat.copy_(torch.frombuffer(bytearray(raw), dtype=flat.dtype))
    return result


class PlainUnpickler(InertUnpickler):
    """A plain pickle (pickle.dump, not torch.save): its tensors' storages are pickled inline as bytes."""

    def __init__(self, file):
        pickle.Unpickler.__init__(self, file)

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("a persistent id in a plain pickle")


def load_plain(file: BinaryIO) -> object:
    """The object a pickle.dump file holds, tensors rebuilt and every unknown global an inert placeholder."""
    return PlainUnpickler(file).load()


def load_inert(source: Path | BinaryIO):
    """The object a torch.save file (a path or an open binary file) holds (a zip archive, or the legacy format),
    tensors rebuilt and every unknown global an inert placeholder."""
    if not zipfile.is_zipfile(source):
        if isinstance(source, Path):
            with open(source, "rb") as file:
                return load_legacy(file)
        return load_legacy(source)
    with zipfile.ZipFile(source) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(pickles) != 1:
            raise pickle.UnpicklingError("not a torch.save archive")
        prefix = pickles[0][:-len("data.pkl")]
        order = f"{prefix}byteorder"
        if order in archive.namelist() and archive.read(order) != b"little":
            raise pickle.UnpicklingError("a big-endian archive")
        with archive.open(pickles[0]) as file:
            return InertUnpickler(file, archive, prefix).load()
