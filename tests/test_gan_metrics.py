"""The figures gan_quality reports: Fréchet distance, precision and recall, and repetition every 16 px."""
import numpy as np
import pytest
import torch

from genart.metrics.frechet import frechet_distance
from genart.metrics.precision_recall import precision_recall


def test_frechet_distance_is_zero_for_one_set_and_the_squared_shift_for_a_moved_one():
    a = torch.randn(2000, 8, generator=torch.Generator().manual_seed(0))
    assert frechet_distance(a, a) == pytest.approx(0, abs=1e-6)
    assert frechet_distance(a, a + 3) == pytest.approx(9 * 8, rel=1e-6)  # the covariances are equal


def test_precision_recall_tells_a_collapsed_generator_from_one_that_covers_the_real_set():
    g = torch.Generator().manual_seed(0)
    real = torch.randn(500, 4, generator=g)
    covering = torch.randn(500, 4, generator=g)
    collapsed = real[:5].repeat_interleave(100, dim=0) + 0.01 * torch.randn(500, 4, generator=g)  # 5 real images
    far = torch.randn(500, 4, generator=g) + 20
    precision, recall = precision_recall(real, covering)
    assert precision > 0.9 and recall > 0.9
    precision, recall = precision_recall(real, collapsed)
    assert precision == 1.0 and recall < 0.1
    assert precision_recall(real, far) == (0.0, 0.0)


def test_repeat_at_16px_tells_a_tiled_image_from_procedural_art():
    from genart.data.procedural import render_array
    from genart.metrics.tiling import repeat_at

    rng = np.random.default_rng(0)
    tile = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
    tiled = np.tile(tile, (4, 4, 1))[None]  # (1, 64, 64, 3): one tile sixteen times
    noise = rng.integers(0, 256, (4, 64, 64, 3), dtype=np.uint8)
    assert repeat_at(tiled).item() > 0.99
    assert repeat_at(noise).abs().max() < 0.1
    assert repeat_at(tiled, shift=8).item() < 0.5  # the tile's own period, not any shift
    assert repeat_at(render_array("flow_field", range(8))).mean().abs() < 0.1
