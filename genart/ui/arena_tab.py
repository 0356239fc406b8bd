"""The Arena tab: one input, two models drawn at random shown as A and B without their names, a vote, the names,
and the task's leaderboard (Bradley–Terry ratings with bootstrap intervals). What A and B show carries no record
until the vote; the stored vote keeps both outputs whole."""
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from gradio import FileData
from PIL import Image

from .. import arena
from ..audio.wav import wav_bytes
from ..errors import GenartError
from ..locale import say
from ..pipelines.compare_grid import fitted
from ..pipelines.images import open_image
from ..pipelines.task import Output
from ..ratings_plot import interval_plot
from ..replay import png_bytes
from . import uploads
from .common import BRUSH, MODEL_RUN, forward_progress, output_dir, user_errors
from .gpu import on_gpu
from .language import tr, translated_table
from .visitor import owner

PROMPTED = {"imagine": "prompt", "text": "prompt", "melody": "primer (notes, like D4 E4 F#4 G4:4)"}
PICTURED = ("inpaint", "style", "restore")


@dataclass
class Pending:
    """The round this page was shown and has not voted on (server-side: the page never holds its token)."""
    token: str | None = None


def whole(output: Output) -> tuple[bytes, str]:
    """An output as the file the vote keeps: its record inside, so the pair replays."""
    if output.sound is not None:
        return output.sound.wav(), ".wav"
    if output.image is not None:
        return output.artwork().png(), ".png"
    return output.text_json().encode(), ".json"


def blind(output: Output, folder: Path, side: str) -> tuple:
    """(picture, sound, text) updates showing an output without its name: files without a record."""
    picture = sound = None
    if output.image is not None:
        picture = folder / f"{side}.png"
        picture.write_bytes(png_bytes(fitted(output.image.convert("RGB"))))
    if output.sound is not None:
        sound = folder / f"{side}.wav"
        sound.write_bytes(wav_bytes(output.sound.samples, output.sound.rate))
    text = "\n\n".join(output.shown_texts()) if output.texts else ""
    return (gr.update(value=str(picture) if picture else None, visible=picture is not None),
            gr.update(value=str(sound) if sound else None, visible=sound is not None),
            gr.update(value=text, visible=bool(text)))


def asked(inputs: dict) -> Image.Image | None:
    """The input both models got, as one picture: an inpainting's image with its hole painted over, a restoration's
    damaged image, a content image beside its style; None for a prompt or a recording."""
    pictures = [v.convert("RGB") for k, v in inputs.items() if isinstance(v, Image.Image) and k != "mask"]
    if not pictures:
        return None
    if isinstance(inputs.get("mask"), Image.Image):
        hole = inputs["mask"].convert("L").resize(pictures[0].size).point(lambda v: 160 if v else 0)
        pictures[0] = Image.composite(Image.new("RGB", pictures[0].size, BRUSH), pictures[0], hole)
    tiles = [fitted(p.resize((round(p.width * 256 / p.height), 256))) for p in pictures]
    sheet = Image.new("RGB", (sum(t.width for t in tiles) + 8 * (len(tiles) - 1), 256), "white")
    x = 0
    for tile in tiles:
        sheet.paste(tile, (x, 0))
        x += tile.width + 8
    return sheet


def voter() -> str:
    who = owner()
    if who is None:
        raise GenartError("This server could not tell who you are, so it takes no vote; open the app in a browser "
                          "that keeps cookies.")
    return who


def played(task, prompt, image, progress) -> tuple[arena.Round, Path]:
    if image is not None and task not in PICTURED:
        image = None
    result = arena.play(task, voter(), prompt or "", image, progress=forward_progress(progress))
    folder = output_dir()
    arena.shown(result, *whole(result.a), *whole(result.b))
    return result, folder


@user_errors
@on_gpu(120)
def new_round(task, prompt, image, pending: Pending, progress=gr.Progress()):
    """-> the input; A's picture, sound, text; B's; the line; the four vote buttons; the pending round."""
    result, folder = played(task, prompt, image, progress)
    pending.token = result.token
    what = result.params.get("prompt") or result.params.get("primer") or result.params.get("label") or ""
    line = say(f"**{task}**{f' · {what}' if what else ''} · seed {result.params['seed']}. Which is better?")
    given = asked(result.inputs)
    return (gr.update(value=given, visible=given is not None), *blind(result.a, folder, "a"),
            *blind(result.b, folder, "b"), line,
            *[gr.update(interactive=True)] * len(arena.CHOICES), pending)


@user_errors
def cast(choice: str, task: str, pending: Pending):
    """-> the line with the names, the buttons disabled, the pending round cleared, the leaderboard."""
    if pending is None or pending.token is None:
        raise GenartError("Start a round first: press New round, look at A and B, then vote.")
    a, b = arena.vote(pending.token, voter(), choice)
    pending.token = None
    line = say(f"You voted **{arena.CHOICES[choice]}**. A was **{a}**, B was **{b}**. Press New round for the next "
               "pair.")
    return (line, *[gr.update(interactive=False)] * len(arena.CHOICES), pending, *board(task))


LEADERBOARD = ["#", "model", "rating", "95% interval", "votes", "win rate"]


def leaderboard_table(task: str, standings: list | None = None) -> dict:
    """The task's leaderboard as a table, its column names in the request's language."""
    if standings is None:
        standings = arena.standings(task) if task in arena.TASKS else []
    return translated_table(LEADERBOARD, [[i + 1, s.model, round(s.rating), f"{s.low:.0f} – {s.high:.0f}", s.votes,
                                           f"{100 * s.win_rate:.0f}%"] for i, s in enumerate(standings)])


def board(task: str) -> tuple[dict, Image.Image, str | None]:
    """The task's leaderboard as a table and as a plot, and its votes as a JSON-lines file to download (both
    outputs' records in each, no voter)."""
    if task not in arena.TASKS:
        return leaderboard_table(task), interval_plot([]), None
    standings = arena.standings(task)
    votes = output_dir() / f"arena-{task}-votes.jsonl"
    votes.write_text("".join(line + "\n" for line in arena.vote_lines(task)))
    return leaderboard_table(task, standings), interval_plot(standings), str(votes)


def voting(choice: str):
    """The event of one vote button."""
    def vote_for(task: str, pending: Pending):
        return cast(choice, task, pending)
    return vote_for


@user_errors
def on_task(task: str):
    """The inputs the task reads, and its leaderboard."""
    return (gr.update(visible=task in PROMPTED, label=tr("Your {what} (empty: an example)", what=PROMPTED.get(task, "prompt"))),
            gr.update(visible=task in PICTURED), *board(task))


# The API: a round's outputs are files without records; the token goes with them and is the only way to vote.


@user_errors
@on_gpu(120)
def round_api(task: str = "generate", prompt: str = "", image: FileData | None = None
              ) -> tuple[FileData | None, FileData | None, str, str, str]:
    """A blind round: -> A's file and B's (a PNG, or a WAV for audio; None for text), A's text and B's, and the
    round's token for /arena_vote."""
    picture = open_image(uploads.api_file(image)) if image is not None else None
    result, folder = played(task, prompt, picture, None)
    files = []
    for side, output in (("a", result.a), ("b", result.b)):
        shown = blind(output, folder, side)
        path = shown[1]["value"] or shown[0]["value"]
        files.append(FileData(path=path) if path else None)
    return (*files, "\n\n".join(result.a.shown_texts()) if result.a.texts else "",
            "\n\n".join(result.b.shown_texts()) if result.b.texts else "", result.token)


@user_errors
def vote_api(token: str, choice: str) -> dict:
    """Vote on a round you were shown (choice: a, b, tie or bad); -> the names of A and B."""
    a, b = arena.vote(token, voter(), choice)
    return {"model_a": a, "model_b": b, "vote": choice}


@user_errors
def leaderboard_api(task: str = "generate") -> list[dict]:
    """The task's leaderboard: rating, 95% interval, votes and win rate of each model, best first."""
    return [{"model": s.model, "rating": round(s.rating, 1), "low": round(s.low, 1), "high": round(s.high, 1),
             "votes": s.votes, "win_rate": round(s.win_rate, 3)} for s in arena.standings(task)]


def side(name: str) -> tuple:
    with gr.Column():
        gr.Markdown(f"### {name}")
        picture = uploads.image(type="filepath", label=name, interactive=False, height=300, visible=False,
                                elem_classes=["pixelated"], elem_id=f"arena-{name.lower()}-image")
        sound = uploads.audio(type="filepath", label=tr("{name} (listen)", name=name), interactive=False, visible=False,
                              elem_id=f"arena-{name.lower()}-audio")
        text = gr.Textbox(label=name, lines=6, interactive=False, visible=False, elem_id=f"arena-{name.lower()}-text")
    return picture, sound, text


def build() -> dict:
    tasks = arena.arena_tasks()
    first = tasks[0] if tasks else None
    gr.Markdown(tr("Two models of one task, drawn at random, make something from the same input. Vote for the better "
                  "one without knowing which is which; then see their names. Every vote feeds the leaderboard below."))
    with gr.Row():
        task = gr.Dropdown([(tr(name), name) for name in tasks], value=first, label=tr("Task"), scale=1,
                           elem_id="arena-task")
        prompt = gr.Textbox(label=tr("Your prompt (empty: an example)"), scale=3, visible=first in PROMPTED,
                            elem_id="arena-prompt")
        image = uploads.image(type="pil", label=tr("Your image (empty: an example)"), height=160, scale=2,
                              visible=first in PICTURED, elem_id="arena-image")
        start = gr.Button(tr("New round"), variant="primary", scale=1, elem_id="arena-start")
    line = gr.Markdown(tr("Press **New round** to see a pair."), elem_id="arena-line")
    given = gr.Image(type="pil", label=tr("What both were given"), interactive=False, visible=False, height=260,
                     elem_id="arena-input")
    with gr.Row():
        a = side("A")
        b = side("B")
    with gr.Row():
        buttons = [gr.Button(tr(label), interactive=False, elem_id=f"arena-vote-{key}")
                   for key, label in arena.CHOICES.items()]
    gr.Markdown(tr("### Leaderboard"))
    with gr.Row():
        rows, plot, votes = board(first)
        leaderboard = gr.Dataframe(rows, interactive=False, scale=1, elem_id="arena-table")
        picture = gr.Image(plot, type="pil", label=tr("Ratings and their intervals"), interactive=False, scale=1,
                           show_label=False,
                           elem_id="arena-plot")
    export = gr.DownloadButton(tr("Export this task's votes (JSONL)"), votes, size="sm", elem_id="arena-export")
    pending = gr.State(Pending())
    task.change(on_task, task, [prompt, image, leaderboard, picture, export], api_name=False)
    start.click(new_round, [task, prompt, image, pending], [given, *a, *b, line, *buttons, pending], api_name=False,
                **MODEL_RUN)
    for key, button in zip(arena.CHOICES, buttons):
        button.click(voting(key), [task, pending], [line, *buttons, pending, leaderboard, picture, export],
                     api_name=False)
    gr.api(round_api, api_name="arena_round", **MODEL_RUN)
    gr.api(vote_api, api_name="arena_vote")
    gr.api(leaderboard_api, api_name="arena_leaderboard")
    return {"task": task, "leaderboard": leaderboard}
