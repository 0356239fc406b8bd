"""Where checkpoint files come from: resolve(spec) looks in weights/<name>/ first, then the Hugging Face cache, then
downloads pinned to the spec's revision (or a GitHub release's files, hash-checked). state_dicts.py reads them."""
import fnmatch
import functools
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from filelock import FileLock
from huggingface_hub import DryRunFileInfo, snapshot_download
from huggingface_hub.errors import (
    DryRunError,
    EntryNotFoundError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from tqdm.auto import tqdm

from . import access
from .errors import GenartError
from .registry import HUB_PREFIX, ModelSpec, get_spec

WEIGHTS_DIR = Path(os.environ.get("GENART_WEIGHTS_DIR", Path(__file__).resolve().parent.parent / "weights"))
# Preference order; OpenCLIP's repos name theirs open_clip_*.
WEIGHT_FILES = ("model.safetensors", "open_clip_model.safetensors", "pytorch_model.bin", "open_clip_pytorch_model.bin",
                "model.pth")
CONFIG_FILES = ("config.json", "open_clip_config.json")  # preference order
# A download takes the files genart reads and one weights format: the first of these that the repo has.
READ_FILES = [*CONFIG_FILES, "README.md", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
              "chat_template.jinja"]
NETWORK_PICKLES = "*.pkl"  # NVlabs' StyleGAN network pickles, read by genart/network_pickle.py
WEIGHT_PATTERNS = ("*.safetensors", "*.bin", "*.pth", "*.ckpt", NETWORK_PICKLES)
HUB_PATTERNS = READ_FILES + list(WEIGHT_PATTERNS)  # what a cached snapshot may hold
Progress = Callable[[float, str], None]  # (fraction done, description)
# GitHub-release checkpoints: where they are fetched from (a test points this at a local server) and kept.
GITHUB_URL = os.environ.get("GENART_GITHUB_URL", "https://github.com")
# Checkpoints on other https hosts: fetched from <this>/<host>/<path> when it is set (the tests' local server).
FILES_MIRROR = os.environ.get("GENART_FILES_MIRROR")
RELEASES_DIR = Path(os.environ.get("GENART_RELEASES_CACHE", Path(os.environ.get("HF_HOME", Path.home() / ".cache"))
                                   / "genart-releases"))
HASHES = "sha256.json"  # in each release folder: the sha256 of every file as first downloaded


@dataclass(frozen=True)
class Resolved:
    folder: Path
    provenance: dict  # what the replay record stores: repo id + commit, or the weights' sha256

    def config(self) -> dict | None:
        """config.json, else OpenCLIP's open_clip_config.json; None when the repo has neither."""
        path = next((self.folder / name for name in CONFIG_FILES if (self.folder / name).exists()), None)
        return json.loads(path.read_text()) if path else None

    def weights_file(self) -> Path:
        return weights_file(self.folder)


def weights_file(folder: Path) -> Path:
    """The first of WEIGHT_FILES the folder has, else its last network pickle by name (the latest snapshot)."""
    for name in WEIGHT_FILES:
        if (folder / name).exists():
            return folder / name
    pickles = sorted(folder.glob(NETWORK_PICKLES))
    if pickles:
        return pickles[-1]
    raise GenartError(f"{folder} has no weights file; expected one of: {', '.join(WEIGHT_FILES)}, or a network "
                      "pickle (.pkl).")


def sha256_file(path: Path) -> str:
    stat = path.stat()
    return _sha256(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _sha256(path: Path, mtime_ns: int, size: int) -> str:
    """Keyed on mtime and size too, so a replaced file is hashed again; every request asks for this."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_command(spec: ModelSpec) -> str:
    # A built-in Hub model pinned to another revision (a replay record's) is downloaded as name@revision.
    pinned = spec.repo_id and not spec.name.startswith(HUB_PREFIX) and spec.revision != get_spec(spec.name).revision
    return f"python -m genart models download {spec.name}@{spec.revision}" if pinned else \
        f"python -m genart models download {spec.name}"


def resolve(spec: ModelSpec, progress: Progress | None = None) -> Resolved:
    if spec.embedded:
        folder = WEIGHTS_DIR / spec.name
        if not folder.is_dir():
            raise GenartError(f"The embedded weights for {spec.name} are missing from {folder}; restore the weights/ "
                              "folder from the repository.")
        return Resolved(folder, {"weights_sha256": sha256_file(weights_file(folder))})
    if spec.release_files:
        return _release(spec, progress)
    if not spec.repo_id:
        raise GenartError(f"Model {spec.name} has no checkpoint to resolve.")
    access.check_repo(spec)
    try:
        folder = _hub_snapshot(spec, local_only=True)
    except LocalEntryNotFoundError:
        folder = _download(spec, progress)
    return Resolved(folder, {"repo_id": spec.repo_id, "revision": folder.name})


def resolve_cached(spec: ModelSpec) -> Path:
    """The folder of a Hub model already in the cache; never touches the network."""
    try:
        return _hub_snapshot(spec, local_only=True)
    except LocalEntryNotFoundError:
        raise GenartError(f"{spec.name} is not downloaded.") from None


def _release(spec: ModelSpec, progress: Progress | None) -> Resolved:
    """Files from GitHub releases: downloaded once, their sha256 recorded then and checked on every later load."""
    folder = RELEASES_DIR / spec.name
    folder.mkdir(parents=True, exist_ok=True)
    hashes_path = folder / HASHES
    with FileLock(RELEASES_DIR / f"{spec.name}.lock"):  # replicas sharing the cache fetch a file once
        hashes = json.loads(hashes_path.read_text()) if hashes_path.exists() else {}
        for i, (name, path) in enumerate(spec.release_files.items()):
            target = folder / name
            if not target.exists():
                _fetch(release_url(path), target, spec, progress, i / len(spec.release_files))
                if name in spec.published_md5:
                    check_md5(target, spec.published_md5[name])
                if name in spec.published_sha256:
                    check_sha256(target, spec.published_sha256[name])
                hashes[name] = sha256_file(target)
                hashes_path.write_text(json.dumps(hashes, indent=1) + "\n")
            elif hashes.get(name) != sha256_file(target):
                raise GenartError(f"{target} is not the file first downloaded for {spec.name} (its sha256 changed); "
                                  f"delete {folder} and run `{download_command(spec)}` to fetch it again.")
    return Resolved(folder, {"sha256": {name: hashes[name] for name in spec.release_files}})


def release_url(path: str) -> str:
    """A release file's URL: a path under github.com, or a https URL (through FILES_MIRROR when it is set)."""
    if not path.startswith("https://"):
        return f"{GITHUB_URL}/{path}"
    return f"{FILES_MIRROR}/{path.removeprefix('https://')}" if FILES_MIRROR else path


def check_sha256(path: Path, published: str):
    """Refuse (and delete) a file whose sha256 does not start with the published digits."""
    digest = sha256_file(path)
    if not digest.startswith(published):
        path.unlink()
        raise GenartError(f"{path.name} has sha256 {digest[:16]}…, not the published {published}…; it was deleted "
                          "and not loaded.")


def check_md5(path: Path, published: str):
    """Refuse (and delete) a file whose MD5 is not the one its distributor published."""
    with open(path, "rb") as f:  # in blocks: big-lama.pt is 200 MB
        digest = hashlib.file_digest(f, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()
    if digest != published:
        path.unlink()
        raise GenartError(f"{path.name} has MD5 {digest}, not the published {published}; it was deleted and not loaded.")


def _fetch(url: str, target: Path, spec: ModelSpec, progress: Progress | None, start: float):
    partial = target.with_suffix(target.suffix + ".part")
    try:
        with urllib.request.urlopen(url, timeout=30) as response, open(partial, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            access.check_download_size(spec.name, total)
            done = 0
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
                done += len(block)
                access.check_download_size(spec.name, done)  # a server may send more than it announced
                if progress and total:
                    progress(start + done / total / len(spec.release_files), f"Downloading {target.name}")
    except (urllib.error.URLError, OSError, GenartError) as err:
        partial.unlink(missing_ok=True)
        if isinstance(err, GenartError):
            raise
        host = "GitHub" if url.startswith(GITHUB_URL) else urllib.parse.urlparse(url).hostname or url
        if isinstance(err, urllib.error.HTTPError):
            raise GenartError(f"{host} answered HTTP {err.code} for {url}; the file may have moved.") from None
        raise GenartError(f"Model {spec.name} is not downloaded and {host} cannot be reached; connect to the internet "
                          f"and run `{download_command(spec)}`.") from None
    partial.rename(target)


def _hub_snapshot(spec: ModelSpec, local_only: bool, progress: Progress | None = None,
                  patterns: list[str] | None = None) -> Path:
    return Path(snapshot_download(spec.repo_id, revision=spec.revision, allow_patterns=patterns or HUB_PATTERNS,
                                  local_files_only=local_only, tqdm_class=_progress_bar(progress)))


def files_to_fetch(spec: ModelSpec) -> list[DryRunFileInfo]:
    """The repo's files that a download takes, with their sizes: those genart reads and the first weights format
    the repo has. Asks the Hub, downloads nothing."""
    try:
        listed = snapshot_download(spec.repo_id, revision=spec.revision, allow_patterns=HUB_PATTERNS, dry_run=True)
    except DryRunError as err:
        # The Hub's own answer (no such repo or revision) when it gave one; otherwise it could not be reached.
        if isinstance(err.__cause__, HfHubHTTPError):
            raise err.__cause__ from None
        raise LocalEntryNotFoundError(str(err)) from None
    chosen = [f for f in listed if f.filename in READ_FILES]
    for pattern in WEIGHT_PATTERNS:
        weights = [f for f in listed if fnmatch.fnmatch(f.filename, pattern)]
        if pattern == NETWORK_PICKLES:  # a training run's snapshots: only the last by name is read
            weights = sorted(weights, key=lambda f: f.filename)[-1:]
        if weights:
            return chosen + weights
    return chosen


def _download(spec: ModelSpec, progress: Progress | None) -> Path:
    where = f"{spec.repo_id}@{spec.revision}"
    try:
        files = files_to_fetch(spec)
        access.check_download_size(spec.name, sum(f.file_size or 0 for f in files))
        return _hub_snapshot(spec, local_only=False, progress=progress, patterns=[f.filename for f in files])
    except RevisionNotFoundError:
        raise GenartError(f"The Hub repo {spec.repo_id} has no revision {spec.revision!r}; check the part after '@'.") from None
    except RepositoryNotFoundError:
        raise GenartError(f"There is no Hub repo {spec.repo_id!r} (or it is private); check the spelling.") from None
    except LocalEntryNotFoundError:  # before EntryNotFoundError, its base class
        raise GenartError(f"Model {spec.name} is not downloaded and the Hugging Face Hub cannot be reached; connect "
                          f"to the internet and run `{download_command(spec)}`.") from None
    except EntryNotFoundError as err:
        raise GenartError(f"A file of {where} is missing on the Hub ({err}); pick another revision.") from None
    except HfHubHTTPError as err:
        code = err.response.status_code if err.response is not None else "an error"
        raise GenartError(f"The Hub answered HTTP {code} for {where}; try again later.") from None


def _progress_bar(progress: Progress | None) -> type[tqdm] | None:
    """A tqdm class that forwards byte counts to `progress`, for the UI's progress bar."""
    if progress is None:
        return None

    class Forwarding(tqdm):
        def update(self, n=1):
            done = super().update(n)
            if not self.disable and self.total:  # a disabled bar (TQDM_DISABLE=1) counts nothing, has no description
                progress(min(self.n / self.total, 1.0), f"Downloading: {self.desc}")
            return done

    return Forwarding
