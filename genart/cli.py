"""python -m genart ... : the command line. Each task's flags come from its settings dataclass (cli_flags.py); what a
command does is in commands.py.

A mistake the user can fix prints one sentence and exits with status 2.
"""
import argparse
import sys

from . import commands, runtime
from .cli_flags import add_setting, add_settings
from .errors import GenartError
from .registry import MODEL_TASKS, TASKS


def add_models(sub):
    models = sub.add_parser("models", help="list or download models").add_subparsers(dest="action", required=True)
    ls = models.add_parser("list", help="the registry")
    ls.add_argument("--task", choices=MODEL_TASKS)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=commands.cmd_models_list)
    dl = models.add_parser("download", help="fetch a model's files into the Hugging Face cache")
    dl.add_argument("name")
    dl.set_defaults(func=commands.cmd_models_download)
    add = models.add_parser("add", help="download a Hub repo, detect its architecture, list it from now on")
    add.add_argument("repo", help="org/name or hf-hub:org/name@revision")
    add.set_defaults(func=commands.cmd_models_add)
    rm = models.add_parser("delete", help="remove a downloaded model's files from the cache")
    rm.add_argument("name")
    rm.set_defaults(func=commands.cmd_models_delete)


def add_task(sub, name: str, task: str, help: str, func, model: str, out: str | None = None,
             model_flag: str = "--model", leave_out: tuple[str, ...] = ()) -> argparse.ArgumentParser:
    """A command that runs one task: its model, its settings' flags (but those left out), and where to write."""
    from .pipelines.runner import task as declared

    p = sub.add_parser(name, help=help, description=f"{help[0].upper()}{help[1:]}. A setting not given takes the "
                       "model's own default (python -m genart models list --json shows them), else the one shown.")
    p.add_argument(model_flag, dest="model" if model_flag == "--model" else model_flag[2:], default=model,
                   help="a registry name, name@revision, or hf-hub:org/name[@revision]")
    add_settings(p, declared(task).settings, leave_out)
    if out is not None:
        p.add_argument("--out", default=out)
    p.set_defaults(func=func)
    return p


def add_sentence_vae_flags(text: argparse.ArgumentParser):
    """What a sentence VAE does besides sampling: its flags on the text command."""
    from .pipelines.sentence_vae import BetweenSettings
    from .pipelines.settings import setting

    vae = text.add_argument_group("a sentence VAE (text-art-vae)")
    vae.add_argument("--reconstruct", action="store_true",
                     help="read the prompt into the latent space and print it decoded back (greedy)")
    vae.add_argument("--between", nargs=2, metavar=("A", "B"),
                     help="print the sentences on the line between A's latent and B's, one per step (greedy)")
    add_setting(vae, setting(BetweenSettings, "steps"))


def add_tasks(sub):
    imagine = add_task(sub, "imagine", "imagine", "text to image: draw a prompt; writes DIR/<seed>-<i>.png",
                       commands.cmd_imagine, "text2art-64", "outputs")
    imagine.add_argument("words", nargs="?", metavar="PROMPT", help="what to draw (the same as --prompt)")
    add_task(sub, "imagine-walk", "imagine_walk", "an animated WebP or GIF walking from one prompt to another (text2art)",
             commands.cmd_imagine_walk, "text2art-64", "walk.webp")
    add_task(sub, "generate", "generate", "sample images; writes DIR/<seed>-<i>.png", commands.cmd_generate,
             "dcgan-art-64", "outputs")
    walk = add_task(sub, "interpolate", "interpolate", "animated WebP or GIF between two seeds, or a VAE's encoded "
                    "images", commands.cmd_interpolate, "dcgan-art-64", "interpolation.webp")
    walk.add_argument("--image-a", help="start from this image's latent instead of the first seed's (a VAE)")
    walk.add_argument("--image-b", help="end at this image's latent instead of the second seed's (a VAE)")
    add_task(sub, "mix", "mix", "style mixing (a StyleGAN): a grid of row seeds, column seeds and their mixes; writes "
             "a PNG with its replay record", commands.cmd_mix, "stylegan2-cifar10", "mix.png")
    proj = add_task(sub, "project", "project", "project a photo into a StyleGAN's W; writes the generator's image of "
                    "the w found (a PNG whose record keeps the w)", commands.cmd_project, "stylegan2-cifar10",
                    "projected.png")
    proj.add_argument("--image", required=True)
    enc = add_task(sub, "encode", "encode", "take an image into a VAE's latent space; writes its reconstruction",
                   commands.cmd_encode, "vae-art-64", "reconstruction.png")
    enc.add_argument("--image", required=True)
    text = add_task(sub, "text", "text", "continue a prompt with a language model, streamed to stdout",
                    commands.cmd_text, "text-art")
    text.add_argument("--json", action="store_true", help="print the completions and the replay record as JSON")
    add_sentence_vae_flags(text)
    chat = add_task(sub, "chat", "chat", "an instruct model's next reply in a conversation (--turns once per turn, the "
                    "user's first), streamed to stdout", commands.cmd_chat, "smollm2-135m-instruct")
    chat.add_argument("--json", action="store_true", help="print the reply and the replay record as JSON")
    inp = add_task(sub, "inpaint", "inpaint", "fill the white part of a mask; writes a PNG with its replay record",
                   commands.cmd_inpaint, "inpaint-art", "inpainted.png")
    inp.add_argument("--image", required=True)
    inp.add_argument("--mask", required=True, help="white (or opaque, for a transparent PNG) = fill")
    res = add_task(sub, "restore", "restore", "remove noise or salt-and-pepper impulses", commands.cmd_restore,
                   "denoise-art", "restored.png")
    res.add_argument("--image", required=True)
    sty = add_task(sub, "stylize", "style", "neural style transfer; writes a PNG with its replay record",
                   commands.cmd_stylize, "fast-stained-glass", "stylized.png", model_flag="--method")
    sty.add_argument("--content", required=True)
    sty.add_argument("--style", action="append", default=[], help="a style image; repeat for up to 4")
    sty.add_argument("--mask", default=None, help="AdaIN spatial control: white where the first style goes")
    rep = add_task(sub, "repair", "repair", "fill a gap in a recording (or remove its clicks); writes OUT (a WAV that "
                   "carries the input and its record) and the same name's .png (spectrograms before and after)",
                   commands.cmd_repair, "audio-repair-vae", "repaired.wav")
    rep.add_argument("--audio", required=True, help="the recording: a WAV file")
    add_task(sub, "melody", "melody", "a melody from a melody model: writes OUT (a WAV) and the same name's .mid and "
             ".png, each with its replay record", commands.cmd_melody, "melody-lstm", "tune.wav")


def add_batch(sub):
    """batch TASK: one command per task that takes a batch, with that task's settings' flags."""
    from .pipelines.batch import BATCH_TASKS
    from .pipelines.runner import task as declared
    from .registry import list_models

    tasks = sub.add_parser("batch", help="run a task over a folder, a zip or a list of prompts: outputs, a JSONL log "
                           "and a contact sheet in --out; resumable").add_subparsers(dest="task", required=True)
    for name in BATCH_TASKS:
        t = declared(name)
        what = ("an image file, a folder of images or a zip of them" if t.batch_over in t.inputs
                else "a .txt file of prompts, one a line")
        p = add_task(tasks, name, name, f"{name} every input of --in ({what}); a rerun skips what is done",
                     commands.cmd_batch, list_models(t.models_for)[0].name, "batch", leave_out=(t.batch_over,))
        p.add_argument("--in", dest="source", required=True, help=what)
        for shared in t.inputs:
            if shared != t.batch_over:
                p.add_argument(f"--{shared}", help=f"the {shared} image every input shares")


def add_compare_and_replay(sub):
    cmp = sub.add_parser("compare", help="several models on one input, a grid of their outputs with time and memory")
    cmp.add_argument("--task", required=True, choices=TASKS)
    cmp.add_argument("--models", nargs="+", required=True)
    cmp.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                     help="settings shared by every cell, e.g. seed=3 label=mandala prompt='«Quiet'")
    cmp.add_argument("--sweep", help="a setting to vary: one row per value")
    cmp.add_argument("--values", default="",
                     help="the swept setting's values: numbers comma-separated, texts (prompts, labels) separated by |")
    cmp.add_argument("--image", help="inpaint and restore: the image; style: the content")
    cmp.add_argument("--mask", help="inpaint: white = fill")
    cmp.add_argument("--style", help="style: the style image")
    cmp.add_argument("--audio", help="repair: the recording (a WAV file)")
    cmp.add_argument("--describe", default="",
                     help="a description to score every image cell against in CLIP (clip-vit-b32)")
    cmp.add_argument("--out", default="compare", help="folder for grid.png and compare.zip")
    cmp.set_defaults(func=commands.cmd_compare)
    rep = sub.add_parser("replay", help="make a file genart wrote again, with every setting it was made with")
    rep.add_argument("file", help="a PNG genart wrote (an output or a Compare grid), an interpolation's WebP or GIF, "
                                  "a melody's WAV or MIDI file, or a text output's .json")
    rep.add_argument("--out", help="where to write the remake (default: beside the file, -replay added)")
    rep.set_defaults(func=commands.cmd_replay)


def add_serving(sub):
    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--share", action="store_true")
    serve.add_argument("--public", action="store_true", help="serve in public mode even on loopback (see SECURITY.md)")
    serve.add_argument("--mcp", action="store_true",
                       help="also serve every endpoint as a Model Context Protocol tool at /gradio_api/mcp/ (as "
                            "GENART_MCP=1 does)")
    serve.set_defaults(func=commands.cmd_serve)
    bench = sub.add_parser("bench", help="print speed tables")
    bench.add_argument("task", nargs="?", default=None)
    bench.set_defaults(func=commands.cmd_bench)
    train = sub.add_parser("train", help="train a shipped model (arguments after the name go to its script)")
    train.add_argument("model")
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(func=commands.cmd_train)
    space = sub.add_parser("space", help="make a Hugging Face Space").add_subparsers(dest="space_command", required=True)
    export = space.add_parser("export", help="write the folder a Space runs as it is")
    export.add_argument("dir")
    export.set_defaults(func=commands.cmd_space_export)


def add_arena_and_history(sub):
    arena = sub.add_parser("arena", help="the blind arena's votes").add_subparsers(dest="arena_command", required=True)
    board = arena.add_parser("leaderboard", help="a task's ratings from every stored vote (Bradley-Terry, 95% intervals)")
    board.add_argument("--task", required=True)
    board.add_argument("--json", action="store_true")
    board.set_defaults(func=commands.cmd_arena_leaderboard)
    export = arena.add_parser("export", help="every vote as JSON lines, both outputs' records in each")
    export.add_argument("--task", default=None)
    export.set_defaults(func=commands.cmd_arena_export)
    history = sub.add_parser("history", help="what was made here").add_subparsers(dest="history_command", required=True)
    ls = history.add_parser("list", help="the newest entries, with their stored files")
    ls.add_argument("--task", default="")
    ls.add_argument("--words", default="")
    ls.add_argument("--n", type=int, default=20)
    ls.set_defaults(func=commands.cmd_history_list)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m genart", description="genart: generative-art models from a shell.")
    sub = p.add_subparsers(dest="command", required=True)
    for add in (add_models, add_tasks, add_batch, add_compare_and_replay, add_serving, add_arena_and_history):
        add(sub)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    runtime.keep_freed_memory()
    try:
        return args.func(args) or 0
    except GenartError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
