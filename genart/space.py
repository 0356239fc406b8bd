"""`python -m genart space export DIR`: the folder to push to a Hugging Face Space, as it is.

It holds the app (app.py, genart/, weights/, docs/); a README whose front matter a Gradio Space on ZeroGPU accepts
(the SDK version pinned in requirements.txt, a Python that ZeroGPU offers, every Hub repo of the registry under
`models:` and, at the commit the registry pins, the files each cannot run without under `preload_from_hub`);
requirements.txt pinned to the versions installed where it was exported (the ones its tests ran with); a
.gitattributes that stores every binary file through LFS, as the Hub requires; and a Dockerfile that runs the same
folder anywhere else, the app on port 7860.
"""
import re
import shutil
from importlib.metadata import version
from pathlib import Path

from huggingface_hub.repocard import metadata_load, metadata_save

from .errors import GenartError
from .registry import BUILTIN

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("app.py", "genart", "weights", "docs")
SKIPPED = ("__pycache__", ".pyc")
PYTHON_VERSION = "3.12"  # ZeroGPU offers 3.10 and 3.12; genart needs 3.11 or newer (hashlib.file_digest)
HARDWARE = "zero-a10g"
LFS = "filter=lfs diff=lfs merge=lfs -text"
DOCKERFILE = """\
# The same folder as a Docker image: `docker build -t genart . && docker run -p 7860:7860 genart`.
FROM python:{python}-slim
RUN useradd -m -u 1000 user
USER user
ENV HOME=/home/user PATH=/home/user/.local/bin:$PATH GRADIO_SERVER_NAME=0.0.0.0 GRADIO_SERVER_PORT=7860
WORKDIR /home/user/app
COPY --chown=user requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=user . .
EXPOSE 7860
CMD ["python", "app.py"]
"""


def front_matter() -> dict:
    """The repo README's front matter, made valid for a ZeroGPU Space and listing every model it uses."""
    hub_specs = [s for s in BUILTIN if s.repo_id]
    return metadata_load(ROOT / "README.md") | {
        "sdk": "gradio",
        "sdk_version": version("gradio"),
        "python_version": PYTHON_VERSION,
        "app_file": "app.py",
        "suggested_hardware": HARDWARE,
        "hf_oauth": True,  # an owner signs in to manage models (docs/SECURITY.md)
        "models": sorted({s.repo_id for s in hub_specs}),
        "preload_from_hub": [f"{s.repo_id} {','.join(s.preload)} {s.revision}" for s in hub_specs],
    }


def pinned_requirements() -> str:
    """requirements.txt with each package pinned to the version installed here ("torch>=2.5" -> "torch==2.14.1")."""
    lines = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        name = re.split(r"[<>=!~;\[ ]", line.strip(), maxsplit=1)[0]
        if name and not name.startswith("#"):
            lines.append(f"{name}=={version(name).split('+')[0]}")  # no local tag such as +cu130
    return "\n".join(lines) + "\n"


def is_binary(path: Path) -> bool:
    with open(path, "rb") as f:
        return b"\0" in f.read(8192)


def lfs_rules(folder: Path) -> str:
    """One LFS rule per suffix of the binary files in `folder`."""
    suffixes = sorted({p.suffix for p in folder.rglob("*") if p.is_file() and is_binary(p)})
    if "" in suffixes:
        raise GenartError("A binary file without a suffix cannot be given an LFS rule; name it with one.")
    return "".join(f"*{suffix} {LFS}\n" for suffix in suffixes)


def export(out: str | Path) -> Path:
    """Write the Space folder; it must be new or empty, so nothing of an earlier export lingers."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise GenartError(f"{out} is not empty; export into a new folder.")
    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=shutil.ignore_patterns(*(f"*{s}" for s in SKIPPED)))
        else:
            shutil.copy2(source, out / name)
    readme = out / "README.md"
    shutil.copy2(ROOT / "README.md", readme)
    metadata_save(readme, front_matter())
    (out / "requirements.txt").write_text(pinned_requirements())
    (out / "Dockerfile").write_text(DOCKERFILE.format(python=PYTHON_VERSION))
    (out / ".gitattributes").write_text(lfs_rules(out))
    return out
