"""The photo data (held out by photo, never by crop) and the style measurements built on it."""
import json

import numpy as np
import pytest
from PIL import Image, ImageFilter

from genart.data.photos import PHOTOS, Photo, PhotoSource, photo_crops_of, photo_split, photos_and_art, read_photo
from genart.errors import GenartError
from genart.hub import sha256_file
from genart.metrics.inpaint_quality import held_out
from genart.metrics.style_quality import GramDistance, edge_ssim, held_out_photos, picture_grid
from genart.train.style_card import check_reproduced, kept_reference, model_card, with_more_photos


def test_the_split_is_by_photo_and_holds_out_the_style_tabs_examples():
    held, train = photo_split(held_out=True), photo_split(held_out=False)
    assert {p.name for p in held}.isdisjoint(p.name for p in train)
    assert len(held) + len(train) == len(PHOTOS) == len({p.name for p in PHOTOS})
    assert {"lion", "cheetah"} <= {p.name for p in held} and len(held) == 20
    assert len({(p.source, p.file) for p in PHOTOS}) == len(PHOTOS)  # no photo listed twice under two names


def test_every_listed_photo_reads_as_rgb_within_the_size_limit():
    for p in PHOTOS:
        im = read_photo(p)
        assert im.mode == "RGB" and max(im.size) <= 1024 and min(im.size) >= 256, p.name


def test_crops_are_seeded_squares_of_the_given_photos():
    photos = [read_photo(p) for p in photo_split(held_out=True)[:3]]
    a, b = photo_crops_of(photos, 5, 64, seed=3), photo_crops_of(photos, 5, 64, seed=3)
    assert a.shape == (5, 64, 64, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b) and not np.array_equal(a, photo_crops_of(photos, 5, 64, seed=4))
    assert a.std() > 10  # pictures, not blank


def test_a_training_set_is_photo_crops_then_art():
    data = photos_and_art(4, 2, 32, art_first_seed=0, seed=0)
    assert data.shape == (4 + 12, 32, 32, 3)
    assert np.array_equal(data[4:], photos_and_art(0, 2, 32, art_first_seed=0, seed=0))


def test_a_missing_photo_says_what_to_install(tmp_path):
    missing = Photo("gone", PhotoSource("apt-get install nothing", folder=str(tmp_path)), "gone.jpg")
    with pytest.raises(GenartError, match="apt-get install nothing"):
        read_photo(missing)
    with pytest.raises(GenartError, match="pip install not-a-package"):
        PhotoSource("pip install not-a-package", package="not_a_package_genart").path("x.png")


def test_held_out_photo_crops_for_inpainting_and_restoring_are_fixed():
    images, masks = held_out(6, 64, photos=True)
    again, _ = held_out(6, 64, photos=True)
    assert images.shape == (6, 64, 64, 3) and masks.shape == (6, 64, 64) and masks.any()
    assert np.array_equal(images, again)
    art, art_masks = held_out(6, 64)
    assert not np.array_equal(images, art) and np.array_equal(masks, art_masks)  # same holes, other pictures


def test_edge_ssim_keeps_an_image_and_loses_a_blur():
    photo = held_out_photos(128)[0][1]
    assert max(photo.size) == 128
    assert edge_ssim(photo, photo) == pytest.approx(1.0)
    blurred = photo.filter(ImageFilter.GaussianBlur(4))
    flat = Image.new("RGB", photo.size, (120, 90, 60))
    assert edge_ssim(photo, flat) < edge_ssim(photo, blurred) < 0.9


def test_gram_distance_is_zero_for_the_style_itself_and_grows_away_from_it():
    style = Image.open("weights/fast-stained-glass/style.png").convert("RGB")
    distance = GramDistance(style)
    photo = held_out_photos(128)[0][1]
    assert distance(style) == pytest.approx(0.0, abs=1e-6)
    assert distance(photo) > 0.05


def test_the_picture_grid_has_a_row_per_photo_and_a_column_per_model():
    photos = held_out_photos(64)[:2]
    style = Image.new("RGB", (32, 32), "red")
    grid = picture_grid(photos, style, {"a": [p for _, p in photos], "b": [style, style]}, cell=40)
    assert grid.size == (40 * 4, 40 * 2)


def test_the_style_card_says_whether_each_goal_was_met():
    run = {"command": "python -m genart.train.fast_style", "log": [{"step": 1, "content": 1.0, "style": 1.0, "tv": 0.1}],
           "summary": {"content_photo_crops": 10, "content_art": 6, "size": 128, "content_layers": "level2",
                       "features": "gatys-random", "batch_size": 4, "steps": 1, "style": "stained glass", "lr": 5e-4,
                       "parameters": 900_000, "device": "cpu", "wall_seconds": 60, "torch": "2"}}
    quality = {"size": 512, "photos": ["lion", "cheetah"], "rows": [
        {"model": "fast-x", "edge_ssim": 0.40, "gram_distance": 0.020, "seconds": 0.3},
        {"model": "gatys-random", "edge_ssim": 0.42, "gram_distance": 0.010, "seconds": 140.0}]}
    card = model_card("fast-x", run, {"width": 24}, 1.8, quality, [])
    assert "0.95 of Gatys's (goal at least 0.9), met" in card
    assert "2.00x Gatys's (goal at most 1.5x), missed" in card
    assert "lion, cheetah" in card and "photos.jpg" in card
    assert "first-layer width 24" in card and "Adam, lr 0.0005, batch 4" in card
    assert "Not yet measured" in model_card("fast-x", run, {}, 1.8, None, [])
    first = {"command": "python -m genart train fast-x --steps 1600", "summary": {**run["summary"], "steps": 1600}}
    continued = model_card("fast-x", run, {}, 1.8, None, [first])
    assert "**Continued from** `python -m genart train fast-x --steps 1600` (1,600 steps at 128 px)" in continued


def test_a_kept_reference_must_come_from_the_same_style_image_and_the_first_photos(tmp_path):
    (tmp_path / "style.png").write_bytes(b"a style")
    digest = sha256_file(tmp_path / "style.png")
    gatys = {"model": "gatys-random", "edge_ssim": 0.42, "gram_distance": 0.010, "seconds": 140.0,
             "per_photo_edge_ssim": [0.4, 0.44]}
    quality = {"size": 512, "photos": ["lion", "cheetah"], "style_sha256": digest, "rows": [gatys]}
    (tmp_path / "quality.json").write_text(json.dumps(quality))
    assert kept_reference(tmp_path, ["lion", "cheetah"], digest) == (gatys, [])
    assert kept_reference(tmp_path, ["lion", "cheetah", "fig", "wine"], digest) == (gatys, ["fig", "wine"])
    for photos, style in ((["lion"], digest), (["cheetah", "lion", "fig"], digest), (["lion", "cheetah"], "another style")):
        with pytest.raises(SystemExit, match="without --keep-reference"):
            kept_reference(tmp_path, photos, style)
    del gatys["per_photo_edge_ssim"]  # figures a rerun could not be checked against
    (tmp_path / "quality.json").write_text(json.dumps(quality))
    with pytest.raises(SystemExit, match="no per-photo figures of gatys-random; measure without --keep-reference"):
        kept_reference(tmp_path, ["lion", "cheetah"], digest)


def test_figures_on_more_photos_join_as_means_over_all_photos():
    kept = {"model": "gatys-random", "edge_ssim": 0.4, "gram_distance": 0.01, "seconds": 100.0,
            "per_photo_edge_ssim": [0.3, 0.5, 0.4]}
    more = {"model": "gatys-random", "edge_ssim": 0.6, "gram_distance": 0.03, "seconds": 200.0,
            "per_photo_edge_ssim": [0.6], "per_photo_gram_distance": [0.03]}
    joined = with_more_photos(kept, more)
    assert joined["edge_ssim"] == pytest.approx(np.mean([0.3, 0.5, 0.4, 0.6]))
    assert joined["gram_distance"] == pytest.approx((3 * 0.01 + 0.03) / 4) and joined["seconds"] == pytest.approx(125.0)
    assert joined["per_photo_edge_ssim"] == [0.3, 0.5, 0.4, 0.6]
    assert "per_photo_gram_distance" not in joined  # the kept row had no per-photo Gram distances to join


def test_kept_figures_must_be_given_back_when_gatys_runs_again():
    kept = {"per_photo_edge_ssim": [0.3812, 0.5], "per_photo_gram_distance": [0.012345]}
    check_reproduced(kept, {"per_photo_edge_ssim": [0.38121], "per_photo_gram_distance": [0.0123452]}, ["lion"])
    for again, what in (({"per_photo_edge_ssim": [0.39], "per_photo_gram_distance": [0.012345]}, "edge_ssim 0.39 against 0.3812"),
                        ({"per_photo_edge_ssim": [0.3812], "per_photo_gram_distance": [0.0125]}, "gram_distance 0.0125 against")):
        with pytest.raises(SystemExit, match=f"measured again on lion differs from quality.json \\({what}"):
            check_reproduced(kept, again, ["lion"])
