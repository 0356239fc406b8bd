"""What each `python -m genart` command does: the same pipeline functions the app calls."""
import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from . import catalog, hub
from .cli_flags import given_settings
from .errors import GenartError
from .registry import list_models

# model -> (training script, the arguments that make that model; later ones on the command line override them)
TRAINABLE = {
    "text2art-64": ("genart.train.text2art", []),
    "dcgan-art-64": ("genart.train.dcgan", []),
    "vae-art-64": ("genart.train.vae", ["--out", "weights/vae-art-64"]),
    "text-art": ("genart.train.text_lm", ["--arch", "gpt2", "--out", "weights/text-art"]),
    "text-art-lstm": ("genart.train.text_lm", ["--arch", "lstm", "--out", "weights/text-art-lstm"]),
    "text-art-vae": ("genart.train.sentence_vae", ["--out", "weights/text-art-vae"]),
    "inpaint-art": ("genart.train.inpaint", ["--out", "weights/inpaint-art"]),
    "denoise-art": ("genart.train.denoise", ["--out", "weights/denoise-art"]),
    "fast-stained-glass": ("genart.train.fast_style", ["--style-class", "stained_glass", "--style-seed", "7",
                                                       "--style-weight", "30", "--out", "weights/fast-stained-glass"]),
    "fast-flow-field": ("genart.train.fast_style", ["--style-class", "flow_field", "--style-seed", "3",
                                                    "--out", "weights/fast-flow-field"]),
    "melody-lstm": ("genart.train.melody_lm", ["--arch", "lstm", "--out", "weights/melody-lstm"]),
    "melody-transformer": ("genart.train.melody_lm", ["--arch", "gpt2", "--width", "128",
                                                      "--out", "weights/melody-transformer"]),
    "audio-repair-vae": ("genart.train.repair_vae", ["--out", "weights/audio-repair-vae"]),
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


def kept(*paths: Path):
    """What a command wrote goes into the local history too, as what the app makes does; -> the path(s)."""
    import sqlite3

    from .history import LOCAL, keep

    try:
        keep(list(paths), LOCAL)
    except (OSError, sqlite3.Error) as err:  # the files are written; the history is a copy
        print(f"(not kept in the history: {err})", file=sys.stderr)
    return paths[0] if len(paths) == 1 else paths


def kept_text(update) -> None:
    """A text command prints its texts and writes no file: the history keeps them as a text output's .json."""
    from .replay import text_json

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "texts.json"
        path.write_text(text_json(update.record, update.texts))
        kept(path)


def settings(task: str, model: str, args):
    """The task's settings for the model from the flags given (the rest: the model's registry defaults, else the
    dataclass's)."""
    from .pipelines.runner import settings_for
    from .pipelines.runner import task as declared

    return settings_for(task, model, given_settings(args, declared(task).settings))


def cmd_generate(args):
    from .pipelines.generate import generate

    s = settings("generate", args.model, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = [art.save(out / f"{s.seed}-{art.record['index']}.png") for art in generate(args.model, s)]
    print(*paths, sep="\n")
    kept(*paths)


def cmd_imagine(args):
    from .pipelines.imagine import imagine

    if args.words is not None:
        args.prompt = args.words
    s = settings("imagine", args.model, args)
    for update in imagine(args.model, s):
        if update.steps > 1:
            print(f"step {update.step}/{update.steps}", file=sys.stderr)
    if update.notice:
        print(update.notice, file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for art in update.artworks:
        path = art.save(out / f"{s.seed}-{art.record['index']}.png")
        print(f"{path}  CLIP score {art.record['clip_score']:.1f}" if "clip_score" in art.record else path)
        kept(path)


def cmd_imagine_walk(args):
    from .pipelines.imagine_walk import imagine_walk

    print(kept(imagine_walk(args.model, settings("imagine_walk", args.model, args)).save(Path(args.out))))


def cmd_interpolate(args):
    from .pipelines.images import open_image
    from .pipelines.interpolate import interpolate

    image_a, image_b = (open_image(path) if path else None for path in (args.image_a, args.image_b))
    animation = interpolate(args.model, settings("interpolate", args.model, args), image_a=image_a, image_b=image_b)
    print(kept(animation.save(Path(args.out))))


def cmd_mix(args):
    from .pipelines.style_mixing import mix

    print(kept(mix(args.model, settings("mix", args.model, args)).save(Path(args.out))))


def cmd_project(args):
    from .pipelines.images import open_image
    from .pipelines.projection import project

    for update in project(args.model, open_image(args.image), settings("project", args.model, args)):
        if update.step:
            print(f"step {update.step}/{update.steps}: perceptual distance {update.distance:.4f}", file=sys.stderr)
    print(kept(update.artwork.save(Path(args.out))))


def cmd_encode(args):
    from .pipelines.encode import encode
    from .pipelines.images import open_image

    art, notice = encode(args.model, open_image(args.image), settings("encode", args.model, args))
    print(notice, file=sys.stderr)
    print(kept(art.save(Path(args.out))))


def streamed(updates, show: bool):
    """Prints the first text as it is written (when `show`); -> the last update."""
    shown = ""
    for update in updates:
        if show:
            print(update.texts[0][len(shown):], end="", flush=True)
            shown = update.texts[0]
    return update


def cmd_text(args):
    from .pipelines.text import generate_text

    if args.reconstruct or args.between:
        return sentence_vae_text(args)
    s = settings("text", args.model, args)
    update = streamed(generate_text(args.model, s), show=s.n == 1 and not args.json)  # one completion streams
    kept_text(update)
    if args.json:
        print(json.dumps({"texts": update.texts, "notice": update.notice, "record": update.record}, indent=2,
                         ensure_ascii=False))
        return
    if s.n > 1:
        print("\n\n".join(f"[{i + 1}] {t}" for i, t in enumerate(update.texts)), end="")
    print()
    note = f"{update.notice} " if update.notice else ""
    print(f"{note}{update.tokens} tokens, {update.tokens_per_second:.1f} tokens/s", file=sys.stderr)


def sentence_vae_text(args):
    """text --reconstruct / --between: the sentence VAE's own actions, printed a line at a time."""
    from .pipelines import sentence_vae

    if args.between:
        given = argparse.Namespace(**vars(args), sentence_a=args.between[0], sentence_b=args.between[1])
        updates = sentence_vae.between(args.model, settings("between", args.model, given))
    else:
        given = argparse.Namespace(sentence=getattr(args, "prompt", ""))
        updates = sentence_vae.reconstruct(args.model, settings("reconstruct", args.model, given))
    update = streamed(updates, show=not args.json)
    kept_text(update)
    if args.json:
        print(json.dumps({"texts": update.texts, "notice": update.notice, "record": update.record}, indent=2,
                         ensure_ascii=False))
        return
    print()
    print(update.notice, file=sys.stderr)


def cmd_chat(args):
    from .pipelines.chat import chat

    update = streamed(chat(args.model, settings("chat", args.model, args)), show=not args.json)
    kept_text(update)
    if args.json:
        print(json.dumps({"reply": update.texts[0], "notice": update.notice, "record": update.record}, indent=2,
                         ensure_ascii=False))
        return
    print()
    if update.notice:
        print(update.notice, file=sys.stderr)


def cmd_stylize(args):
    from .pipelines.images import open_image
    from .pipelines.style import stylize

    content = open_image(args.content)
    styles = [open_image(p) for p in args.style]
    mask = open_image(args.mask) if args.mask else None
    for update in stylize(args.method, content, styles, settings("style", args.method, args), mask):
        if update.steps > 1:
            print(f"step {update.step}/{update.steps}", file=sys.stderr)
    if update.notice:
        print(update.notice, file=sys.stderr)
    print(kept(update.artwork().save(Path(args.out))))


def cmd_inpaint(args):
    from .pipelines.images import open_image
    from .pipelines.inpaint import inpaint

    s = settings("inpaint", args.model, args)
    art, notice = inpaint(args.model, open_image(args.image), open_image(args.mask), s)
    if notice:
        print(notice, file=sys.stderr)
    print(kept(art.save(Path(args.out))))


def cmd_restore(args):
    from .pipelines.images import open_image
    from .pipelines.restore import restore

    art, notice = restore(args.model, open_image(args.image), settings("restore", args.model, args))
    if notice:
        print(notice, file=sys.stderr)
    print(kept(art.save(Path(args.out))))


def cmd_melody(args):
    """The melody as OUT (a .wav), with OUT's .mid and .png beside it; the piano roll's growth on stderr."""
    from .audio.events import STEPS_PER_BAR
    from .pipelines.melody import generate_melody

    out = Path(args.out)
    if out.suffix.lower() != ".wav":
        raise GenartError(f"--out names the WAV file (tune.wav); its .mid and .png go beside it, not {out.name}.")
    s = settings("melody", args.model, args)
    for update in generate_melody(args.model, s):
        print(f"bar {update.steps // STEPS_PER_BAR}/{s.bars}", file=sys.stderr)
    sound = update.output.sound
    print(*kept(sound.save(out), sound.save(out.with_suffix(".mid")),
                update.output.artwork().save(out.with_suffix(".png"))), sep="\n")


def cmd_repair(args):
    from .pipelines.repair import read_clip, repair

    out = Path(args.out)
    if out.suffix.lower() != ".wav":
        raise GenartError(f"--out names the repaired WAV file (repaired.wav); its .png goes beside it, not {out.name}.")
    source = Path(args.audio)
    if not source.is_file():
        raise GenartError(f"There is no file {source}.")
    output = repair(args.model, read_clip(source.read_bytes()), settings("repair", args.model, args))
    if output.notice:
        print(output.notice, file=sys.stderr)
    print(*kept(output.sound.save(out), output.artwork().save(out.with_suffix(".png"))), sep="\n")


def cmd_batch(args) -> int:
    """Every input through the task with a progress bar; -> 1 when some failed (each listed), 130 when Ctrl-C
    stopped it, else 0."""
    from tqdm import tqdm

    from .pipelines import batch
    from .pipelines.images import open_image
    from .pipelines.runner import task as declared

    t = declared(args.task)
    shared = {name: open_image(getattr(args, name)) for name in t.inputs
              if name != t.batch_over and getattr(args, name, None)}
    items = batch.folder_items(Path(args.source))
    batch.check_size(items, None, None)
    out, done = Path(args.out), []
    try:
        for d in tqdm(batch.run_batch(args.task, args.model, given_settings(args, t.settings), items, shared, out),
                      total=len(items), unit="input"):
            done.append(d)
    except KeyboardInterrupt:  # Ctrl-C: what is done is logged, and the same command goes on from there
        print(f"\nstopped after {len(done)} of {len(items)} inputs; run the same command again to go on.",
              file=sys.stderr)
        return 130
    made, skipped, failed, notices = batch.tally(done)
    for d in failed:
        print(f"failed: {d.item}: {d.error}", file=sys.stderr)
    for notice, n in notices.items():
        print(f"{n} input(s): {notice}", file=sys.stderr)
    print(f"{made} outputs made, {skipped} skipped (done before), {len(failed)} failed; log {out / batch.LOG}",
          file=sys.stderr)
    print(batch.contact_sheet(out, done))
    return 1 if failed else 0


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
    from .pipelines.compare_grid import grid_artwork, zip_bytes

    out.mkdir(parents=True, exist_ok=True)
    kept(grid_artwork(c).save(out / "grid.png"))
    (out / "compare.zip").write_bytes(zip_bytes(c))
    print_cells([cell.summary(c.sweep) for cell in c.cells])
    print(out / "grid.png")
    print(out / "compare.zip")


def cmd_compare(args):
    from .pipelines.compare import compare, parse_values, task_inputs
    from .pipelines.images import open_image
    from .pipelines.repair import read_clip

    image, mask, style = (open_image(path) if path else None for path in (args.image, args.mask, args.style))
    audio = read_clip(Path(args.audio).read_bytes()) if args.audio else None
    *_, c = compare(args.task, args.models, parse_settings(args.set), task_inputs(args.task, image, mask, style, audio),
                    args.sweep, parse_values(args.task, args.sweep, args.values), describe=args.describe)
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
    if output.sound is not None:
        suffix = source.suffix.lower() if source.suffix.lower() in (".wav", ".mid", ".midi") else ".wav"
        out = output.sound.save(Path(args.out or source.with_name(source.stem + "-replay" + suffix)))
    elif output.image is None:
        out = Path(args.out or source.with_name(source.stem + "-replay.json"))
        out.write_text(output.text_json())
        print("\n\n".join(output.texts))
    else:
        out = output.artwork().save(Path(args.out or source.with_name(source.stem + "-replay.png")))
    print(out)


def cmd_arena_leaderboard(args):
    from .arena import standings

    table = standings(args.task)
    if args.json:
        print(json.dumps([dataclasses.asdict(s) for s in table], indent=2))
        return
    if not table:
        print(f"No votes for {args.task} yet.")
        return
    width = max(len(s.model) for s in table)
    print(f"{'#':>2}  {'model':<{width}}  {'rating':>6}  {'95% interval':>13}  {'votes':>5}  win rate")
    for i, s in enumerate(table, 1):
        print(f"{i:>2}  {s.model:<{width}}  {s.rating:>6.0f}  {s.low:>6.0f}-{s.high:<6.0f}  {s.votes:>5}  "
              f"{100 * s.win_rate:>7.0f}%")


def cmd_arena_export(args):
    from .arena import vote_lines

    for line in vote_lines(args.task):
        print(line)


def cmd_history_list(args):
    from .history import search

    for e in search(None, task=args.task, words=args.words, per_page=args.n).entries:
        print(f"{e.id:>6}  {e.when}  {e.task:<10}  {e.model:<20}  {e.path}  {e.prompt[:60]}")


def cmd_serve(args):
    from .ui import launch

    launch(args.host, args.port, args.share, True if args.public else None, True if args.mcp else None)


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
