import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from genart import cli
from genart.data.procedural import render
from genart.models.transformer_net import TransformerNet
from genart.replay import read_record
from tests.checkpoints import bin_bytes, huggan_config, huggan_generator, safetensors_bytes

ROOT = Path(__file__).resolve().parent.parent


def genart(*args):
    return subprocess.run([sys.executable, "-m", "genart", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def in_process(capsys, *args) -> tuple[int, str]:
    """The same command run in this process, where a new process's imports would cost seconds a case: -> (exit
    status, what it wrote to stderr)."""
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:  # argparse's refusals
        code = exit_.code
    return code, capsys.readouterr().err


def assert_refused(code: int, stderr: str, words: str):
    assert code == 2 and words in stderr and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1


def test_generate_writes_pngs_with_the_replay_record(tmp_path):
    done = genart("generate", "--model", "dcgan-art-64", "--label", "mandala", "--seed", "42", "--n", "3",
                  "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    files = sorted(tmp_path.iterdir())
    assert [f.name for f in files] == ["42-0.png", "42-1.png", "42-2.png"]
    record = read_record(files[2])
    assert record["model"] == "dcgan-art-64" and record["seed"] == 42 and record["index"] == 2
    assert record["label"] == "mandala" and len(record["weights_sha256"]) == 64


def test_bad_input_exits_2_with_one_sentence(tmp_path, capsys):
    done = genart("generate", "--model", "nope", "--out", str(tmp_path))  # the real command's exit status
    assert_refused(done.returncode, done.stderr, "Unknown model 'nope'")
    for args, words in [(("generate", "--n", "500", "--out", str(tmp_path)), "Batch size must be from 1 to 64"),
                        (("generate", "--label", "cubism", "--out", str(tmp_path)), "makes these classes")]:
        assert_refused(*in_process(capsys, *args), words)
    assert list(tmp_path.iterdir()) == []


def test_models_list_json_and_task_filter():
    done = genart("models", "list", "--task", "generate", "--json")
    assert done.returncode == 0
    rows = json.loads(done.stdout)
    assert {r["name"] for r in rows} == {"dcgan-art-64", "vae-art-64", "procedural-art", "biggan-deep-128",
                                        "biggan-deep-256", "biggan-deep-512", "progan-celebahq-256",
                                        "progan-celebahq-512", "progan-dtd", "stylegan2-metfaces", "stylegan2-afhqcat",
                                        "stylegan2-cifar10"}
    assert all(r["task"] == "generate" for r in rows)


def test_models_download_fetches_a_hub_repo(hub_server):
    model = huggan_generator(seed=11)
    sha = hub_server.repos.commit("huggan/cli-download", {"config.json": huggan_config(model),
                                                          "model.safetensors": safetensors_bytes(model)})
    done = genart("models", "download", "hf-hub:huggan/cli-download")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(sha)


def test_models_download_offline_says_what_to_do():
    done = genart("models", "download", "hf-hub:huggan/not-reachable")
    assert done.returncode == 2
    assert "cannot be reached" in done.stderr


def test_interpolate_writes_an_animation_with_its_record(tmp_path):
    out = tmp_path / "walk.gif"
    done = genart("interpolate", "--label", "landscape", "--seed-a", "1", "--seed-b", "2", "--frames", "5",
                  "--out", str(out))
    assert done.returncode == 0, done.stderr
    from PIL import Image
    with Image.open(out) as gif:
        assert gif.n_frames == 5
    assert read_record(out)["seed_b"] == 2
    done = genart("replay", str(out))
    assert done.returncode == 0, done.stderr
    assert "all 5 frames pixel for pixel the same" in done.stderr
    assert (tmp_path / "walk-replay.gif").read_bytes() == out.read_bytes()
    done = genart("replay", str(out), "--out", str(tmp_path / "walk.png"))
    assert done.returncode == 2 and "name the file .webp or .gif" in done.stderr


def test_text_streams_a_completion_and_records_how_to_replay_it():
    done = genart("text", "--model", "text-art", "--prompt", "«Quiet", "--max-new-tokens", "30", "--temperature", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and "tokens/s" in done.stderr
    again = genart("text", "--model", "text-art", "--prompt", "«Quiet", "--max-new-tokens", "30", "--temperature", "0",
                   "--json")
    result = json.loads(again.stdout)
    assert result["texts"] == [done.stdout.rstrip("\n")]  # greedy: the same text both times
    assert result["record"]["temperature"] == 0 and len(result["record"]["weights_sha256"]) == 64
    int8 = genart("text", "--model", "text-art-lstm", "--prompt", "«Quiet", "--max-new-tokens", "30", "--precision",
                  "int8", "--json")
    assert int8.returncode == 0, int8.stderr
    assert json.loads(int8.stdout)["record"]["precision"] == "int8"


def test_text_bad_input_exits_2_with_one_sentence(capsys):
    done = genart("text", "--prompt", "")
    assert_refused(done.returncode, done.stderr, "The prompt is empty")
    for args, words in [(("--prompt", "«Quiet", "--max-new-tokens", "0"), "Max new tokens must be from 1 to 2048"),
                        (("--prompt", "«Quiet", "--top-p", "0"), "Top-p must be from 0.01 to 1.0"),
                        (("--prompt", "«Quiet", "--model", "dcgan-art-64"), "is for the generate task"),
                        (("--prompt", "«Quiet", "--precision", "fp8"), "There is no precision 'fp8'")]:
        assert_refused(*in_process(capsys, "text", *args), words)


def test_stylize_writes_a_png_with_its_record(tmp_path):
    content, style = tmp_path / "content.png", tmp_path / "style.jpg"
    render("landscape", 2, 96).save(content)
    render("mandala", 4, 64).convert("RGB").save(style)
    out = tmp_path / "out.png"
    done = genart("stylize", "--method", "gatys-random", "--content", str(content), "--style", str(style),
                  "--size", "64", "--steps", "4", "--out", str(out))
    assert done.returncode == 0, done.stderr
    record = read_record(out)
    assert record["task"] == "style" and record["model"] == "gatys-random" and record["steps"] == 4
    assert Image.open(out).size == (64, 64)


def test_stylize_bad_files_exit_2_with_one_sentence(tmp_path, capsys):
    text, picture = tmp_path / "notes.txt", tmp_path / "picture.png"
    text.write_text("not a picture")
    render("landscape", 2, 64).save(picture)
    done = genart("stylize", "--content", str(tmp_path / "missing.png"), "--out", str(tmp_path / "x.png"))
    assert_refused(done.returncode, done.stderr, "There is no file")
    for args, words in [(("--content", str(text)), "is not an image file"),
                        (("--content", str(picture), "--method", "nope"), "Unknown model 'nope'"),
                        (("--content", str(picture), "--method", "gatys-random"), "needs a style image")]:
        assert_refused(*in_process(capsys, "stylize", *args, "--out", str(tmp_path / "x.png")), words)
    assert not (tmp_path / "x.png").exists()


def image_and_mask(folder: Path, name: str, seed: int, hole: tuple[int, int, int, int]) -> tuple[Path, Path]:
    """A 96 px procedural image and a mask with one white box, as files."""
    image, mask = folder / "image.png", folder / "mask.png"
    render(name, seed, 96).save(image)
    box = Image.new("L", (96, 96), 0)
    box.paste(255, hole)
    box.save(mask)
    return image, mask


def test_inpaint_and_restore_write_pngs_with_records(tmp_path):
    image, mask = image_and_mask(tmp_path, "mondrian", 3, (30, 30, 60, 60))
    done = genart("inpaint", "--model", "telea", "--image", str(image), "--mask", str(mask), "--out", str(tmp_path / "a.png"))
    assert done.returncode == 0, done.stderr
    assert read_record(tmp_path / "a.png")["model"] == "telea"
    done = genart("restore", "--model", "median-filter", "--image", str(image), "--out", str(tmp_path / "b.png"))
    assert done.returncode == 0, done.stderr
    assert read_record(tmp_path / "b.png")["task"] == "restore"
    done = genart("restore", "--model", "telea", "--image", str(image), "--out", str(tmp_path / "c.png"))
    assert done.returncode == 2 and "is for the inpaint task, not restore" in done.stderr


def test_compare_writes_a_grid_and_a_zip_and_prints_each_cell(tmp_path):
    done = genart("compare", "--task", "generate", "--models", "dcgan-art-64", "procedural-art", "--set", "label=mandala",
                  "--sweep", "seed", "--values", "1,2", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.split()[:2] for line in lines[:4]] == [["dcgan-art-64", "seed=1"], ["procedural-art", "seed=1"],
                                                         ["dcgan-art-64", "seed=2"], ["procedural-art", "seed=2"]]
    assert read_record(tmp_path / "grid.png")["values"] == [1, 2]
    assert (tmp_path / "compare.zip").stat().st_size > 1000
    done = genart("compare", "--task", "generate", "--models", "dcgan-art-64", "--sweep", "seed", "--values", "a",
                  "--out", str(tmp_path))
    assert done.returncode == 2 and "must be int numbers" in done.stderr


def test_replay_remakes_an_inpainted_png_from_the_file_alone(tmp_path):
    image, mask = image_and_mask(tmp_path, "geometric", 4, (20, 40, 70, 60))
    done = genart("inpaint", "--model", "inpaint-art", "--image", str(image), "--mask", str(mask), "--grow", "4",
                  "--out", str(tmp_path / "filled.png"))
    assert done.returncode == 0, done.stderr
    image.unlink()
    mask.unlink()
    done = genart("replay", str(tmp_path / "filled.png"))
    assert done.returncode == 0, done.stderr
    assert "pixel for pixel the same" in done.stderr
    again = tmp_path / "filled-replay.png"
    assert Image.open(again).tobytes() == Image.open(tmp_path / "filled.png").tobytes()
    assert read_record(again)["grow"] == 4
    done = genart("replay", str(image))
    assert done.returncode == 2 and "There is no file" in done.stderr


def test_generate_without_a_class_draws_the_models_default_class(tmp_path):
    done = genart("generate", "--model", "dcgan-art-64", "--seed", "1", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (made,) = tmp_path.iterdir()
    assert read_record(made)["label"] == "landscape"  # dcgan-art-64's registry default; one image unless --n


def test_stylize_runs_a_hub_fast_style_network(hub_server, tmp_path):
    """A pytorch/examples TransformerNet checkpoint (a bare state dict) named hf-hub:org/name: its architecture is
    detected from its keys, so it paints without a style image, and one given is set aside with a notice."""
    torch.manual_seed(3)
    net = TransformerNet().eval()
    hub_server.repos.commit("someone/cli-candy", {"model.pth": bin_bytes(net)})
    content, style, out = tmp_path / "content.png", tmp_path / "style.png", tmp_path / "out.png"
    render("landscape", 2, 64).save(content)
    render("mandala", 4, 64).save(style)
    done = genart("stylize", "--method", "hf-hub:someone/cli-candy", "--content", str(content), "--size", "64",
                  "--out", str(out))
    assert done.returncode == 0, done.stderr
    record = read_record(out)
    assert record["model"] == "hf-hub:someone/cli-candy" and record["repo_id"] == "someone/cli-candy"
    with torch.no_grad():
        x = torch.from_numpy(np.asarray(render("landscape", 2, 64).convert("RGB"), dtype=np.float32)).permute(2, 0, 1)
        expected = (net(x[None]) / 255).clamp(0, 1)[0].permute(1, 2, 0).mul(255).round().numpy()  # (H, W, 3)
    assert np.abs(np.asarray(Image.open(out).convert("RGB"), dtype=np.float32) - expected).max() <= 1
    done = genart("stylize", "--method", "hf-hub:someone/cli-candy", "--content", str(content), "--style", str(style),
                  "--size", "64", "--out", str(out))
    assert done.returncode == 0 and "style images are not used" in done.stderr
