"""A person's view: Debian's Chromium, driven by Playwright, clicks Generate and sees images."""
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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


def test_click_generate_and_see_images_in_the_gallery(page):
    page.get_by_role("button", name="Generate", exact=True).click()
    thumbs = page.locator(".gallery-item img, button.thumbnail-item img")
    thumbs.first.wait_for(timeout=60_000)
    assert thumbs.count() == 8
    assert page.get_by_text("8 × 64x64").is_visible()
    width = thumbs.first.evaluate("img => img.naturalWidth")
    assert width == 64


def test_bad_model_shows_the_sentence_and_the_page_keeps_working(page):
    model = page.get_by_label("Model")
    model.fill("hf-hub:nobody")
    model.press("Enter")
    page.get_by_text("is not a Hub model id").first.wait_for(timeout=30_000)
    model.fill("procedural-art")
    model.press("Enter")
    page.get_by_label("Class").fill("mandala")
    page.get_by_label("Class").press("Enter")
    page.get_by_role("button", name="Generate", exact=True).click()
    page.get_by_text("mandala from procedural-art").wait_for(timeout=60_000)
