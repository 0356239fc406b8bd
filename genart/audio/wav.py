"""WAV files: written as 16-bit PCM with the replay record in the LIST/INFO chunk (ICMT, JSON); read from PCM (8, 16,
24 or 32-bit) or 32-bit float, mono or stereo (mixed to mono), with every size checked before anything is allocated.
"""
import json
import struct

import numpy as np

from ..errors import GenartError

PCM, FLOAT = 1, 3
EXTENSIBLE = 0xFFFE
SOFTWARE = b"genart"
INPUT = b"gnin"  # genart's own chunk: an input recording, by name


def _chunk(tag: bytes, body: bytes) -> bytes:
    return tag + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def wav_bytes(samples: np.ndarray, rate: int, record: dict | None = None, inputs: dict[str, bytes] | None = None) -> bytes:
    """(N,) int16 mono samples -> a WAV file's bytes, the record (if any) in LIST/INFO/ICMT, and the recordings it was
    made from (each a whole WAV file) in INPUT chunks, which other readers skip."""
    fmt = struct.pack("<HHIIHH", PCM, 1, rate, rate * 2, 2, 16)
    body = b"WAVE" + _chunk(b"fmt ", fmt)
    info = _chunk(b"ISFT", SOFTWARE + b"\0")
    if record is not None:
        info += _chunk(b"ICMT", json.dumps(record, sort_keys=True).encode("ascii") + b"\0")
    body += _chunk(b"LIST", b"INFO" + info)
    body += _chunk(b"data", samples.astype("<i2").tobytes())
    for name, data in (inputs or {}).items():
        body += _chunk(INPUT, name.encode("ascii") + b"\0" + data)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def chunks(data: bytes):
    """A RIFF file's top-level (tag, body) pairs; a damaged or foreign file raises GenartError."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise GenartError("This is not a WAV file; upload a .wav recording (PCM or 32-bit float).")
    at = 12
    while at + 8 <= len(data):
        tag, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        yield tag, data[at + 8:at + 8 + size]
        at += 8 + size + size % 2


def read_wav(data: bytes, max_seconds: float) -> tuple[np.ndarray, int, dict | None]:
    """WAV bytes -> ((N,) float32 mono samples in -1..1, sample rate, the genart record or None). Refuses, with one
    sentence, what is not a WAV genart can read and a recording longer than max_seconds."""
    fmt = samples = record = None
    for tag, body in chunks(data):
        if tag == b"fmt " and len(body) >= 16:
            fmt = struct.unpack("<HHIIHH", body[:16])
            if fmt[0] == EXTENSIBLE and len(body) >= 26:
                fmt = (struct.unpack("<H", body[24:26])[0], *fmt[1:])
        elif tag == b"data":
            samples = body
        elif tag == b"LIST" and body[:4] == b"INFO":
            record = _info_record(body[4:]) or record
    if fmt is None or samples is None:
        raise GenartError("This WAV file has no format or no sound data; upload a complete .wav recording.")
    kind, channels, rate, _, _, bits = fmt
    if not (kind == PCM and bits in (8, 16, 24, 32) or kind == FLOAT and bits == 32) or channels not in (1, 2):
        raise GenartError("genart reads mono or stereo WAV files in 8, 16, 24 or 32-bit PCM or 32-bit float; convert "
                          "this one to 16-bit PCM.")
    if not 4000 <= rate <= 192_000:
        raise GenartError(f"This WAV file's sample rate is {rate} Hz; use one from 4,000 to 192,000 Hz.")
    frame = channels * bits // 8
    seconds = len(samples) // frame / rate
    if seconds > max_seconds:
        raise GenartError(f"This recording lasts {seconds:.0f} s; upload at most {max_seconds:.0f} s of audio.")
    samples = samples[:len(samples) // frame * frame]
    return _decode(samples, kind, bits).reshape(-1, channels).mean(1).astype(np.float32), rate, record


def _decode(raw: bytes, kind: int, bits: int) -> np.ndarray:
    if kind == FLOAT:
        return np.nan_to_num(np.frombuffer(raw, "<f4"), nan=0.0, posinf=1.0, neginf=-1.0).clip(-1, 1)
    if bits == 8:
        return (np.frombuffer(raw, np.uint8).astype(np.float32) - 128) / 128
    if bits == 24:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        return ((b[:, 0] | b[:, 1] << 8 | b[:, 2] << 16) << 8 >> 8) / float(1 << 23)
    return np.frombuffer(raw, f"<i{bits // 8}") / float(1 << (bits - 1))


def _info_record(info: bytes) -> dict | None:
    for tag, body in chunks(b"RIFF\0\0\0\0WAVE" + info):
        if tag == b"ICMT":
            try:
                record = json.loads(body.rstrip(b"\0").decode("ascii"))
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                return None
            return record if isinstance(record, dict) else None
    return None


def to_int16(samples: np.ndarray) -> np.ndarray:
    """(N,) float samples in -1..1 -> int16, clipped; the inverse of how 16-bit PCM is read (x / 32768)."""
    return np.clip(np.round(samples * 32768), -32768, 32767).astype(np.int16)


def wav_file_record(data: bytes) -> dict | None:
    """Only the record of a WAV file (for replay), without decoding its sound."""
    for tag, body in chunks(data):
        if tag == b"LIST" and body[:4] == b"INFO":
            return _info_record(body[4:])
    return None


def wav_file_inputs(data: bytes) -> dict[str, bytes]:
    """The input recordings a WAV file genart wrote carries (each a WAV file's bytes), by name."""
    inputs = {}
    for tag, body in chunks(data):
        if tag == INPUT and b"\0" in body[:64]:
            name, _, wav = body.partition(b"\0")
            inputs[name.decode("ascii", "replace")] = wav
    return inputs


