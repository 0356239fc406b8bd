"""Restoration: impulse detection, the shipped denoiser against the noise it was trained for, bad input."""
import numpy as np
import pytest
from PIL import Image

from genart.data.damage import gaussian_noise, salt_and_pepper
from genart.data.procedural import render
from genart.errors import GenartError
from genart.pipelines.images import psnr
from genart.pipelines.restore import RestoreSettings, impulses, restore


def test_impulses_are_found_where_they_were_put():
    clean = np.asarray(render("landscape", 7, 128))
    noisy = salt_and_pepper(clean, 0.1, 3)
    truth = (noisy != clean).any(-1)
    found = impulses(noisy)
    assert (found & truth).sum() / truth.sum() > 0.9  # recall
    assert (found & truth).sum() / found.sum() > 0.9  # precision


@pytest.mark.parametrize("model, damage", [
    ("denoise-art", lambda x: gaussian_noise(x, 25, 1)),
    ("impulse-inpaint", lambda x: salt_and_pepper(x, 0.1, 1)),
])
def test_shipped_restorers_beat_the_damage_by_3_db(model, damage):
    gains = []
    for seed, name in enumerate(["landscape", "mondrian", "geometric", "stained_glass", "mandala", "flow_field"]):
        clean = np.asarray(render(name, 700_000 + seed, 128))
        damaged = damage(clean)
        out = np.asarray(restore(model, Image.fromarray(damaged), RestoreSettings(25))[0].image)
        gains.append(psnr(out, clean) - psnr(damaged, clean))
    assert np.mean(gains) >= 3, gains


def test_bad_input_gets_one_sentence():
    with pytest.raises(GenartError, match="Noise level must be from 0.0 to 100.0"):
        restore("median-filter", render("landscape", 1, 64), RestoreSettings(500))
    with pytest.raises(GenartError, match="Add an image to restore"):
        restore("median-filter", None)
