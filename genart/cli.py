"""python -m genart ... : the same pipeline functions the app calls, from a shell.

A mistake the user can fix prints one sentence and exits with status 2.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path

from . import hub
from .errors import GenartError
from .registry import TASKS, get_spec, list_models

TRAINABLE = {"dcgan-art-64": "genart.train.dcgan"}


def cmd_models_list(args):
    specs = list_models(args.task)
    if args.json:
        print(json.dumps([dataclasses.asdict(s) | {"source": s.source} for s in specs], indent=2))
        return
    width = max(len(s.name) for s in specs) if specs else 4
    for s in specs:
        print(f"{s.name:<{width}}  {s.task:<8}  {s.arch:<10}  {s.source}")


def cmd_models_download(args):
    spec = get_spec(args.name)
    resolved = hub.resolve(spec, progress=None)
    print(f"{spec.name}: {resolved.folder}")


def cmd_generate(args):
    from .pipelines.generate import generate

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for art in generate(args.model, args.seed, args.n, args.label, args.truncation, args.size):
        print(art.save(out / f"{args.seed}-{art.record['index']}.png"))


def cmd_interpolate(args):
    from .pipelines.generate import interpolate

    animation = interpolate(args.model, args.seed_a, args.seed_b, args.frames, args.label, args.truncation, args.fps)
    print(animation.save(Path(args.out)))


def cmd_serve(args):
    from .ui import launch

    launch(args.host, args.port, args.share)


def cmd_bench(args):
    from .bench import run

    run(args.task)


def cmd_train(args):
    import importlib

    if args.model not in TRAINABLE:
        raise GenartError(f"No training script for {args.model!r}; trainable: {', '.join(TRAINABLE)}.")
    importlib.import_module(TRAINABLE[args.model]).main(args.rest)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m genart", description="genart: generative-art models from a shell.")
    sub = p.add_subparsers(dest="command", required=True)

    models = sub.add_parser("models", help="list or download models").add_subparsers(dest="action", required=True)
    ls = models.add_parser("list", help="the registry")
    ls.add_argument("--task", choices=TASKS)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_models_list)
    dl = models.add_parser("download", help="fetch a model's files into the Hugging Face cache")
    dl.add_argument("name")
    dl.set_defaults(func=cmd_models_download)

    gen = sub.add_parser("generate", help="sample images; writes DIR/<seed>-<i>.png")
    gen.add_argument("--model", default="dcgan-art-64")
    gen.add_argument("--label", default=None, help="class for conditional models")
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--n", type=int, default=1)
    gen.add_argument("--truncation", type=float, default=2.0)
    gen.add_argument("--size", type=int, default=64, help="procedural-art only")
    gen.add_argument("--out", default="outputs")
    gen.set_defaults(func=cmd_generate)

    interp = sub.add_parser("interpolate", help="animated WebP or GIF between two seeds")
    interp.add_argument("--model", default="dcgan-art-64")
    interp.add_argument("--label", default=None)
    interp.add_argument("--seed-a", type=int, default=0)
    interp.add_argument("--seed-b", type=int, default=1)
    interp.add_argument("--frames", type=int, default=16)
    interp.add_argument("--fps", type=int, default=12)
    interp.add_argument("--truncation", type=float, default=2.0)
    interp.add_argument("--out", default="interpolation.webp")
    interp.set_defaults(func=cmd_interpolate)

    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--share", action="store_true")
    serve.set_defaults(func=cmd_serve)

    bench = sub.add_parser("bench", help="print speed tables")
    bench.add_argument("task", nargs="?", default=None)
    bench.set_defaults(func=cmd_bench)

    train = sub.add_parser("train", help="train a shipped model (arguments after the name go to its script)")
    train.add_argument("model")
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(func=cmd_train)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except GenartError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
