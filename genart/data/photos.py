"""Real photographs that ship inside installed packages, for training and measuring on photos without a network.

scikit-image and scikit-learn ship sample photos, gradio its example photos, Debian's mate-backgrounds a folder
of nature photographs and lomiri-wallpapers-16.04 the photos of Ubuntu's 2018 wallpaper contest. The split is by
photo: a held-out photo is never cropped for training. The Style tab's example photos (gradio's lion and cheetah) are
held out, so the cards measure what a visitor tries first; the contest's photos are held out only (they came after
the networks were trained), which brings the held-out set to 20.
"""
import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import GenartError
from .datasets import art_dataset

LONGEST = 1024  # photos are read at most this size; larger originals are shrunk once


@dataclass(frozen=True)
class PhotoSource:
    install: str  # what to run when it is missing, in words
    package: str = ""  # a Python package whose folder holds the photos, or
    folder: str = ""  # an absolute folder (a Debian package's)
    under: str = ""  # the photos' folder inside the package

    def path(self, file: str) -> Path:
        if self.package:
            spec = importlib.util.find_spec(self.package)
            if spec is None or not spec.submodule_search_locations:
                raise GenartError(f"The training photos need the {self.package} package: {self.install}.")
            return Path(next(iter(spec.submodule_search_locations))) / self.under / file
        return Path(self.folder) / file


SKIMAGE = PhotoSource("pip install scikit-image", package="skimage", under="data")
SKLEARN = PhotoSource("pip install scikit-learn", package="sklearn", under="datasets/images")
GRADIO = PhotoSource("pip install gradio", package="gradio", under="media_assets/images")
MATE = PhotoSource("apt-get install mate-backgrounds (or make photos)", folder="/usr/share/backgrounds/mate")
LOMIRI = PhotoSource("apt-get install lomiri-wallpapers-16.04 (or make photos)", folder="/usr/share/backgrounds")


@dataclass(frozen=True)
class Photo:
    name: str
    source: PhotoSource
    file: str
    held_out: bool = False


PHOTOS = (
    Photo("lion", GRADIO, "lion.jpg", held_out=True),
    Photo("cheetah", GRADIO, "cheetah.jpg", held_out=True),
    Photo("cheetah1", GRADIO, "cheetah1.jpg", held_out=True),
    Photo("tower", GRADIO, "tower.jpg", held_out=True),
    Photo("astronaut", SKIMAGE, "astronaut.png", held_out=True),
    Photo("chelsea", SKIMAGE, "chelsea.png", held_out=True),
    Photo("coffee", SKIMAGE, "coffee.png", held_out=True),
    Photo("china", SKLEARN, "china.jpg", held_out=True),
    Photo("ladybird", MATE, "nature/LadyBird.jpg", held_out=True),
    Photo("storm", MATE, "nature/Storm.jpg", held_out=True),
    Photo("elephants", MATE, "abstract/Elephants.jpg", held_out=True),
    Photo("dune", MATE, "nature/Dune.jpg", held_out=True),
    Photo("dragonfly", LOMIRI, "Dragonfly_by_Bolly.jpg", held_out=True),
    Photo("fig", LOMIRI, "Picture_0B_by_freespace.jpg", held_out=True),
    Photo("brushes", LOMIRI, "Picture_1A_by_freespace.jpg", held_out=True),
    Photo("wine", LOMIRI, "Wine_by_Jakkub_Mede.jpg", held_out=True),
    Photo("aitzgorri", LOMIRI, "aitzgorri_by_Aitzol_Berasategi.jpg", held_out=True),
    Photo("friends", LOMIRI, "friends_by_Aitzol_Berasategi.jpg", held_out=True),
    Photo("stream", LOMIRI, "life_by_Aitzol_Berasategi.jpg", held_out=True),
    Photo("seeding", LOMIRI, "seeding_by_Clements_Engelhardt.jpg", held_out=True),
    Photo("groot", GRADIO, "groot.jpeg"),
    Photo("flower", SKLEARN, "flower.jpg"),
    Photo("rocket", SKIMAGE, "rocket.jpg"),
    Photo("motorcycle-left", SKIMAGE, "motorcycle_left.png"),
    Photo("motorcycle-right", SKIMAGE, "motorcycle_right.png"),
    Photo("hubble", SKIMAGE, "hubble_deep_field.jpg"),
    Photo("retina", SKIMAGE, "retina.jpg"),
    Photo("ihc", SKIMAGE, "ihc.png"),
    Photo("camera", SKIMAGE, "camera.png"),
    Photo("moon", SKIMAGE, "moon.png"),
    Photo("coins", SKIMAGE, "coins.png"),
    Photo("brick", SKIMAGE, "brick.png"),
    Photo("grass", SKIMAGE, "grass.png"),
    Photo("gravel", SKIMAGE, "gravel.png"),
    Photo("aqua", MATE, "nature/Aqua.jpg"),
    Photo("blinds", MATE, "nature/Blinds.jpg"),
    Photo("fresh-flower", MATE, "nature/FreshFlower.jpg"),
    Photo("garden", MATE, "nature/Garden.jpg"),
    Photo("green-meadow", MATE, "nature/GreenMeadow.jpg"),
    Photo("rain-drops", MATE, "nature/RainDrops.jpg"),
    Photo("two-wings", MATE, "nature/TwoWings.jpg"),
    Photo("wood", MATE, "nature/Wood.jpg"),
    Photo("yellow-flower", MATE, "nature/YellowFlower.jpg"),
)


@functools.lru_cache(maxsize=None)
def read_photo(photo: Photo) -> Image.Image:
    """The photo in RGB (grey ones repeated over three channels), its longest side at most LONGEST. Decoded once
    per process (the callers only read it): a trainer reads its split for each set it makes, and decoding the large
    JPEGs is most of that."""
    path = photo.source.path(photo.file)
    if not path.is_file():
        raise GenartError(f"The training photo {photo.name} is missing at {path}: {photo.source.install}.")
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((LONGEST, LONGEST), Image.Resampling.LANCZOS)
        return im


def photo_split(held_out: bool) -> list[Photo]:
    return [p for p in PHOTOS if p.held_out == held_out]


def read_split(held_out: bool) -> list[Image.Image]:
    """Every photo of one side of the split, read."""
    return [read_photo(p) for p in photo_split(held_out)]


def photo_crops_of(photos: list[Image.Image], n: int, size: int, seed: int) -> np.ndarray:
    """n random crops, uint8 (n, size, size, 3): each from a random photo, at a random scale (the shorter side
    from `size` up to the photo's own), flipped left-right half the time."""
    rng = np.random.default_rng(seed)
    crops = np.empty((n, size, size, 3), np.uint8)
    for i in range(n):
        im = photos[rng.integers(len(photos))]
        short = min(im.size)
        scale = rng.uniform(size, max(size, short)) / short
        scaled = im.resize((max(size, round(im.width * scale)), max(size, round(im.height * scale))),
                           Image.Resampling.BILINEAR)
        x, y = rng.integers(scaled.width - size + 1), rng.integers(scaled.height - size + 1)
        crop = np.asarray(scaled.crop((x, y, x + size, y + size)))
        crops[i] = crop[:, ::-1] if rng.random() < 0.5 else crop
    return crops


def photos_and_art(photo_crops: int, per_class: int, size: int, art_first_seed: int, seed: int) -> np.ndarray:
    """A training set, uint8 (photo_crops + 6 per_class, size, size, 3): crops of the training photos, then
    procedural art of every class from `art_first_seed`."""
    art, _ = art_dataset(per_class, size, first_seed=art_first_seed)
    if not photo_crops:
        return art
    return np.concatenate([photo_crops_of(read_split(held_out=False), photo_crops, size, seed), art])
