"""Gradio's cache pruned by age, for as long as the server runs.

Gradio's own schedule (Blocks(delete_cache=...), gradio 6.31 route_utils.delete_files_on_schedule) walks each
component's live set of cached files while request threads add to it; the first "Set changed size during iteration"
ends its task for good, so under steady API traffic the cache grows without bound. This sweep walks copies of the sets
and survives any error. Gradio's schedule stays for what it does at shutdown: it empties the cache.
"""
import logging
import os
import threading
import time
from collections.abc import Callable

log = logging.getLogger("genart")


def sweep(blocks, age_seconds: float) -> int:
    """Delete the files Gradio cached for `blocks` (outputs and uploads) older than age_seconds by ctime, as Gradio
    ages them, except those its components keep (examples), and the folders they leave empty (Gradio leaves those,
    one per file). -> how many files were deleted."""
    keep = set()
    for component in list(blocks.blocks.values()):
        keep.update(getattr(component, "keep_in_cache", ()))
    now, deleted = time.time(), 0
    for files in list(blocks.temp_file_sets):
        for path in list(files):  # a copy: requests add to the set while this runs
            if path in keep:
                continue
            try:
                if now - os.lstat(path).st_ctime <= age_seconds:
                    continue
                os.remove(path)
                deleted += 1
                os.rmdir(os.path.dirname(path))  # Gradio's folder for that one file (named by its hash), if empty now
            except FileNotFoundError:
                pass
            except OSError:  # the folder holds another file (or a request is writing one): it stays
                pass
            files.discard(path)
    return deleted


def start(blocks, every_seconds: float, age_seconds: float,
          also: Callable[[], None] = lambda: None) -> threading.Event:
    """A daemon thread sweeping every every_seconds, and calling `also` (genart's own output folders' pruning), so
    both stay bounded when no request comes. -> the event that stops it once set."""
    stop = threading.Event()

    def loop():
        while not stop.wait(every_seconds):
            try:
                sweep(blocks, age_seconds)
                also()
            except Exception:
                log.exception("sweeping Gradio's cache failed; the next sweep tries again")

    threading.Thread(target=loop, name="genart-cache-sweep", daemon=True).start()
    return stop
