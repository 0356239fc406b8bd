"""python -m genart ... : the same pipeline functions the app calls, from a shell.

A mistake the user can fix prints one sentence and exits with status 2.
"""
import argparse
import dataclasses
import json
import sys
from pathlib import Path

from . import catalog, hub
from .errors import GenartError
from .registry import TASKS, list_models

# model -> (training script, the arguments that make that model; later ones on the command line override them)
TRAINABLE = {
    "dcgan-art-64": ("genart.train.dcgan", []),
    "text-art": ("genart.train.text_lm", ["--arch", "gpt2", "--out", "weights/text-art"]),
    "text-art-lstm": ("genart.train.text_lm", ["--arch", "lstm", "--out", "weights/text-art-lstm"]),
    "inpaint-art": ("genart.train.inpaint", ["--out", "weights/inpaint-art"]),
    "denoise-art": ("genart.train.denoise", ["--out", "weights/denoise-art"]),
    "fast-stained-glass": ("genart.train.fast_style", ["--style-class", "stained_glass", "--style-seed", "7",
                                                       "--out", "weights/fast-stained-glass"]),
    "fast-flow-field": ("genart.train.fast_style", ["--style-class", "flow_field", "--style-seed", "3",
                                                    "--out", "weights/fast-flow-field"]),
}


def cmd_models_list(args):
    list_models(args.task)  # checks the task name
    specs = [s for s in catalog.all_specs() if args.task in (None, s.task)]
    if args.json:
        print(json.dumps([dataclasses.asdict(s) | dataclasses.asdict(catalog.status(s)) for s in specs], indent=2))
        return
    width = max(len(s.name) for s in specs) if specs else 4
    for s in map(catalog.status, specs):
        where = "ready" if s.cached else "not downloaded"
        print(f"{s.name:<{width}}  {s.task:<8}  {s.arch:<15}  {where:<14}  {s.source}")


def cmd_models_download(args):
    spec = catalog.find(args.name)
    resolved = hub.resolve(spec, progress=None)
    print(f"{spec.name}: {resolved.folder}")


def cmd_models_add(args):
    spec = catalog.add(args.repo)
    print(f"{spec.name}: added as a {spec.task} model")


def cmd_models_delete(args):
    print(f"{args.name}: deleted, {catalog.delete(args.name):.1f} MB freed")


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


def cmd_text(args):
    from .pipelines.sampling import SamplingSettings
    from .pipelines.text import generate_text

    settings = SamplingSettings(args.temperature, args.top_k, args.top_p, args.min_p, args.repetition_penalty)
    shown = ""
    for update in generate_text(args.model, args.prompt, args.max_new_tokens, settings, args.seed, args.stop, args.n,
                                not args.no_chat):
        if args.n == 1 and not args.json:  # one completion streams as it is written
            print(update.texts[0][len(shown):], end="", flush=True)
            shown = update.texts[0]
    if args.json:
        print(json.dumps({"texts": update.texts, "notice": update.notice, "record": update.record}, indent=2,
                         ensure_ascii=False))
        return
    if args.n > 1:
        print("\n\n".join(f"[{i + 1}] {t}" for i, t in enumerate(update.texts)), end="")
    print()
    note = f"{update.notice} " if update.notice else ""
    print(f"{note}{update.tokens} tokens, {update.tokens_per_second:.1f} tokens/s", file=sys.stderr)


def cmd_stylize(args):
    from .pipelines.images import open_image
    from .pipelines.style import StyleSettings, stylize

    content = open_image(args.content)
    styles = [open_image(p) for p in args.style]
    settings = StyleSettings(size=args.size, strength=args.strength, preserve_colors=args.preserve_colors,
                             style_weights=args.weights, steps=args.steps, content_weight=args.content_weight,
                             style_weight=args.style_weight, tv_weight=args.tv_weight, seed=args.seed)
    mask = open_image(args.mask) if args.mask else None
    for update in stylize(args.method, content, styles, settings, mask):
        if update.steps > 1:
            print(f"step {update.step}/{update.steps}", file=sys.stderr)
    if update.notice:
        print(update.notice, file=sys.stderr)
    print(update.artwork().save(Path(args.out)))


def cmd_inpaint(args):
    from .pipelines.images import open_image
    from .pipelines.inpaint import InpaintSettings, inpaint

    settings = InpaintSettings(args.grow, args.feather, not args.whole_image, args.seed)
    art, notice = inpaint(args.model, open_image(args.image), open_image(args.mask), settings)
    if notice:
        print(notice, file=sys.stderr)
    print(art.save(Path(args.out)))


def cmd_restore(args):
    from .pipelines.images import open_image
    from .pipelines.restore import restore

    art, notice = restore(args.model, open_image(args.image), args.noise_level)
    if notice:
        print(notice, file=sys.stderr)
    print(art.save(Path(args.out)))



def parse_settings(pairs: list[str]) -> dict:
    """['seed=3', 'label=mandala'] -> {'seed': 3, 'label': 'mandala'}: a value is JSON where it reads as JSON."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise GenartError(f"Write each setting as name=value; got {pair!r}.")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def print_cells(rows: list[dict]):
    for row in rows:
        memory = "" if row["peak_memory_mb"] is None else f"  {row['peak_memory_mb']:>8.1f} MB"
        value = "".join(f"  {k}={v}" for k, v in row.items() if k not in ("model", "seconds", "peak_memory_mb",
                                                                           "texts", "error"))
        outcome = row.get("error") or " | ".join(row.get("texts") or [])
        print(f"{row['model']:<24}{value}  {row['seconds']:>8.3f} s{memory}  {outcome}".rstrip())


def write_comparison(c, out: Path):
    from .pipelines.compare import grid_artwork, zip_bytes

    out.mkdir(parents=True, exist_ok=True)
    grid_artwork(c).save(out / "grid.png")
    (out / "compare.zip").write_bytes(zip_bytes(c))
    print_cells([cell.summary(c.sweep) for cell in c.cells])
    print(out / "grid.png")
    print(out / "compare.zip")


def cmd_compare(args):
    from .pipelines.compare import compare, parse_values, task_inputs
    from .pipelines.images import open_image

    image, mask, style = (open_image(path) if path else None for path in (args.image, args.mask, args.style))
    *_, c = compare(args.task, args.models, parse_settings(args.set), task_inputs(args.task, image, mask, style),
                    args.sweep, parse_values(args.task, args.sweep, args.values))
    write_comparison(c, Path(args.out))


def cmd_replay(args):
    from .pipelines.compare import Comparison
    from .pipelines.remake import remake_file, verdict
    from .replay import Animation

    source = Path(args.file)
    record, output = remake_file(source)
    print(verdict(source, output), file=sys.stderr)
    if isinstance(output, Comparison):
        write_comparison(output, Path(args.out or source.with_name(source.stem + "-replay")))
        return
    if isinstance(output, Animation):
        print(output.save(Path(args.out or source.with_name(source.stem + "-replay" + source.suffix.lower()))))
        return
    if output.image is None:
        out = Path(args.out or source.with_name(source.stem + "-replay.json"))
        out.write_text(output.text_json())
        print("\n\n".join(output.texts))
    else:
        out = output.artwork().save(Path(args.out or source.with_name(source.stem + "-replay.png")))
    print(out)


def cmd_serve(args):
    from .ui import launch

    launch(args.host, args.port, args.share, True if args.public else None)


def cmd_bench(args):
    from .bench import run

    run(args.task)


def cmd_space_export(args):
    from .space import export

    print(f"{export(args.dir)}: push this folder to a Space (see the README's 'Run it as a Space').")


def cmd_train(args):
    import importlib

    if args.model not in TRAINABLE:
        raise GenartError(f"No training script for {args.model!r}; trainable: {', '.join(TRAINABLE)}.")
    script, fixed = TRAINABLE[args.model]
    importlib.import_module(script).main([*fixed, *args.rest])


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
    add = models.add_parser("add", help="download a Hub repo, detect its architecture, list it from now on")
    add.add_argument("repo", help="org/name or hf-hub:org/name@revision")
    add.set_defaults(func=cmd_models_add)
    rm = models.add_parser("delete", help="remove a downloaded model's files from the cache")
    rm.add_argument("name")
    rm.set_defaults(func=cmd_models_delete)

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

    text = sub.add_parser("text", help="continue a prompt with a language model, streamed to stdout")
    text.add_argument("--model", default="text-art")
    text.add_argument("--prompt", required=True)
    text.add_argument("--max-new-tokens", type=int, default=64)
    text.add_argument("--seed", type=int, default=0)
    text.add_argument("--temperature", type=float, default=0.8, help="0 = greedy")
    text.add_argument("--top-k", type=int, default=0, help="0 = off")
    text.add_argument("--top-p", type=float, default=1.0, help="1 = off")
    text.add_argument("--min-p", type=float, default=0.0, help="0 = off")
    text.add_argument("--repetition-penalty", type=float, default=1.0, help="1 = off")
    text.add_argument("--stop", action="append", default=[], help="a stop string; repeat for more")
    text.add_argument("--n", type=int, default=1, help="completions")
    text.add_argument("--no-chat", action="store_true", help="do not apply an instruct model's chat template")
    text.add_argument("--json", action="store_true", help="print the completions and the replay record as JSON")
    text.set_defaults(func=cmd_text)

    inp = sub.add_parser("inpaint", help="fill the white part of a mask; writes a PNG with its replay record")
    inp.add_argument("--model", default="inpaint-art")
    inp.add_argument("--image", required=True)
    inp.add_argument("--mask", required=True, help="white (or opaque, for a transparent PNG) = fill")
    inp.add_argument("--grow", type=int, default=0, help="pixels; negative shrinks")
    inp.add_argument("--feather", type=int, default=4)
    inp.add_argument("--whole-image", action="store_true", help="run the model on the whole image, not a crop")
    inp.add_argument("--seed", type=int, default=0)
    inp.add_argument("--out", default="inpainted.png")
    inp.set_defaults(func=cmd_inpaint)

    res = sub.add_parser("restore", help="remove noise or salt-and-pepper impulses")
    res.add_argument("--model", default="denoise-art",
                     help="denoise-art, impulse-inpaint, median-filter, gaussian-filter, bilateral-filter")
    res.add_argument("--image", required=True)
    res.add_argument("--noise-level", type=float, default=25, help="Gaussian sigma, 0-255")
    res.add_argument("--out", default="restored.png")
    res.set_defaults(func=cmd_restore)

    sty = sub.add_parser("stylize", help="neural style transfer; writes a PNG with its replay record")
    sty.add_argument("--method", default="fast-stained-glass", help="a style model: gatys-random, gatys-vgg19, adain, fast-...")
    sty.add_argument("--content", required=True)
    sty.add_argument("--style", action="append", default=[], help="a style image; repeat for up to 4")
    sty.add_argument("--weights", type=float, nargs="+", default=None, help="one weight per style image")
    sty.add_argument("--mask", default=None, help="AdaIN spatial control: white where the first style goes")
    sty.add_argument("--size", type=int, default=512, help="longest side of the output")
    sty.add_argument("--strength", type=float, default=1.0)
    sty.add_argument("--preserve-colors", action="store_true")
    sty.add_argument("--steps", type=int, default=200, help="Gatys")
    sty.add_argument("--content-weight", type=float, default=1.0, help="Gatys")
    sty.add_argument("--style-weight", type=float, default=10.0, help="Gatys")
    sty.add_argument("--tv-weight", type=float, default=1.0, help="Gatys")
    sty.add_argument("--seed", type=int, default=0)
    sty.add_argument("--out", default="stylized.png")
    sty.set_defaults(func=cmd_stylize)

    cmp = sub.add_parser("compare", help="several models on one input, a grid of their outputs with time and memory")
    cmp.add_argument("--task", required=True, choices=TASKS)
    cmp.add_argument("--models", nargs="+", required=True)
    cmp.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                     help="settings shared by every cell, e.g. seed=3 label=mandala prompt='«Quiet'")
    cmp.add_argument("--sweep", help="a setting to vary: one row per value")
    cmp.add_argument("--values", default="", help="the swept setting's values, comma-separated")
    cmp.add_argument("--image", help="inpaint and restore: the image; style: the content")
    cmp.add_argument("--mask", help="inpaint: white = fill")
    cmp.add_argument("--style", help="style: the style image")
    cmp.add_argument("--out", default="compare", help="folder for grid.png and compare.zip")
    cmp.set_defaults(func=cmd_compare)

    rep = sub.add_parser("replay", help="make a file genart wrote again, with every setting it was made with")
    rep.add_argument("file", help="a PNG genart wrote (an output or a Compare grid), an interpolation's WebP or GIF, "
                                  "or a text output's .json")
    rep.add_argument("--out", help="where to write the remake (default: beside the file, -replay added)")
    rep.set_defaults(func=cmd_replay)

    serve = sub.add_parser("serve", help="start the web app")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--share", action="store_true")
    serve.add_argument("--public", action="store_true", help="serve in public mode even on loopback (see SECURITY.md)")
    serve.set_defaults(func=cmd_serve)

    bench = sub.add_parser("bench", help="print speed tables")
    bench.add_argument("task", nargs="?", default=None)
    bench.set_defaults(func=cmd_bench)

    train = sub.add_parser("train", help="train a shipped model (arguments after the name go to its script)")
    train.add_argument("model")
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(func=cmd_train)
    space = sub.add_parser("space", help="make a Hugging Face Space").add_subparsers(dest="space_command", required=True)
    export = space.add_parser("export", help="write the folder a Space runs as it is")
    export.add_argument("dir")
    export.set_defaults(func=cmd_space_export)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except GenartError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
