"""Model management for the Models tab and the CLI: what is cached or loaded, download, unload, delete, add a Hub repo.

Hub repos a user adds are kept in a small JSON file (access.ADDED_FILE, GENART_ADDED_MODELS), so they stay listed
after a restart; on a public server they load for visitors too.
"""
import shutil
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import scan_cache_dir
from huggingface_hub.errors import CacheNotFound

from . import access, hub, runtime
from .errors import GenartError
from .hub import Progress
from .loaders import ARCHITECTURES, detect_arch, read_checkpoint
from .registry import HUB_PREFIX, ModelSpec, get_spec, list_models, parse_hub_name


@dataclass
class ModelStatus:
    name: str
    task: str
    arch: str
    source: str
    license: str
    size_mb: float | None  # files on disk; None when not downloaded or there are none
    cached: bool  # runs without a download: shipped, built in, or already downloaded
    loaded: bool
    device: str  # where it is loaded, or ""


def added() -> list[ModelSpec]:
    """The Hub repos a user added, as specs with the task their architecture detected."""
    return [get_spec(e["name"], task=e["task"]) for e in access.added_entries()]


def all_specs() -> list[ModelSpec]:
    return list_models() + added()


def find(name: str) -> ModelSpec:
    """A registry model, or an added Hub repo under its hf-hub: name."""
    for spec in added():
        if isinstance(name, str) and spec.name == name.strip():
            return spec
    return get_spec(name)


def files_on_disk(spec: ModelSpec) -> Path | None:
    """The folder holding the model's files here, without downloading anything; None when there is none."""
    if spec.embedded:
        return hub.WEIGHTS_DIR / spec.name
    if spec.release_files:
        folder = hub.RELEASES_DIR / spec.name
        return folder if all((folder / n).exists() for n in spec.release_files) else None
    if spec.repo_id:
        try:
            return hub.resolve_cached(spec)
        except GenartError:
            return None
    return None


def folder_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def loaded_keys(spec: ModelSpec) -> list[runtime.CacheKey]:
    """Cache keys holding this model (the module, and a text model's tokenizer)."""
    return [k for k in runtime.MODELS.keys() if k.model == spec.name]


def status(spec: ModelSpec) -> ModelStatus:
    folder = files_on_disk(spec)
    keys = loaded_keys(spec)
    device = next((k.device for k in keys if k.part == "module"), "")
    built_in = not (spec.embedded or spec.repo_id or spec.release_files)
    return ModelStatus(spec.name, spec.task, spec.arch, spec.source, spec.license,
                       folder_mb(folder) if folder else None, built_in or folder is not None, bool(keys), device)


def table() -> list[ModelStatus]:
    return [status(s) for s in all_specs()]


def download(name: str, progress: Progress | None = None) -> ModelStatus:
    spec = find(name)
    if not (spec.repo_id or spec.release_files):
        raise GenartError(f"{spec.name} needs no download: it ships with genart.")
    hub.resolve(spec, progress)
    return status(spec)


def unload(name: str) -> bool:
    spec = find(name)
    return any([runtime.MODELS.unload(k) for k in loaded_keys(spec)])


def delete(name: str) -> float:
    """Remove a downloaded model's files (and unload it); -> megabytes freed."""
    spec = find(name)
    if spec.embedded or not (spec.repo_id or spec.release_files):
        raise GenartError(f"{spec.name} ships with genart and cannot be deleted.")
    unload(name)
    if spec.release_files:
        folder = hub.RELEASES_DIR / spec.name
        freed = folder_mb(folder) if folder.exists() else 0.0
        shutil.rmtree(folder, ignore_errors=True)
        return freed
    try:
        cache = scan_cache_dir()
    except CacheNotFound:
        cache = None
    repos = [r for r in cache.repos if r.repo_id == spec.repo_id and r.repo_type == "model"] if cache else []
    if not repos:
        raise GenartError(f"{spec.name} is not downloaded; there is nothing to delete.")
    strategy = cache.delete_revisions(*(rev.commit_hash for r in repos for rev in r.revisions))
    strategy.execute()
    return strategy.expected_freed_size / 1e6


def add(name: str, progress: Progress | None = None) -> ModelSpec:
    """Download a Hub repo, detect its architecture from its files, and list it from now on."""
    if not isinstance(name, str) or not name.strip():
        raise GenartError("Name the Hub repo to add: org/name or hf-hub:org/name@revision.")
    name = name.strip()
    if not name.startswith(HUB_PREFIX):
        name = HUB_PREFIX + name
    parse_hub_name(name)
    resolved = hub.resolve(get_spec(name), progress)
    arch = detect_arch(*read_checkpoint(resolved), name)
    task = ARCHITECTURES[arch].task
    access.record_added(name, task)
    return get_spec(name, task=task)


def model_card(name: str) -> str:
    spec = find(name)
    folder = files_on_disk(spec)
    if folder is not None and (folder / "README.md").exists():
        return (folder / "README.md").read_text()
    where = "Download it to read its model card." if folder is None and (spec.repo_id or spec.release_files) else ""
    return f"# {spec.name}\n\n{spec.description}\n\n{where}".strip()
