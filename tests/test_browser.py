"""A person's view: Debian's Chromium, driven by Playwright, clicks Generate and sees images."""
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect, sync_playwright

from genart.pipelines.interpolate import InterpolateSettings, interpolate
from genart.replay import read_record

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("GENART_SCREENSHOTS")  # set it to a folder to keep a picture of each step
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def page(app_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(app_url)
        yield page
        browser.close()


def natural_width(page, image) -> int:
    """An <img>'s width once the browser has decoded it: on a busy machine it is 0 for a while after it appears."""
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=30_000)
    return image.evaluate("img => img.naturalWidth")


def snapshot(page, name: str):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


def test_the_app_opens_on_text_to_image_and_draws_a_typed_prompt(page):
    expect(page.get_by_role("tab", name="Text to image")).to_have_attribute("aria-selected", "true")
    set_text(page, "#imagine-prompt textarea", "a mondrian of seven rectangles in red and yellow")
    page.locator("#imagine-run").click()
    expect(page.locator("#imagine-status")).to_contain_text("done", timeout=60_000)
    thumbs = page.locator("#imagine-gallery .gallery-item img, #imagine-gallery button.thumbnail-item img")
    assert thumbs.count() == 8
    assert natural_width(page, thumbs.first) == 64
    snapshot(page, "imagine")


def test_click_generate_and_see_images_in_the_gallery(page):
    page.get_by_role("tab", name="Generate").click()
    page.get_by_role("button", name="Generate", exact=True).click()
    thumbs = page.locator(".gallery-item img:visible, button.thumbnail-item img:visible")
    thumbs.first.wait_for(timeout=60_000)
    assert thumbs.count() == 8
    assert page.get_by_text("8 × 64x64").is_visible()
    width = natural_width(page, thumbs.first)
    assert width == 64
    snapshot(page, "generate")


def test_bad_model_shows_the_sentence_and_the_page_keeps_working(page):
    model = page.locator("#generate-model").get_by_label("Model")
    model.fill("hf-hub:nobody")
    model.press("Enter")
    page.get_by_text("is not a Hub model id").first.wait_for(timeout=30_000)
    snapshot(page, "generate-error")
    model.fill("procedural-art")
    model.press("Enter")
    page.get_by_text("Size", exact=True).wait_for(timeout=30_000)  # the switch has landed
    page.get_by_label("Class").fill("mandala")
    page.get_by_label("Class").press("Enter")
    page.get_by_role("button", name="Generate", exact=True).click()
    page.get_by_text("mandala from procedural-art").wait_for(timeout=60_000)
    snapshot(page, "generate-procedural")


def test_interpolation_plays_in_the_page(page):
    model = page.locator("#generate-model").get_by_label("Model")
    model.fill("dcgan-art-64")
    model.press("Enter")
    page.get_by_text("Latent interpolation").click()
    page.get_by_role("button", name="Interpolate").click()
    frame = page.locator(".enlarged img")
    frame.wait_for(timeout=60_000)
    assert frame.evaluate("img => img.src").endswith(".webp")
    assert frame.bounding_box()["width"] >= 200  # shown enlarged, not at its 64 px
    snapshot(page, "interpolate")


def test_a_dropped_interpolation_is_made_again_with_its_settings(page, tmp_path):
    settings = InterpolateSettings(seed_a=5, seed_b=9, frames=6, label="mandala", fps=8)
    walk = interpolate("dcgan-art-64", settings).save(tmp_path / "walk.gif")
    replay = page.get_by_text("Replay: drop a file genart wrote")
    replay.click()
    page.locator("#replay-file input[type=file]").set_input_files(str(walk))
    page.locator("#replay-status").get_by_text("all 6 frames pixel for pixel the same").wait_for(timeout=60_000)
    expect(page.get_by_label("From seed")).to_have_value("5")
    expect(page.get_by_label("To seed")).to_have_value("9")
    expect(page.locator(".enlarged img")).to_have_attribute("src", re.compile(r"\.gif$"))
    snapshot(page, "replay-interpolation")
    page.locator("#replay-file").get_by_label("Clear").click()  # the drop area empty and closed again, for the tests below
    page.locator("#replay-file input[type=file]").wait_for(state="attached")
    replay.click()


def test_vae_encodes_an_upload_and_walks_between_two_uploads(page, tmp_path):
    from genart.data.procedural import render

    paths = {}
    for name, seed in (("mandala", 3), ("landscape", 4)):
        paths[name] = tmp_path / f"{name}.png"
        render(name, 500_000 + seed, 160).save(paths[name])
    model = page.locator("#generate-model").get_by_label("Model")
    model.fill("vae-art-64")
    model.press("Enter")
    page.get_by_text("Encode an image (a VAE)").click()
    page.locator("#encode-image input[type=file]").set_input_files(str(paths["mandala"]))
    page.locator("#encode-run").click()
    page.locator("#encode-status").get_by_text("nearest class mandala").wait_for(timeout=60_000)
    for shown in ("#encode-seen img", "#encode-result img"):  # what the encoder saw, and its reconstruction
        assert natural_width(page, page.locator(shown)) == 64
    snapshot(page, "vae-encode")
    page.locator("#interpolate-image-a input[type=file]").set_input_files(str(paths["mandala"]))
    page.locator("#interpolate-image-b input[type=file]").set_input_files(str(paths["landscape"]))
    page.get_by_role("button", name="Interpolate").click()
    expect(page.locator("#interpolate-animation img")).to_have_attribute(
        "src", re.compile(r"image-to-image\.(webp|gif)$"), timeout=60_000)
    snapshot(page, "vae-interpolate")
    model.fill("dcgan-art-64")
    model.press("Enter")
    expect(page.get_by_text("Encode an image (a VAE)")).to_be_hidden(timeout=30_000)  # a GAN has no encoder


def open_text_tab(page):
    page.get_by_role("tab", name="Text", exact=True).click()
    page.locator("#text-generate").wait_for()


def click_and_wait_for_status(page, button: str, status: str, word: str):
    """Click button, then wait until the status line has changed and says word. The old line stays while the
    request is queued, and the new one can read the same, so a watcher notes any change from the moment of the click."""
    text = f"{status} [data-testid=markdown]"  # without the progress overlay ("processing | 0.1s") over it
    page.evaluate("""text => { const line = document.querySelector(text), old = line.innerText;
                     window.statusChanged = false;
                     new MutationObserver((_, observer) => { if (line.innerText !== old) { window.statusChanged = true;
                       observer.disconnect(); } }).observe(line, {subtree: true, childList: true, characterData: true}); }""",
                  text)
    page.locator(button).click()
    page.wait_for_function("([text, word]) => window.statusChanged && document.querySelector(text).innerText.includes(word)",
                           arg=[text, word], timeout=60_000)


def set_text(page, selector: str, value: str):
    box = page.locator(selector).first
    box.fill(value)
    box.press("Enter" if "input" in selector else "Tab")


def test_text_tab_streams_completions_and_shows_tokens_per_second(page):
    open_text_tab(page)
    page.locator("#text-generate").click()
    page.locator("#text-status").get_by_text("done").wait_for(timeout=60_000)
    first = page.locator("#text-output-0 textarea").input_value()
    second = page.locator("#text-output-1 textarea").input_value()
    assert first and second and first != second  # two completions side by side, each its own
    assert "tokens/s" in page.locator("#text-status").inner_text()
    snapshot(page, "text")
    with page.expect_download() as download:
        page.locator("#text-save").click()
    saved = json.loads(Path(download.value.path()).read_text())
    assert [saved["genart"]["prompt"] + t for t in saved["texts"]] == [first, second]
    assert saved["genart"]["precision"] == "float32"

    page.locator("#text-precision input").click()
    page.get_by_role("option", name="int8").click()
    click_and_wait_for_status(page, "#text-generate", "#text-status", "done")
    with page.expect_download() as download:
        page.locator("#text-save").click()
    assert json.loads(Path(download.value.path()).read_text())["genart"]["precision"] == "int8"


def test_stop_ends_generation_and_the_next_one_runs(page, hub_server, tmp_path):
    """A 25M-parameter GPT-2 from the local Hub writes slowly enough on a CPU to be stopped half-way. It has no
    end-of-text token: with token 0 as one, its completions ended after 189 steps, and a Stop that landed later found
    the run done."""
    import json

    import torch
    import transformers

    from tests.checkpoints import saved_files
    from tests.test_text_pipeline import byte_bpe

    torch.manual_seed(0)
    slow = transformers.GPT2LMHeadModel(transformers.GPT2Config(n_layer=8, n_head=8, n_embd=512, vocab_size=300,
                                                                n_positions=1024, bos_token_id=0, eos_token_id=None))
    files = saved_files(slow, tmp_path)
    byte_bpe(300).save(str(tmp_path / "tokenizer.json"))
    files["tokenizer.json"] = (tmp_path / "tokenizer.json").read_bytes()
    files["tokenizer_config.json"] = json.dumps({}).encode()
    hub_server.repos.commit("tiny/slow-gpt2", files)

    from genart.ui.text_tab import DEFAULTS

    open_text_tab(page)
    # Picking a model resets the length to its default; typed before that reset lands, 1000 became 64 again and the
    # run was done before Stop. A length that is not the default shows when the reset has landed.
    max_new_tokens = page.locator("#text-max-new-tokens input[type=number]")
    set_text(page, "#text-max-new-tokens input[type=number]", str(DEFAULTS.max_new_tokens + 1))
    set_text(page, "#text-model input", "hf-hub:tiny/slow-gpt2")
    expect(max_new_tokens).to_have_value(str(DEFAULTS.max_new_tokens), timeout=60_000)
    set_text(page, "#text-prompt textarea", "Quiet harbour")
    set_text(page, "#text-max-new-tokens input[type=number]", "1000")
    page.locator("#text-generate").click()
    output = page.locator("#text-output-0 textarea")
    page.locator("#text-status").get_by_text("generating").wait_for(timeout=60_000)
    page.locator("#text-stop").click()
    # A run left alone writes 2000 tokens in about 40 s here; on a busy 2-core CI machine Stop once took over 10 s to
    # show, so the wait is long and, if it fails, says what the status showed instead.
    expect(page.locator("#text-status")).to_contain_text("stopped", timeout=60_000)
    stopped = output.input_value()
    page.wait_for_timeout(3000)
    assert output.input_value() == stopped  # nothing more arrives
    assert "· stopped" in page.locator("#text-status").inner_text()  # and no late update overwrote the status
    snapshot(page, "text-stopped")

    set_text(page, "#text-max-new-tokens input[type=number]", "5")
    page.locator("#text-generate").click()  # waits on the model's lock only if the stopped run still held it
    page.locator("#text-status").get_by_text("done").wait_for(timeout=20_000)
    assert "10 tokens" in page.locator("#text-status").inner_text()  # 5 for each of the two completions


def test_style_tab_stylizes_an_example_photo(page):
    page.get_by_role("tab", name="Style").click()
    page.locator("#style-run").wait_for()
    page.get_by_text("Try a pair").scroll_into_view_if_needed()
    page.locator("tr").filter(has_text="fast-stained-glass").first.click()
    page.locator("#style-content img").wait_for(timeout=30_000)
    page.locator("#style-run").click()
    page.locator("#style-status").get_by_text("done").wait_for(timeout=120_000)
    result = page.locator("#style-result img")
    assert natural_width(page, result) > 100
    snapshot(page, "style")


def test_stop_ends_a_gatys_run_and_keeps_its_last_step(page):
    page.get_by_role("tab", name="Style").click()
    page.get_by_text("Try a pair").scroll_into_view_if_needed()
    page.locator("tr").filter(has_text="gatys-random").first.click()
    page.locator("#style-content img").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the example's three values land
    page.locator("#style-run").click()
    status = page.locator("#style-status")
    status.get_by_text("optimising").wait_for(timeout=120_000)
    page.locator("#style-stop").click()
    status.get_by_text("stopped").wait_for(timeout=60_000)
    page.wait_for_timeout(3000)
    assert "stopped" in status.inner_text() and "done" not in status.inner_text()
    assert natural_width(page, page.locator("#style-result img")) > 100
    snapshot(page, "style-stopped")


def test_models_tab_shows_the_table_and_a_model_card(page):
    page.get_by_role("tab", name="Models").click()
    table = page.locator("#models-table")
    table.get_by_text("text-art-lstm").first.wait_for(timeout=30_000)
    table.get_by_text("text-art-lstm").first.click()
    page.locator("#models-card").get_by_text("An LSTM language model").wait_for(timeout=30_000)
    assert page.locator("#models-selected textarea, #models-selected input").first.input_value() == "text-art-lstm"
    snapshot(page, "models")


def test_inpaint_tab_paints_a_stroke_and_fills_it(page):
    page.get_by_role("tab", name="Inpaint").click()
    page.locator("#inpaint-run").wait_for()
    page.locator("#inpaint-model input").fill("telea")
    page.locator("#inpaint-model input").press("Enter")
    page.locator("button.gallery-item").filter(has=page.locator("img[src*='lion.jpg']")).first.click()
    editor = page.locator("#inpaint-editor")
    page.wait_for_timeout(1500)  # the example image lands on the canvas
    editor.get_by_role("button", name="Brush", exact=True).click()
    box = editor.locator("canvas").last.bounding_box()
    x, y = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + step * box["width"] * 0.02, y + step * 2)
    page.mouse.up()
    page.locator("#inpaint-run").click()
    page.locator("#inpaint-status").get_by_text("filled").wait_for(timeout=60_000)
    share = float(page.locator("#inpaint-status").inner_text().split("% filled")[0].split()[-1])
    assert 0 < share < 20  # the stroke, not the whole image
    snapshot(page, "inpaint")
    content = page.locator("#style-content img")
    before = content.get_attribute("src") if content.count() else None
    page.locator("#inpaint-to-style").click()  # the filled image goes on to be stylised
    page.wait_for_function("old => { const img = document.querySelector('#style-content img');"
                           " return img && img.src !== old && img.src.includes('inpainted'); }", arg=before,
                           timeout=30_000)
    expect(page.get_by_role("tab", name="Style")).to_have_attribute("aria-selected", "true", timeout=30_000)


def test_a_restore_batch_takes_a_zip_and_an_image_and_gives_a_sheet_and_a_zip(page, tmp_path):
    from genart.data.procedural import render
    from genart.pipelines.batch import THUMB

    for name in ("mandala", "mondrian", "landscape"):
        render(name, 5, 64).save(tmp_path / f"{name}.png")
    with zipfile.ZipFile(tmp_path / "art.zip", "w") as z:
        z.write(tmp_path / "mandala.png", "art/mandala.png")
        z.write(tmp_path / "mondrian.png", "art/mondrian.png")
    page.get_by_role("tab", name="Inpaint").click()
    page.get_by_role("tab", name="Restore").click()
    page.locator("#batch-restore").get_by_text("Batch: many images at once").click()
    page.locator("#batch-restore-source input[type=file]").set_input_files([tmp_path / "art.zip",
                                                                             tmp_path / "landscape.png"])
    expect(page.locator("#batch-restore-source")).to_contain_text("landscape", timeout=30_000)  # uploaded
    page.locator("#batch-restore-run").click()
    expect(page.locator("#batch-restore-status")).to_contain_text("3/3 inputs", timeout=60_000)
    expect(page.locator("#batch-restore-status")).to_contain_text("finished", timeout=60_000)
    sheet = page.locator("#batch-restore-sheet img")
    sheet.scroll_into_view_if_needed()  # the browser loads it once it is in view
    assert natural_width(page, sheet) == 3 * THUMB
    expect(page.locator("#batch-restore-zip")).to_contain_text("restore-batch")
    snapshot(page, "restore-batch")


def test_send_a_generated_image_to_inpaint_and_to_style(page):
    page.get_by_role("tab", name="Generate").click()
    page.get_by_role("button", name="Generate", exact=True).click()
    page.locator(".gallery-item img:visible, button.thumbnail-item img:visible").first.wait_for(timeout=60_000)
    page.locator("#generate-to-inpaint").click()
    page.locator("#inpaint-editor canvas").first.wait_for(timeout=30_000)
    expect(page.get_by_role("tab", name="Inpaint")).to_have_attribute("aria-selected", "true", timeout=30_000)
    page.get_by_role("tab", name="Generate").click()
    page.locator("#generate-to-style").click()
    content = page.locator("#style-content img")
    content.wait_for(timeout=30_000)
    assert natural_width(page, content) == 64  # the 64 px sample itself
    snapshot(page, "sent-to-style")


def test_compare_three_inpainters_download_the_grid_and_replay_it(page, tmp_path):
    mask = tmp_path / "hole.png"
    hole = Image.new("L", (256, 256), 0)  # the size of the example images
    hole.paste(255, (80, 90, 190, 160))
    hole.save(mask)
    page.get_by_role("tab", name="Compare").click()
    page.locator("#compare-task").get_by_text("inpaint").click()
    page.locator("#compare-models").get_by_text("mean-fill").wait_for(timeout=30_000)
    page.locator("#compare-examples button.gallery-item").first.click()
    page.locator("#compare-mask input[type=file]").set_input_files(str(mask))
    page.locator("#compare-mask img").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)  # the image lands on the editor's canvas
    page.locator("#compare-run").click()
    download_button = page.locator("#compare-download-grid")
    download_button.wait_for(timeout=120_000)
    assert "3 of 3 cells" in page.locator("#compare-status").inner_text()
    snapshot(page, "compare")
    with page.expect_download() as download:
        download_button.click()
    grid = tmp_path / "grid.png"
    download.value.save_as(grid)
    record = read_record(grid)
    assert record["task"] == "compare" and record["models"] == ["inpaint-art", "telea", "mean-fill"]
    assert Image.open(grid).width >= 3 * 256
    assert all(cell["record"]["hole_share"] > 0.05 for cell in record["cells"])  # the uploaded mask was used

    page.get_by_role("tab", name="Generate").click()
    page.get_by_text("Replay: drop a file genart wrote").click()
    page.locator("#replay-file input[type=file]").set_input_files(str(grid))
    page.locator("#replay-status").get_by_text("Comparison run again: 3 cells").wait_for(timeout=120_000)
    expect(page.get_by_role("tab", name="Compare")).to_have_attribute("aria-selected", "true", timeout=30_000)
    expect(page.locator("#compare-download-grid")).to_be_visible()
    snapshot(page, "replay-compare")


def test_chat_sends_regenerates_continues_and_clears(page, hub_server, tmp_path):
    """SmolLM2-135M-Instruct's repo on the local Hub holds a tiny Llama with its ChatML template."""
    from genart.registry import get_spec
    from tests.checkpoints import saved_files
    from tests.test_text_pipeline import byte_bpe
    from tests.test_text_registry import CHATML, stand_in

    spec = get_spec("smollm2-135m-instruct")
    files = saved_files(stand_in("llama"), tmp_path)
    byte_bpe(300).save(str(tmp_path / "tokenizer.json"))
    files["tokenizer.json"] = (tmp_path / "tokenizer.json").read_bytes()
    files["tokenizer_config.json"] = json.dumps({"chat_template": CHATML}).encode()
    hub_server.repos.commit(spec.repo_id, files, sha=spec.revision)

    open_text_tab(page)
    page.get_by_role("tab", name="Chat").click()
    page.locator(".label-wrap:visible", has_text="Sampling").click()
    set_text(page, "input[aria-label='number input for Max new tokens']:visible", "12")  # each reply streams to the page
    set_text(page, "#chat-message textarea", "Paint a quiet harbour.")
    page.locator("#chat-send").click()
    status = page.locator("#chat-status")
    status.get_by_text("done").wait_for(timeout=60_000)
    window = page.locator("#chat-window")
    expect(window.get_by_text("Paint a quiet harbour.")).to_be_visible()
    assert page.locator("#chat-message textarea").input_value() == ""  # the box is ready for the next message
    snapshot(page, "chat")
    for button in ("#chat-regenerate", "#chat-continue"):  # each waits for its own reply, not the last one's line
        click_and_wait_for_status(page, button, "#chat-status", "done")
    with page.expect_download() as download:
        page.locator("#chat-save").click()
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["genart"]["task"] == "chat" and saved["genart"]["continue_reply"] is True
    assert saved["genart"]["turns"][0] == "Paint a quiet harbour."
    page.locator("#chat-clear").click()
    expect(window.get_by_text("Paint a quiet harbour.")).to_have_count(0)


def test_sentence_vae_walks_between_two_sentences_a_line_at_a_time(page):
    page.get_by_role("tab", name="Text", exact=True).click()
    page.get_by_role("tab", name="Sentence VAE").click()
    page.locator("#vae-between").click()
    page.locator("#vae-status").get_by_text("7 points in").wait_for(timeout=60_000)
    lines = page.locator("#vae-output textarea").input_value().split("\n")
    assert len(lines) == 7 and all(line.startswith("«") for line in lines)
    snapshot(page, "sentence-vae")
    page.locator("#vae-reconstruct").click()
    page.locator("#vae-status").get_by_text("Decoded back to").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Complete").click()


def test_a_dropped_walk_between_sentences_opens_in_its_mode_made_again(page, tmp_path):
    from genart.pipelines.sentence_vae import BetweenSettings, between
    from genart.replay import text_json

    *_, done = between("text-art-vae", BetweenSettings("«Quiet Harbour» — watercolour. A landscape of still water, "
                                                       "with a pale moon.", "«Tides at Dusk» — ink and wash. A "
                                                       "window of leaded panes, with a pale moon.", steps=4))
    path = tmp_path / "walk.json"
    path.write_text(text_json(done.record, done.texts))
    replay = page.get_by_text("Replay: drop a file genart wrote")
    if not page.locator("#replay-file").is_visible():  # an earlier test may have left it open, holding its file
        replay.click()
    if not page.locator("#replay-file input[type=file]").count():
        page.locator("#replay-file").get_by_label("Clear").click()
    page.locator("#replay-file input[type=file]").set_input_files(str(path))
    page.locator("#replay-status").get_by_text("between").wait_for(timeout=60_000)
    expect(page.locator("#vae-output textarea")).to_have_value(done.texts[0])
    expect(page.locator("#vae-steps input[type=number]")).to_have_value("4")
    snapshot(page, "replay-between")
    page.locator("#replay-file").get_by_label("Clear").click()
    page.locator("#replay-file input[type=file]").wait_for(state="attached")
    replay.click()
    page.get_by_role("tab", name="Complete").click()


def test_biggan_draws_an_imagenet_class_picked_by_name(page, hub_server):
    """biggan-deep-128's repo on the local Hub holds a small BigGAN-deep made by the reference package."""
    from tests.checkpoints import bin_bytes
    from tests.test_biggan import small_biggan

    model = small_biggan()
    hub_server.repos.commit("osanseviero/BigGAN-deep-128", {"config.json": model.config.to_json_string().encode(),
                                                             "pytorch_model.bin": bin_bytes(model)})
    page.get_by_role("tab", name="Generate").click()
    set_text(page, "#generate-model input", "biggan-deep-128")
    truncation = page.locator("input[aria-label='number input for Truncation']:visible").first
    expect(truncation).to_have_value("0.4", timeout=60_000)  # picking the model brought its own truncation
    label = page.get_by_label("Class", exact=True)
    expect(label).to_have_value("golden retriever", timeout=60_000)  # the registry's default class
    label.fill("volcano")
    label.press("Enter")
    page.get_by_role("button", name="Generate", exact=True).click()
    page.get_by_text("volcano from biggan-deep-128").wait_for(timeout=120_000)
    thumb = page.locator(".gallery-item img:visible, button.thumbnail-item img:visible").first
    assert natural_width(page, thumb) == 128
    snapshot(page, "generate-biggan")


def test_audio_tab_grows_a_piano_roll_plays_the_melody_and_replays_its_midi(page, tmp_path):
    from genart.audio.events import Note
    from genart.audio.midi import midi_bytes, midi_file_record

    primer = tmp_path / "primer.mid"
    primer.write_bytes(midi_bytes([Note(67, 0, 2), Note(69, 2, 4), Note(71, 4, 8)], 120, 0))
    page.get_by_role("tab", name="Audio").click()
    page.locator("#melody-generate").wait_for()
    page.locator("#melody-midi input[type=file]").set_input_files(str(primer))
    expect(page.locator("#melody-primer textarea")).to_have_value("G4 A4 B4:4", timeout=30_000)
    expect(page.locator("#melody-primer-note")).to_contain_text("3 notes")
    page.locator("#melody-generate").click()
    page.locator("#melody-status").get_by_text("done").wait_for(timeout=60_000)
    assert natural_width(page, page.locator("#melody-roll img")) > 8 * 16 * 6
    audio = page.locator("#melody-audio [data-testid^=waveform] audio")  # the player Gradio draws the waveform of
    audio.wait_for(state="attached", timeout=30_000)
    assert audio.evaluate("a => new Promise(r => a.duration ? r(a.duration) : a.onloadedmetadata = () => r(a.duration))") > 8
    snapshot(page, "audio-melody")
    links = page.locator("#melody-files a")
    expect(links).to_have_count(3)
    with page.expect_download() as download:
        links.nth(1).click()  # the rows: WAV, MIDI, PNG
    saved = tmp_path / "melody.mid"
    download.value.save_as(saved)
    assert midi_file_record(saved.read_bytes())["primer"] == "G4 A4 B4:4"

    page.locator("#melody-primer textarea").fill("C4 H4")
    page.locator("#melody-primer-note").get_by_text("'H4' is not a note").wait_for(timeout=30_000)
    page.get_by_role("tab", name="Generate").click()
    page.get_by_text("Replay: drop a file genart wrote").click()
    page.locator("#replay-file input[type=file]").set_input_files(str(saved))
    page.locator("#replay-status").get_by_text("note for note the same").wait_for(timeout=60_000)
    expect(page.get_by_role("tab", name="Audio")).to_have_attribute("aria-selected", "true", timeout=30_000)
    expect(page.locator("#melody-primer textarea")).to_have_value("G4 A4 B4:4")
    snapshot(page, "replay-melody")
    page.locator("#replay-file").get_by_label("Clear").click()
    page.locator("#replay-file input[type=file]").wait_for(state="attached")
    page.get_by_text("Replay: drop a file genart wrote").click()


def test_repair_takes_the_melody_fills_a_gap_and_shows_both_spectrograms(page):
    page.get_by_role("tab", name="Audio").click()
    page.locator("#melody-generate").click()  # a melody to repair
    page.locator("#melody-status").get_by_text("done").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Repair").click()
    page.locator("#repair-take-melody").click()
    page.locator("#repair-input [data-testid^=waveform] audio").first.wait_for(state="attached", timeout=30_000)
    page.locator("#repair-run").click()
    page.locator("#repair-status").get_by_text("100 ms filled at 1 s by audio-repair-vae").wait_for(timeout=60_000)
    picture = page.locator("#repair-picture img")
    page.wait_for_function("img => img.complete && img.naturalHeight > 0", arg=picture.element_handle(),
                           timeout=30_000)  # decoded: on a busy machine it is 0 for a while after it appears
    assert picture.evaluate("img => img.naturalHeight") > 300  # before above after
    page.locator("#repair-output [data-testid^=waveform] audio").wait_for(state="attached", timeout=30_000)
    expect(page.locator("#repair-files a")).to_have_count(2)
    snapshot(page, "audio-repair")


def test_what_three_tabs_made_is_in_history_after_a_reload_and_opens_in_its_tab(page):
    page.get_by_role("tab", name="Text to image").click()
    set_text(page, "#imagine-prompt textarea", "a mondrian of seven rectangles in navy and pink")
    page.locator("#imagine-run").click()
    expect(page.locator("#imagine-status")).to_contain_text("done", timeout=60_000)
    page.get_by_role("tab", name="Generate").click()
    page.get_by_role("button", name="Generate", exact=True).click()
    expect(page.locator("#generate-to-inpaint")).to_be_visible()
    open_text_tab(page)
    click_and_wait_for_status(page, "#text-generate", "#text-status", "done")
    page.reload()
    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history-line")).to_contain_text("entries", timeout=30_000)
    set_text(page, "#history-words input, #history-words textarea", "navy and pink")
    expect(page.locator("#history-line")).to_have_text(re.compile(r"^\s*8 entries"), timeout=30_000)  # not "18 entries"
    thumbs = page.locator("#history-gallery button.thumbnail-item img, #history-gallery .thumbnail-item img")
    assert thumbs.count() == 8
    assert natural_width(page, thumbs.first) == 256
    thumbs.first.click()
    expect(page.locator("#history-title")).to_contain_text("imagine · text2art-64")
    snapshot(page, "history")
    page.locator("#history-open").click()
    expect(page.get_by_role("tab", name="Text to image")).to_have_attribute("aria-selected", "true", timeout=60_000)
    expect(page.locator("#imagine-prompt textarea")).to_have_value("a mondrian of seven rectangles in navy and pink")
    page.get_by_role("tab", name="History").click()
    set_text(page, "#history-words input, #history-words textarea", "")
    page.locator("#history-task input").click()
    page.get_by_role("option", name="text", exact=True).click()
    expect(page.locator("#history-line")).not_to_contain_text("Nothing here", timeout=30_000)
    page.locator("#history-gallery .thumbnail-item img").first.click()
    expect(page.locator("#history-text textarea")).not_to_have_value("", timeout=30_000)


def test_arena_rounds_hide_the_names_until_the_vote_and_fill_the_leaderboard(page):
    page.get_by_role("tab", name="Arena").click()
    for i, vote in enumerate(("a", "b", "tie")):
        page.locator("#arena-start").click()
        expect(page.locator("#arena-line")).to_contain_text("Which is better?", timeout=60_000)
        expect(page.locator(f"#arena-vote-{vote}")).to_be_enabled()
        assert "was" not in page.locator("#arena-line").inner_text()
        if i == 0:
            snapshot(page, "arena-pair")
        page.locator(f"#arena-vote-{vote}").click()
        expect(page.locator("#arena-line")).to_contain_text("A was", timeout=30_000)
        expect(page.locator("#arena-vote-a")).to_be_disabled()
        revealed = re.search(r"A was (\S+), B was (\S+)\.", page.locator("#arena-line").inner_text())
        assert revealed and revealed[1] != revealed[2]
    snapshot(page, "arena-reveal")
    with page.expect_download() as download:
        page.locator("#arena-export").click()
    votes = [json.loads(line) for line in Path(download.value.path()).read_text().splitlines()]
    assert [v["winner"] for v in votes[-3:]] == ["a", "b", "tie"] and votes[-1]["record_a"]["task"] == "generate"
    expect(page.locator("#arena-table")).to_contain_text("95% interval")
    table = page.locator("#arena-table").inner_text()
    assert revealed[1] in table and revealed[2] in table  # the last pair's models are on the board


def test_the_api_page_lists_each_endpoint_with_a_line_a_parameter(page):
    page.locator("footer").get_by_text("Use via API").first.click()
    expect(page.get_by_text("API documentation")).to_be_visible(timeout=30_000)
    described = page.locator("h3 > span.desc").filter(has_text="An image in the style of one or more others")
    expect(described).to_contain_text("tv_weight: Total-variation weight", timeout=30_000)
    assert described.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-line"
    assert described.evaluate("e => e.getClientRects().length") > 0  # laid out, not hidden
    snapshot(page, "api-page")
    page.keyboard.press("Escape")
    page.goto(page.url.split("?")[0])


def test_the_page_in_chinese_shows_chinese_labels_refusals_and_prompts_and_switches_to_english(page, app_url):
    chinese = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    try:
        page = chinese.new_page()
        page.goto(app_url)
        expect(page.get_by_role("tab", name="文生图")).to_have_attribute("aria-selected", "true")
        page.get_by_label("提示词").fill("一幅有十二片花瓣的青色和粉色曼陀罗")
        page.get_by_role("button", name="作画", exact=True).click()
        page.get_by_text("读作：a mandala with twelve petals in teal and pink").wait_for(timeout=60_000)
        snapshot(page, "zh-imagine")
        page.get_by_role("tab", name="生成", exact=True).click()
        model = page.locator("#generate-model").get_by_label("模型")
        model.fill("hf-hub:nobody")
        model.press("Enter")
        page.get_by_text("'hf-hub:nobody' 不是 Hub 模型编号").first.wait_for(timeout=30_000)
        snapshot(page, "zh-generate-error")
        page.get_by_role("tab", name="模型", exact=True).click()
        page.locator("#models-table").get_by_text("可离线使用").first.wait_for(timeout=30_000)
        # Gradio's Settings switch the page to English, and the server's sentences follow.
        page.get_by_role("button", name="设置").click()
        languages = page.locator(".banner-wrap", has=page.locator("h2", has_text="语言")).locator("input").first
        languages.click()
        page.get_by_role("option", name="English", exact=True).click()
        page.get_by_role("dialog", name="Settings").locator("button").first.click()  # its close button
        page.get_by_role("tab", name="Generate", exact=True).click()
        model = page.locator("#generate-model").get_by_label("Model")
        model.fill("hf-hub:somebody")
        model.press("Enter")
        page.get_by_text("'hf-hub:somebody' is not a Hub model id").first.wait_for(timeout=30_000)
    finally:
        chinese.close()
