"""The one model-card writer: front matter the Hub reads, then the card's sections, written as the folder's
README.md from the training run so that every figure on it is one that was measured."""
from collections.abc import Callable
from pathlib import Path


def front_matter(tags: list[str], pipeline_tag: str) -> str:
    lines = "\n".join(f"  - {t}" for t in [*tags, "genart"])
    return f"---\nlicense: apache-2.0\nlibrary_name: pytorch\ntags:\n{lines}\npipeline_tag: {pipeline_tag}\n---\n"


def continued_from(runs: list[dict], figure: Callable[[dict], str]) -> list[str]:
    """A bullet for the runs this one continued from (--init-from), each with its command, its steps and what
    `figure` says of its summary."""
    if not runs:
        return []
    lines = "; ".join(f"`{r['command']}` ({r['summary']['steps']:,} steps{figure(r['summary'])})" for r in runs)
    return [f"- **Continued from** {lines}: the folder this trainer wrote, copied aside; every run is in\n"
            "  `training_log.json`."]


def training_section(run: dict, bullets: list[str]) -> str:
    """## Training: the exact command, what the card says about the run, and the machine it ran on."""
    s = run["summary"]
    machine = f"- **Machine**: {s['device']}, {s['wall_seconds'] / 60:.1f} min, torch {s['torch']}."
    return "## Training\n\n```bash\n" + run["command"] + "\n```\n\n" + "\n".join([*bullets, machine]) + "\n"


def write_card(folder: Path, tags: list[str], pipeline_tag: str, body: str):
    (Path(folder) / "README.md").write_text(front_matter(tags, pipeline_tag) + "\n" + body)
