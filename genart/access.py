"""Who may do what on this server: public mode, the Hub repos a public server takes, and how much it downloads.

Public mode is on when the server is reachable beyond this machine: on a Space (SPACE_ID is set), with --share, or on
an address that is not loopback; GENART_PUBLIC=1 or 0 forces it either way. `genart.ui.launch` decides once and
writes GENART_PUBLIC, so every layer (the hub's downloads, the Models tab) reads the same answer from here. The CLI
on a user's own machine is never public unless GENART_PUBLIC=1 says so.
"""
import json
import os
from pathlib import Path

from filelock import FileLock

from .errors import GenartError
from .registry import BUILTIN, ModelSpec, parse_hub_name

PUBLIC = "GENART_PUBLIC"
ALLOWED_REPOS = "GENART_ALLOWED_REPOS"  # comma-separated Hub repo ids a public server also takes
MAX_DOWNLOAD_MB = "GENART_MAX_DOWNLOAD_MB"  # the most one model's download may weigh
OWNERS = "GENART_OWNERS"  # comma-separated user names that may manage models on a public server
PUBLIC_DOWNLOAD_MB = 1200  # the cap in public mode when GENART_MAX_DOWNLOAD_MB is not set (gpt2's one file: 548 MB)
LOOPBACK = {None, "", "127.0.0.1", "localhost", "::1"}
# The Hub repos the owner added (Models tab, `models add`): listed from then on, and loaded for visitors too.
ADDED_FILE = Path(os.environ.get("GENART_ADDED_MODELS", Path.home() / ".cache" / "genart" / "added-models.json"))


def decide_public(host: str | None, share: bool) -> bool:
    forced = os.environ.get(PUBLIC)
    if forced in ("0", "1"):
        return forced == "1"
    return bool(os.environ.get("SPACE_ID")) or share or host not in LOOPBACK


def is_public() -> bool:
    return os.environ.get(PUBLIC) == "1"


def _names(variable: str) -> set[str]:
    return {part.strip() for part in os.environ.get(variable, "").split(",") if part.strip()}


def added_entries() -> list[dict]:
    """[{"name": "hf-hub:...", "task": ...}] for the Hub repos the owner added."""
    return json.loads(ADDED_FILE.read_text()) if ADDED_FILE.exists() else []


def record_added(name: str, task: str) -> None:
    """Add a Hub repo to the owner's list, once. Replicas may share the file: the change is made under a lock and
    written whole (a reader never sees half a file)."""
    ADDED_FILE.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{ADDED_FILE}.lock"):
        entries = added_entries()
        if any(e["name"] == name for e in entries):
            return
        partial = ADDED_FILE.with_name(f"{ADDED_FILE.name}.{os.getpid()}.part")
        partial.write_text(json.dumps([*entries, {"name": name, "task": task}], indent=1) + "\n")
        os.replace(partial, ADDED_FILE)


def is_listed(repo_id: str) -> bool:
    """A Hub repo a public server loads: the registry's own, the owner's list, or one the owner added (that file is
    read only when the others do not list it: every request asks)."""
    return (any(spec.repo_id == repo_id for spec in BUILTIN) or repo_id in _names(ALLOWED_REPOS)
            or any(parse_hub_name(e["name"])[0] == repo_id for e in added_entries()))


def check_repo(spec: ModelSpec) -> None:
    """In public mode, refuse a Hub repo that is neither in the registry nor on the owner's lists."""
    if is_public() and spec.repo_id and not is_listed(spec.repo_id):
        raise GenartError(f"This shared server loads only its listed Hub models, and {spec.repo_id} is not one of "
                          f"them; pick a model from the list, or ask the owner to add it to {ALLOWED_REPOS}.")


def max_download_bytes() -> int | None:
    """The cap on one model's download: GENART_MAX_DOWNLOAD_MB, or PUBLIC_DOWNLOAD_MB in public mode, else none."""
    value = os.environ.get(MAX_DOWNLOAD_MB)
    if value:
        return int(float(value) * 1e6)
    return PUBLIC_DOWNLOAD_MB * 10**6 if is_public() else None


def check_download_size(name: str, total_bytes: int) -> None:
    cap = max_download_bytes()
    if cap is not None and total_bytes > cap:
        raise GenartError(f"{name} is a {total_bytes / 1e6:,.0f} MB download and this server takes at most "
                          f"{cap / 1e6:,.0f} MB; pick a smaller model (the owner sets the cap with {MAX_DOWNLOAD_MB}).")


def may_manage(username: str | None) -> bool:
    """Model management (download, unload, delete, add) is open on a private server; on a public one only to the
    owners named in GENART_OWNERS, once logged in."""
    return not is_public() or (username is not None and username in _names(OWNERS))
