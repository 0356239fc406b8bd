"""Compare (models side by side, a swept parameter, time and memory) and Replay (a saved file made again)."""
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from genart.data.procedural import render
from genart.errors import GenartError
from genart.pipelines.compare import checked_models, compare, parse_values
from genart.pipelines.compare_grid import grid_artwork, zip_bytes
from genart.pipelines.generate import GenerateSettings, generate
from genart.pipelines.remake import open_saved, remake, remake_file, verdict
from genart.pipelines.text import TextSettings, complete
from genart.replay import read_inputs, read_record
from tests.checkpoints import huggan_config, huggan_generator, safetensors_bytes


def last(comparisons):
    *_, c = comparisons
    return c


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def hole_mask(size=96) -> Image.Image:
    mask = np.zeros((size, size), np.uint8)
    mask[30:60, 20:70] = 255
    return Image.fromarray(mask)


def test_generate_grid_has_a_cell_per_model_and_seed_equal_to_a_plain_run():
    c = last(compare("generate", ["dcgan-art-64", "procedural-art"], {"label": "mandala"}, {}, "seed", [4, 9]))
    assert [(cell.model, cell.value) for cell in c.cells] == [
        ("dcgan-art-64", 4), ("procedural-art", 4), ("dcgan-art-64", 9), ("procedural-art", 9)]
    for cell in c.cells:
        assert not cell.error and cell.usage.seconds > 0 and cell.usage.peak_bytes > 10 * 2**20
        plain = generate(cell.model, GenerateSettings(seed=cell.value, label="mandala"))[0]
        assert np.array_equal(pixels(cell.output.image), pixels(plain.image))
        assert cell.output.record["seed"] == cell.value
    grid = grid_artwork(c).image
    assert grid.width > 2 * 256 and grid.height > 2 * 256  # two columns and two rows of 256 px cells, with labels


def test_zip_holds_the_grid_every_cell_with_its_record_and_the_timings():
    c = last(compare("generate", ["dcgan-art-64", "procedural-art"], {"label": "landscape"}, {}, "truncation", [1.0, 2.0]))
    with zipfile.ZipFile(io.BytesIO(zip_bytes(c))) as z:
        names = sorted(z.namelist())
        assert names == ["cells.json", "grid.png", "r1-c1-dcgan-art-64.png", "r1-c2-procedural-art.png",
                         "r2-c1-dcgan-art-64.png", "r2-c2-procedural-art.png"]
        record = read_record(io.BytesIO(z.read("r2-c1-dcgan-art-64.png")))
        assert record["truncation"] == 2.0 and record["model"] == "dcgan-art-64"
        rows = json.loads(z.read("cells.json"))
        assert [r["truncation"] for r in rows] == [1.0, 1.0, 2.0, 2.0]
        assert all(r["seconds"] > 0 and r["peak_memory_mb"] > 10 for r in rows)
        assert read_record(io.BytesIO(z.read("grid.png")))["task"] == "compare"


def test_a_failing_cell_says_why_and_the_others_still_run():
    c = last(compare("generate", ["dcgan-art-64"], {"label": "geometric"}, {}, "truncation", [1.5, 99]))
    good, bad = c.cells
    assert not good.error and good.output.image.size == (64, 64)
    assert bad.output is None and "Truncation" in bad.error
    grid_artwork(c)  # the error is drawn in its cell


def test_an_unconditional_gan_beside_a_conditional_one_is_asked_for_no_class(hub_server, hub_repos):
    hub_repos.commit("huggan/plain", {"config.json": huggan_config(huggan_generator(seed=1)),
                                      "model.safetensors": safetensors_bytes(huggan_generator(seed=1))})
    c = last(compare("generate", ["dcgan-art-64", "hf-hub:huggan/plain"], {"label": "mandala"}, {}))
    assert [cell.error for cell in c.cells] == ["", ""]
    assert c.cells[1].output.record["label"] is None


def test_text_columns_share_the_seed():
    settings = {"prompt": "«", "max_new_tokens": 24, "n": 2}
    c = last(compare("text", ["text-art", "text-art-lstm"], settings, {}, "seed", [3]))
    for cell in c.cells:
        assert cell.output.texts == complete(cell.model, TextSettings(prompt="«", max_new_tokens=24, n=2, seed=3))
    assert grid_artwork(c).image.width > 2 * 300


def test_bad_comparisons_are_refused_with_a_sentence():
    with pytest.raises(GenartError, match="Pick at least one model"):
        checked_models("generate", [])
    with pytest.raises(GenartError, match="at most 6 models"):
        checked_models("generate", ["procedural-art"] * 7)
    with pytest.raises(GenartError, match="for the text task, not generate"):
        checked_models("generate", ["text-art"])
    with pytest.raises(GenartError, match="can sweep seed, label, truncation, size"):
        parse_values("generate", "steps", "1, 2")
    with pytest.raises(GenartError, match="must be int numbers"):
        parse_values("generate", "seed", "1, two")
    with pytest.raises(GenartError, match="at most 8 values"):
        parse_values("generate", "seed", ",".join(map(str, range(9))))
    assert parse_values("generate", "seed", "1; 2, 3.0") == [1, 2, 3]


def test_inpaint_output_carries_its_inputs_and_remakes_pixel_for_pixel(tmp_path):
    image = render("stained_glass", 5, 96)
    c = last(compare("inpaint", ["inpaint-art", "telea"], {"grow": 3}, {"image": image, "mask": hole_mask()}))
    path = c.cells[0].output.artwork().save(tmp_path / "filled.png")
    inputs = read_inputs(path)
    assert pixels(inputs["image"]).tolist() == pixels(image).tolist()
    assert np.asarray(inputs["mask"]).max() == 255 and np.asarray(inputs["mask"]).mean() < 255 * 0.2  # drawn, not grown
    record, again = remake_file(path)
    assert record["grow"] == 3
    assert np.array_equal(pixels(again.image), pixels(Image.open(path)))
    assert verdict(path, again).startswith("Made again: pixel for pixel")


def test_style_restore_generate_and_text_files_remake_the_same_output(tmp_path):
    content = render("landscape", 2, 96)
    style = last(compare("style", ["fast-stained-glass", "gatys-random"], {"size": 96, "steps": 3},
                         {"content": content, "style1": render("mandala", 1, 96)}))
    noisy = render("geometric", 3, 96)
    restored = last(compare("restore", ["denoise-art"], {"noise_level": 15}, {"image": noisy}))
    generated = last(compare("generate", ["dcgan-art-64"], {"label": "flow_field", "seed": 11}, {}))
    outputs = [*style.cells, *restored.cells, *generated.cells]
    for i, cell in enumerate(outputs):
        path = cell.output.artwork().save(tmp_path / f"{i}.png")
        record, again = remake_file(path)
        assert record["model"] == cell.model
        assert np.array_equal(pixels(again.image), pixels(cell.output.image)), cell.model
    text = last(compare("text", ["text-art"], {"prompt": "«", "max_new_tokens": 16, "seed": 8}, {}))
    path = tmp_path / "text.json"
    path.write_text(text.cells[0].output.text_json())
    assert remake_file(path)[1].texts == text.cells[0].output.texts


def test_a_grid_remakes_the_whole_comparison(tmp_path):
    image = render("mondrian", 6, 96)
    c = last(compare("inpaint", ["inpaint-art", "mean-fill"], {}, {"image": image, "mask": hole_mask()}, "feather",
                     [0, 6]))
    path = grid_artwork(c).save(tmp_path / "grid.png")
    record, again = remake_file(path)
    assert record["task"] == "compare" and again.models == c.models and again.values == [0, 6]
    for a, b in zip(c.cells, again.cells):
        assert (a.model, a.value) == (b.model, b.value)
        assert np.array_equal(pixels(a.output.image), pixels(b.output.image))


def test_a_hub_model_is_replayed_at_the_recorded_commit(hub_server, hub_repos, tmp_path):
    old, new = huggan_generator(seed=5), huggan_generator(seed=6)
    hub_repos.commit("huggan/moving", {"config.json": huggan_config(old), "model.safetensors": safetensors_bytes(old)})
    art = generate("hf-hub:huggan/moving", GenerateSettings(seed=3))[0]
    path = art.save(tmp_path / "old.png")
    newer = hub_repos.commit("huggan/moving", {"config.json": huggan_config(new),
                                               "model.safetensors": safetensors_bytes(new)})
    latest = generate(f"hf-hub:huggan/moving@{newer}", GenerateSettings(seed=3))[0]
    assert not np.array_equal(pixels(latest.image), pixels(art.image))  # the repo has moved on
    _, again = remake_file(path)
    assert again.record["revision"] == art.record["revision"]
    assert np.array_equal(pixels(again.image), pixels(art.image))


def test_records_that_cannot_be_replayed_say_why(tmp_path):
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(GenartError, match="notes.png is not an image"):
        open_saved(tmp_path / "notes.png")
    render("landscape", 1, 64).save(tmp_path / "plain.png")
    with pytest.raises(GenartError, match="carries no genart record"):
        open_saved(tmp_path / "plain.png")
    record = generate("dcgan-art-64", GenerateSettings(seed=1, label="mandala"))[0].record
    with pytest.raises(GenartError, match="other dcgan-art-64 weights than the ones here"):
        remake(record | {"weights_sha256": "0" * 64}, {})
    with pytest.raises(GenartError, match="models download gpt2@0123abc"):
        remake({"task": "text", "model": "gpt2", "repo_id": "openai-community/gpt2", "revision": "0123abc",
                "prompt": "Hi"}, {})
    with pytest.raises(GenartError, match=r"no input \(image\)"):
        remake({"task": "inpaint", "model": "telea", "grow": 0}, {})


def test_stop_ends_a_comparison_after_the_cell_running_and_offers_the_cells_so_far():
    from genart.ui import compare_tab
    from genart.ui.common import StopRequest

    request = StopRequest()
    shown = []
    comparisons = compare("generate", ["procedural-art"], {"label": "mandala"}, {}, "seed", [1, 2, 3, 4])
    for grid, table, grid_file, zip_file, status, *_ in compare_tab.stream(comparisons, request):
        shown.append(status)
        request.pressed = True  # pressed while the first cell was showing
    assert shown == ["1 of 4 cells · running", "2 of 4 cells · stopped"]
    assert len(table["data"]) == 2 and grid_file["visible"] and zip_file["visible"]


def test_text_to_image_compares_seeds_and_a_cell_file_draws_the_same_prompt_again(tmp_path):
    prompt = "a stained glass window of many small panes in blue and green"
    c = last(compare("imagine", ["text2art-64"], {"prompt": prompt, "n": 1}, {}, "seed", [1, 2]))
    assert [cell.value for cell in c.cells] == [1, 2] and not any(cell.error for cell in c.cells)
    assert all(cell.output.record["prompt"] == prompt for cell in c.cells)
    assert not np.array_equal(pixels(c.cells[0].output.image), pixels(c.cells[1].output.image))
    path = c.cells[1].output.artwork().save(tmp_path / "cell.png")
    record, again = remake_file(path)
    assert np.array_equal(pixels(again.image), pixels(c.cells[1].output.image)) and record["seed"] == 2


def test_a_typed_description_scores_every_image_cell_in_clip_and_replays(hub_server, tmp_path):
    """clip-vit-b32's repo on the loopback Hub holds a small CLIP with random weights."""
    from huggingface_hub.constants import HF_HUB_CACHE

    from genart import runtime
    from tests.test_clip import publish_hf, small_clip, tokenizer_files

    runtime.MODELS.clear()
    publish_hf(hub_server, tmp_path, small_clip(4, 32, 64), tokenizer_files(tmp_path),
               "openai/clip-vit-base-patch32")
    try:
        described_cells()
    finally:  # other tests find clip-vit-b32 not downloaded, as on a fresh machine
        shutil.rmtree(Path(HF_HUB_CACHE) / "models--openai--clip-vit-base-patch32", ignore_errors=True)
        runtime.MODELS.clear()


def described_cells():
    from genart.pipelines.clip import clip_model, clip_scores
    from genart.pipelines.remake import remake_grid

    describe = "a mandala in teal and gold"
    c = last(compare("generate", ["procedural-art", "dcgan-art-64"], {"label": "mandala"}, {}, "seed", [1, 2],
                     describe=describe))
    judge = clip_model("clip-vit-b32")
    for cell in c.cells:
        assert cell.described == round(clip_scores(judge, [cell.output.image], describe)[0], 2)
        assert cell.summary(c.sweep)["clip_score"] == cell.described
    assert len({cell.described for cell in c.cells}) > 1  # four pictures, four scores
    assert c.record()["describe"] == describe
    again = last(remake_grid(c.record(), {}))
    assert [cell.described for cell in again.cells] == [cell.described for cell in c.cells]
    melody = last(compare("melody", ["melody-lstm"], {"bars": 2}, {}, describe=describe))
    assert melody.cells[0].described is None  # a piano roll is not a picture of anything
    blank = last(compare("generate", ["procedural-art"], {}, {}, describe=" \n "))
    assert blank.cells[0].described is None and blank.record()["describe"] == ""
    with pytest.raises(GenartError, match="Description must be text"):
        next(compare("generate", ["procedural-art"], {}, {}, describe=["a mandala"]))
    with pytest.raises(GenartError, match="Description is 1,001 characters"):
        next(compare("generate", ["procedural-art"], {}, {}, describe="a" * 1001))


def test_prompts_are_swept_as_rows_separated_by_bars_and_the_grid_replays():
    from genart.pipelines.remake import remake_grid

    values = parse_values("imagine", "prompt", "a mondrian in red, yellow and navy | a mandala in teal | ")
    assert values == ["a mondrian in red, yellow and navy", "a mandala in teal"]  # commas stay inside a prompt
    c = last(compare("imagine", ["text2art-64"], {"n": 1, "seed": 5}, {}, "prompt", values))
    assert [cell.output.record["prompt"] for cell in c.cells] == values
    again = last(remake_grid(c.record(), {}))
    assert all(np.array_equal(pixels(a.output.image), pixels(b.output.image)) for a, b in zip(c.cells, again.cells))
    with pytest.raises(GenartError, match=r"separated by '\|'"):
        parse_values("imagine", "prompt", " | ")
    with pytest.raises(GenartError, match="can sweep"):
        parse_values("imagine", "clip", "clip-vit-b32 | clip-vit-l14")
