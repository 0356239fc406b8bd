"""A person's view: Debian's Chromium, driven by Playwright, clicks Generate and sees images."""
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

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


def snapshot(page, name: str):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


def test_click_generate_and_see_images_in_the_gallery(page):
    page.get_by_role("button", name="Generate", exact=True).click()
    thumbs = page.locator(".gallery-item img, button.thumbnail-item img")
    thumbs.first.wait_for(timeout=60_000)
    assert thumbs.count() == 8
    assert page.get_by_text("8 × 64x64").is_visible()
    width = thumbs.first.evaluate("img => img.naturalWidth")
    assert width == 64
    snapshot(page, "generate")


def test_bad_model_shows_the_sentence_and_the_page_keeps_working(page):
    model = page.get_by_label("Model")
    model.fill("hf-hub:nobody")
    model.press("Enter")
    page.get_by_text("is not a Hub model id").first.wait_for(timeout=30_000)
    snapshot(page, "generate-error")
    model.fill("procedural-art")
    model.press("Enter")
    page.get_by_text("Size (px)").wait_for(timeout=30_000)  # the switch has landed
    page.get_by_label("Class").fill("mandala")
    page.get_by_label("Class").press("Enter")
    page.get_by_role("button", name="Generate", exact=True).click()
    page.get_by_text("mandala from procedural-art").wait_for(timeout=60_000)
    snapshot(page, "generate-procedural")


def test_interpolation_plays_in_the_page(page):
    model = page.get_by_label("Model")
    model.fill("dcgan-art-64")
    model.press("Enter")
    page.get_by_text("Latent interpolation").click()
    page.get_by_role("button", name="Interpolate").click()
    frame = page.locator(".enlarged img")
    frame.wait_for(timeout=60_000)
    assert frame.evaluate("img => img.src").endswith(".webp")
    assert frame.bounding_box()["width"] >= 200  # shown enlarged, not at its 64 px
    snapshot(page, "interpolate")
