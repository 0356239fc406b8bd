"""The blind arena: one input, two models of a task drawn at random, their outputs shown as A and B, a vote, then
the names. Votes are stored with both outputs (files and records) and rated per task (ratings.py).

A vote counts only for a round this server opened for that same voter, once, after both outputs were stored (the
server marks the round ready only then), and within a per-voter rate. The round's token is random and is handed out
with the outputs, so a vote cannot name a round it was not shown.
"""
import json
import os
import secrets
import time
from dataclasses import dataclass

import numpy as np
from PIL import Image

from . import catalog, store, vote_sync
from .audio.events import events_to_notes, parse_primer
from .audio.sound import Clip
from .audio.synth import INSTRUMENTS, SAMPLE_RATE, render
from .data.damage import gaussian_noise, salt_and_pepper
from .data.masks import free_form_mask
from .data.procedural import CLASSES
from .data.procedural import render as render_art
from .errors import GenartError
from .hub import Progress
from .pipelines.compare import compare, task_inputs
from .pipelines.generate import model_classes
from .pipelines.imagine import EXAMPLES as IMAGINE_EXAMPLES
from .pipelines.runner import task as declared
from .pipelines.task import Output
from .ratings import Standing, leaderboard
from .registry import list_models

TASKS = ("imagine", "generate", "inpaint", "style", "restore", "text", "melody", "repair")
CHOICES = {"a": "A is better", "b": "B is better", "tie": "Tie", "bad": "Both are bad"}
ROUND_SECONDS = 3600  # a round takes its vote within this time
VOTES_PER_MINUTE = 12
MAX_VOTES = "GENART_ARENA_MAX_VOTES"  # the most votes kept (the oldest go first)
DEFAULT_MAX_VOTES = 100_000
MAX_PROMPT = 500
TUNES = ("D4 E4 F#4 G4:4 A4:4 B4 A4 G4 F#4 E4:4 D4:4", "C4 E4 G4 C5:4 G4 E4 C4:8", "A3 C4 E4 A4:4 G4 E4 D4 C4:8")


@dataclass
class Round:
    token: str
    task: str
    params: dict
    inputs: dict
    a: Output
    b: Output


def contenders(task: str) -> list[str]:
    """The task's registry models that run here without a download (shipped, built in, or already downloaded)."""
    return [s.name for s in list_models(declared(task).models_for) if catalog.status(s).cached]


def arena_tasks() -> list[str]:
    """The tasks with two models or more to put side by side here."""
    return [t for t in TASKS if len(contenders(t)) >= 2]


def checked_task(task) -> str:
    if not isinstance(task, str) or task not in TASKS:
        raise GenartError(f"The arena has these tasks: {', '.join(TASKS)}; not {task!r:.40}.")
    if len(contenders(task)) < 2:
        raise GenartError(f"{task} has fewer than two models ready here, so it has no arena; download another "
                          "(Models tab) or pick another task.")
    return task


def example_image(rng: np.random.Generator, size: int = 256) -> Image.Image:
    return render_art(CLASSES[rng.integers(len(CLASSES))], int(rng.integers(1 << 20)), size)


def tune(rng: np.random.Generator) -> Clip:
    """One of a few short tunes, synthesised: a recording for the repairers."""
    events = parse_primer(TUNES[rng.integers(len(TUNES))])
    samples = render(events_to_notes(events), 120.0, INSTRUMENTS["piano"], len(events))  # (N,) int16
    return Clip(samples.astype(np.float32) / 32768, SAMPLE_RATE)


def shared_label(models: tuple[str, str], rng: np.random.Generator) -> dict:
    """A class both generators draw, when they share any (two art GANs do; BigGAN and an art GAN do not: then each
    draws its own default class from the same seed)."""
    first, second = (model_classes(m) for m in models)
    shared = sorted(set(first) & set(second))
    return {"label": shared[rng.integers(len(shared))]} if shared else {}


def round_input(task: str, models: tuple[str, str], prompt: str = "", image: Image.Image | None = None,
                seed: int | None = None) -> tuple[dict, dict]:
    """The one input both models get: (settings, input images by name). An empty prompt or no image: an example,
    drawn with the seed (random when None)."""
    if not isinstance(prompt, str) or len(prompt) > MAX_PROMPT:
        raise GenartError(f"The prompt is text of at most {MAX_PROMPT} characters.")
    seed = secrets.randbelow(1 << 31) if seed is None else seed
    rng = np.random.default_rng(seed)
    params: dict = {"seed": seed}
    if task == "imagine":
        params |= {"prompt": prompt.strip() or IMAGINE_EXAMPLES[rng.integers(len(IMAGINE_EXAMPLES))], "n": 1}
    elif task == "generate":
        params |= {"n": 1, **shared_label(models, rng)}
    elif task == "text" and prompt.strip():
        params["prompt"] = prompt
    elif task == "melody" and prompt.strip():
        params["primer"] = prompt.strip()
    picture = (image if image is not None else example_image(rng)).convert("RGB")
    if task == "inpaint":
        mask = Image.fromarray(free_form_mask(seed, 256)).resize(picture.size, Image.Resampling.NEAREST)
        return params, task_inputs(task, picture, mask.convert("L"), None)
    if task == "restore":
        pixels = np.asarray(picture)
        damaged = gaussian_noise(pixels, 25, seed) if seed % 2 else salt_and_pepper(pixels, 0.1, seed)
        return params, task_inputs(task, Image.fromarray(damaged), None, None)
    if task == "style":
        return params, task_inputs(task, picture, None, example_image(rng))
    if task == "repair":
        return params, task_inputs(task, None, None, None, tune(rng))
    return params, {}


def play(task: str, owner: str, prompt: str = "", image: Image.Image | None = None, seed: int | None = None,
         progress: Progress | None = None, pair: tuple[str, str] | None = None) -> Round:
    """Draw two models (or take `pair`), open a round for `owner` and run both on one input; -> the round, which
    takes a vote once `shown` has stored what the voter saw."""
    task = checked_task(task)
    a, b = pair or secrets.SystemRandom().sample(contenders(task), 2)
    params, inputs = round_input(task, (a, b), prompt, image, seed)
    token = secrets.token_urlsafe(18)
    with store.connection() as db:
        if store.drop_old_rounds(db, ROUND_SECONDS):
            store.drop_unused_files(db)  # the outputs of rounds that never got a vote
        store.add_round(db, token, owner, task, a, b)
    *_, result = compare(task, [a, b], params, inputs, progress=progress)
    failed = [c for c in result.cells if c.error]
    if failed:
        raise GenartError(f"One of the two models failed on this input ({failed[0].error.rstrip('.')[:200]}); start "
                          "a new round.")
    return Round(token, task, params, inputs, result.cells[0].output, result.cells[1].output)


def shown(played: Round, file_a: bytes, suffix_a: str, file_b: bytes, suffix_b: str) -> None:
    """Both outputs, as the voter sees them, stored: from now on the round takes one vote."""
    with store.connection() as db:
        stored_a, stored_b = store.put_file(db, file_a, suffix_a), store.put_file(db, file_b, suffix_b)
        store.round_ready(db, played.token, stored_a, stored_b, json.dumps(played.a.record, sort_keys=True),
                          json.dumps(played.b.record, sort_keys=True))


def vote(token, owner: str, choice) -> tuple[str, str]:
    """The voter's verdict on a round they were shown; -> (model A, model B), the names revealed."""
    if not isinstance(choice, str) or choice not in CHOICES:
        raise GenartError(f"A vote is one of: {', '.join(CHOICES)} ({', '.join(CHOICES.values())}).")
    if not isinstance(token, str) or not 0 < len(token) <= 64:
        raise GenartError("This vote names no round; vote on a pair the arena showed you.")
    with store.connection() as db:
        r = store.arena_round(db, token)
        if r is None or r["owner"] != owner:
            raise GenartError("This vote names a round the arena did not show you; vote on a pair it showed you.")
        if r["voted"] is not None:
            raise GenartError("This round already has your vote; start a new round to vote again.")
        if r["ready"] is None:
            raise GenartError("This round's outputs have not both arrived yet; vote once you have seen A and B.")
        if time.time() - r["created"] > ROUND_SECONDS:
            raise GenartError("This round is more than an hour old; start a new round to vote.")
        if store.votes_since(db, owner, time.time() - 60) >= VOTES_PER_MINUTE:
            raise GenartError(f"At most {VOTES_PER_MINUTE} votes a minute are counted; take a moment with the next "
                              "pair and vote again.")
        vote_sync.pushed(vote_line(store.add_vote(db, r, choice)))
        if store.drop_oldest_votes(db, int(os.environ.get(MAX_VOTES) or DEFAULT_MAX_VOTES)):
            store.drop_unused_files(db)
        return r["model_a"], r["model_b"]


_boards: dict[tuple, tuple[float, list[Standing]]] = {}  # (data folder, task, rounds) -> (when, the leaderboard)
BOARD_SECONDS = 30  # past this many votes, a leaderboard is fitted again at most this often
MANY_VOTES = 2000


def standings(task: str, rounds: int = 200) -> list[Standing]:
    """The task's leaderboard from every stored vote. With many votes (200 bootstrap fits take a second per 10,000)
    it is refitted at most every BOARD_SECONDS."""
    if not isinstance(task, str) or task not in TASKS:
        raise GenartError(f"The arena has these tasks: {', '.join(TASKS)}; not {task!r:.40}.")
    key = (str(store.data_dir()), task, rounds)
    when, table = _boards.get(key, (0.0, []))
    if time.monotonic() - when < BOARD_SECONDS and sum(s.votes for s in table) // 2 >= MANY_VOTES:
        return table
    with store.connection() as db:
        rows = store.votes(db, task)
    table = leaderboard([(r["model_a"], r["model_b"], r["winner"]) for r in rows], rounds)
    _boards[key] = (time.monotonic(), table)
    return table


def vote_line(row) -> str:
    """A stored vote as one JSON line: both outputs' records, no voter (a visitor's identity stays here)."""
    return json.dumps({"round": row["round"], "task": row["task"], "model_a": row["model_a"],
                       "model_b": row["model_b"], "winner": row["winner"], "created": row["created"],
                       "record_a": json.loads(row["record_a"]), "record_b": json.loads(row["record_b"])},
                      sort_keys=True)


def vote_lines(task: str | None = None) -> list[str]:
    """The votes as JSON lines, oldest first."""
    with store.connection() as db:
        rows = store.votes(db, task)
    return [vote_line(r) for r in rows]
