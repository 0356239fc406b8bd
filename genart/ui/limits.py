"""The server's limits, declared once: each field's default, the environment variable an owner sets, what it bounds.

launch() reads them once; docs/SECURITY.md lists the same table (a test checks that every variable is there).
"""
import dataclasses
import functools
import os
from dataclasses import dataclass, field

from ..errors import GenartError


def _limit(default, env: str, help: str, low: float):
    return field(default=default, metadata={"env": env, "help": help, "low": low})


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = _limit(20, "GENART_MAX_FILE_MB", "the largest file a visitor may upload", 0.1)
    queue_size: int = _limit(32, "GENART_QUEUE_SIZE", "requests that may wait; one more is told the server is busy", 1)
    concurrency: int = _limit(2, "GENART_CONCURRENCY", "model runs at once, all tabs together", 1)
    event_seconds: float = _limit(300, "GENART_EVENT_SECONDS", "the longest one request may run before it is stopped", 1)
    output_minutes: float = _limit(60, "GENART_OUTPUT_MINUTES", "how long outputs and uploads stay on disk", 1)
    batch_files: int = _limit(50, "GENART_BATCH_FILES", "inputs one batch may hold (images, zip members or prompts)", 1)
    batch_megapixels: float = _limit(100, "GENART_BATCH_MEGAPIXELS", "the pixels of one batch's images together, in "
                                     "millions", 0.1)
    sessions: int = _limit(500, "GENART_SESSIONS", "sessions whose state is kept; the oldest is dropped first", 1)

    @classmethod
    def from_env(cls) -> "Limits":
        values = {}
        for f in dataclasses.fields(cls):
            raw = os.environ.get(f.metadata["env"])
            if raw is None:
                continue
            try:
                value = f.type(float(raw)) if f.type is int else float(raw)
            except ValueError:
                value = None
            if value is None or not value >= f.metadata["low"]:
                raise GenartError(f"{f.metadata['env']}={raw!r} is not a limit genart can use; set it to a number of at "
                                  f"least {f.metadata['low']} ({f.metadata['help']}).")
            values[f.name] = value
        return cls(**values)


def table() -> list[tuple[str, str, object, str]]:
    """(variable, field, default, what it bounds) for every limit."""
    return [(f.metadata["env"], f.name, f.default, f.metadata["help"]) for f in dataclasses.fields(Limits)]


@functools.cache
def current_limits() -> Limits:
    """The limits this process serves with, read from the environment once."""
    return Limits.from_env()
