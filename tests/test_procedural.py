import numpy as np
import pytest

from genart.data.procedural import CLASSES, render


@pytest.mark.parametrize("name", CLASSES)
def test_same_arguments_same_pixels_other_seed_other_pixels(name):
    a, b, c = (np.asarray(render(name, s, 64)) for s in (5, 5, 6))
    assert a.shape == (64, 64, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("size", [32, 97, 333])
def test_any_size_in_range(size):
    for name in CLASSES:
        assert render(name, 1, size).size == (size, size)


def test_edges_are_anti_aliased():
    """A mondrian is flat fields and hard bars; anti-aliasing shows as in-between grey levels along the bars."""
    img = np.asarray(render("mondrian", 3, 64).convert("L"))
    levels = np.unique(img)
    assert len(levels) > 20


def test_classes_differ_from_each_other():
    images = [np.asarray(render(name, 0, 64), dtype=float) for name in CLASSES]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert np.abs(images[i] - images[j]).mean() > 10


@pytest.mark.parametrize("name, size, message", [("cubism", 64, "Unknown art class 'cubism'"),
                                                  ("mandala", 16, "between 32 and 1024"),
                                                  ("mandala", 2048, "between 32 and 1024")])
def test_bad_arguments(name, size, message):
    with pytest.raises(ValueError, match=message):
        render(name, 0, size)
