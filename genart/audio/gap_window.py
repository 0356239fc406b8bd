"""What a learned gap filler sees: a window of the recording around the gap, once with the gap filled by the forward
linear-prediction guess and once by the backward one, and where the gap is. The trainer and the repair pipeline both
cut windows here, so the network meets at work exactly what it learned on."""
from dataclasses import dataclass

import numpy as np

from .restoration import extrapolations

PAD_SECONDS = 0.22  # the recording kept each side of the gap (the predictors see 0.2 s of it)


@dataclass
class GapWindow:
    forward_fill: np.ndarray  # (L,) the window, the gap filled by the forward guess
    backward_fill: np.ndarray  # (L,) the same, by the backward guess
    gap: np.ndarray  # (L,) 1.0 inside the gap, else 0.0
    first: int  # the recording's sample at the window's start (negative when the window starts before it)


def window_length(gap: int, rate: int, multiple: int, least: int) -> int:
    """Samples in the window for a gap of `gap` samples: the gap and PAD_SECONDS each side, at least `least`, rounded
    up to a multiple of `multiple`."""
    n = max(least, gap + 2 * round(PAD_SECONDS * rate))
    return -(-n // multiple) * multiple


def gap_window(x: np.ndarray, start: int, end: int, rate: int, length: int) -> GapWindow:
    """The gap start..end centred in a window of `length` samples (zeros past the recording's ends)."""
    forward, backward = extrapolations(x, start, end, rate)
    first = start - (length - (end - start)) // 2
    index = np.arange(first, first + length)
    inside = (index >= 0) & (index < len(x))
    base = np.zeros(length)
    base[inside] = x[index[inside]]
    gap = (index >= start) & (index < end)
    forward_fill, backward_fill = base.copy(), base.copy()
    forward_fill[gap], backward_fill[gap] = forward, backward
    return GapWindow(forward_fill, backward_fill, gap.astype(np.float64), first)


def resample(x: np.ndarray, n: int) -> np.ndarray:
    """(..., N) -> (..., n): band-limited resampling by the FFT (the spectrum cut or zero-extended)."""
    spectrum = np.fft.rfft(x)
    bins = n // 2 + 1
    spectrum = spectrum[..., :bins] if spectrum.shape[-1] >= bins else \
        np.pad(spectrum, [(0, 0)] * (x.ndim - 1) + [(0, bins - spectrum.shape[-1])])
    return np.fft.irfft(spectrum, n) * (n / x.shape[-1])
