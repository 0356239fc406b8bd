"""Spectrogram pictures: log-magnitude short-time spectra, time across and frequency up (to 6 kHz), in a dark-to-light
palette; several recordings stacked with a label each, the repaired spans marked underneath."""
import numpy as np
from PIL import Image, ImageDraw

WINDOW, HOP = 512, 128
FLOOR_DB = -80.0
HEIGHT = 160  # rows per spectrogram (frequency bins, resampled)
MAX_WIDTH = 1200  # columns: longer recordings are squeezed
MARK = (255, 64, 96)
MAX_HZ = 6000  # where melodies' partials fade out; the picture shows up to here


def magnitudes_db(samples: np.ndarray, rate: int) -> np.ndarray:
    """(N,) samples -> (frequencies up to MAX_HZ, frames) dB relative to the loudest bin, floored."""
    padded = np.pad(samples.astype(np.float64), (WINDOW // 2, WINDOW // 2))
    frames = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::HOP] * np.hanning(WINDOW)  # (T, W)
    spectrum = np.abs(np.fft.rfft(frames, axis=1)).T[:int(MAX_HZ * WINDOW / rate) + 1]  # (F, T)
    db = 20 * np.log10(spectrum + 1e-9)
    return np.maximum(db - db.max(), FLOOR_DB)


def palette(values: np.ndarray) -> np.ndarray:
    """(H, W) in 0..1 -> (H, W, 3) uint8, from near-black blue through red to pale yellow."""
    stops = np.array([[10, 10, 30], [70, 20, 110], [190, 50, 70], [250, 150, 40], [252, 250, 190]], float)
    position = values * (len(stops) - 1)
    low = np.clip(position.astype(int), 0, len(stops) - 2)
    t = (position - low)[..., None]
    return ((1 - t) * stops[low] + t * stops[low + 1]).astype(np.uint8)


def spectrogram(samples: np.ndarray, rate: int, width: int) -> Image.Image:
    db = magnitudes_db(samples, rate)[::-1]  # low frequencies at the bottom
    picture = Image.fromarray(palette((db - FLOOR_DB) / -FLOOR_DB))
    return picture.resize((width, HEIGHT), Image.Resampling.BILINEAR)


def spectrograms(recordings: dict[str, np.ndarray], rate: int, spans: list[tuple[int, int]]) -> Image.Image:
    """The recordings' spectrograms one above another, each labelled, with the spans (in samples) marked below each."""
    longest = max(len(x) for x in recordings.values())
    width = min(MAX_WIDTH, max(200, longest // HOP))
    label_h, mark_h = 16, 4
    image = Image.new("RGB", (width, len(recordings) * (label_h + HEIGHT + mark_h)), (250, 248, 243))
    draw = ImageDraw.Draw(image)
    for i, (name, samples) in enumerate(recordings.items()):
        top = i * (label_h + HEIGHT + mark_h)
        draw.text((4, top + 2), f"{name} · {len(samples) / rate:.2f} s", fill=(40, 40, 40))
        image.paste(spectrogram(samples, rate, width), (0, top + label_h))
        for start, end in spans:
            x0, x1 = start * width // longest, max(start * width // longest + 1, end * width // longest)
            draw.rectangle([x0, top + label_h + HEIGHT, x1, top + label_h + HEIGHT + mark_h - 1], fill=MARK)
    return image
