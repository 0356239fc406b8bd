"""The model registry: plain-data ModelSpecs, the built-in table, and `hf-hub:org/name[@rev]` specs for any Hub repo."""
import re
from dataclasses import dataclass, field

from .errors import GenartError

TASKS = ("generate", "inpaint", "restore", "style", "text")
HUB_PREFIX = "hf-hub:"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str
    arch: str  # key into genart.loaders.ARCHITECTURES; "auto" = read from the repo's config.json
    description: str
    license: str = "unknown"
    embedded: bool = False  # weights live in weights/<name>/ and need no network
    repo_id: str | None = None
    revision: str = "main"  # a full commit where one is known
    defaults: dict = field(default_factory=dict)

    @property
    def source(self) -> str:
        if self.embedded:
            return f"weights/{self.name}"
        if self.repo_id:
            return f"{self.repo_id}@{self.revision}"
        return "built-in (no weights)"


BUILTIN: tuple[ModelSpec, ...] = (
    ModelSpec(
        name="dcgan-art-64",
        task="generate",
        arch="dcgan",
        description="Class-conditional DCGAN trained here on genart's six classes of procedural art, 64x64.",
        license="apache-2.0",
        embedded=True,
        defaults={"label": "landscape", "truncation": 2.0},
    ),
    ModelSpec(
        name="procedural-art",
        task="generate",
        arch="procedural",
        description="The procedural renderer the GANs learn from: not a neural network, the real distribution.",
        license="apache-2.0",
        defaults={"label": "landscape", "size": 64},
    ),
)
_BY_NAME = {spec.name: spec for spec in BUILTIN}


def list_models(task: str | None = None) -> list[ModelSpec]:
    if task is not None and task not in TASKS:
        raise GenartError(f"Unknown task {task!r}; use one of: {', '.join(TASKS)}.")
    return [s for s in BUILTIN if task is None or s.task == task]


def parse_hub_name(name: str) -> tuple[str, str]:
    """'hf-hub:org/name@rev' -> ('org/name', 'rev'); revision defaults to main."""
    body = name[len(HUB_PREFIX):]
    repo_id, _, revision = body.partition("@")
    if not _HUB_ID.match(repo_id) or (_ and not revision):
        raise GenartError(f"{name!r} is not a Hub model id; write it as hf-hub:org/name or hf-hub:org/name@revision.")
    return repo_id, revision or "main"


def get_spec(name: str, task: str | None = None) -> ModelSpec:
    """A built-in spec by name, or a spec for any Hub repo named `hf-hub:org/name[@rev]` (its task taken as `task`)."""
    name = (name or "").strip()
    if name.startswith(HUB_PREFIX):
        repo_id, revision = parse_hub_name(name)
        return ModelSpec(name=name, task=task or "generate", arch="auto", description=f"Hub repo {repo_id}",
                         repo_id=repo_id, revision=revision)
    spec = _BY_NAME.get(name)
    if spec is None:
        known = ", ".join(s.name for s in list_models(task))
        raise GenartError(f"Unknown model {name!r}; choose one of: {known}, or name a Hub repo as hf-hub:org/name.")
    if task is not None and spec.task != task:
        raise GenartError(f"Model {name!r} is for the {spec.task} task, not {task}; "
                          f"choose one of: {', '.join(s.name for s in list_models(task))}.")
    return spec
