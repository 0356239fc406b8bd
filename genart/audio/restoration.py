"""Classical audio repair, the baselines a learned model must beat: a gap filled by linear prediction from both sides
(autoregressive extrapolation forward from before it and backward from after it, cross-faded), or by silence; clicks
found where the recording's own linear predictor fails by far, then filled like gaps or by a running median."""
import numpy as np

CONTEXT_SECONDS = 0.2  # the signal each side of a gap that the predictor is fitted on
ORDER = 256  # prediction coefficients (about 12 ms at 22 kHz; 64 and 128 scored 3-4 dB lower at 50 ms)
CLICK_ORDER = 32  # the predictor whose error finds clicks
CLICK_BLOCK = 256  # samples per block the error's local spread is measured over
CLICK_THRESHOLD = 12.0  # a click's prediction error is this many robust deviations of the error around it
CLICK_FLOOR = 5e-3  # of the peak: the least error that counts, so near-silence does not make every onset a click
CLICK_PAD = 2  # samples added each side of a detected click
MAX_CLICK = 0.005  # seconds: a longer run is music, not a click


def lpc(x: np.ndarray, order: int) -> np.ndarray:
    """(N,) signal -> (order,) coefficients a of the predictor x[n] ~ sum_i a[i] x[n-1-i] (autocorrelation method and
    Levinson-Durbin: the filter is stable), with slight bandwidth expansion so long extrapolations die away."""
    order = min(order, len(x) - 1)
    r = np.fft.irfft(np.abs(np.fft.rfft(x, 2 * len(x))) ** 2)[:order + 1]  # (order + 1,) autocorrelation
    if r[0] <= 1e-12:
        return np.zeros(order)
    r[0] *= 1 + 1e-9  # white-noise correction: a well-conditioned recursion
    a, error = np.zeros(order), r[0]
    for i in range(order):
        k = (r[i + 1] - a[:i] @ r[i:0:-1]) / error
        a[:i] = a[:i] - k * a[:i][::-1]
        a[i] = k
        error *= 1 - k * k
    return a * 0.99999 ** np.arange(1, order + 1)


def extrapolate(context: np.ndarray, n: int, order: int = ORDER) -> np.ndarray:
    """n samples that continue `context` by its own linear predictor."""
    a = lpc(context, order)
    p = len(a)
    buffer = np.concatenate([context[-p:], np.zeros(n)]) if p else np.zeros(n)
    for t in range(p, p + n):
        buffer[t] = a @ buffer[t - p:t][::-1]  # x[t-1], x[t-2], ..., x[t-p]
    return buffer[p:]


def extrapolations(x: np.ndarray, start: int, end: int, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The gap start..end predicted forward from the CONTEXT_SECONDS before it and backward from those after it; a side
    too short to fit a predictor on takes the other side's guess (silence when both are)."""
    side = int(CONTEXT_SECONDS * rate)
    before, after = x[max(0, start - side):start], x[end:end + side]
    n = end - start
    forward = extrapolate(before, n) if len(before) > ORDER else None
    backward = extrapolate(after[::-1], n)[::-1] if len(after) > ORDER else None
    if forward is None and backward is None:
        return np.zeros(n), np.zeros(n)
    return (backward if forward is None else forward), (forward if backward is None else backward)


def lpc_fill(x: np.ndarray, start: int, end: int, rate: int) -> np.ndarray:
    """x with samples start..end predicted forward from before the gap and backward from after it, cross-faded."""
    forward, backward = extrapolations(x, start, end, rate)
    fade = 0.5 - 0.5 * np.cos(np.pi * (np.arange(end - start) + 0.5) / (end - start))  # 0 -> 1 across the gap
    out = x.copy()
    out[start:end] = (1 - fade) * forward + fade * backward
    return out


def silence_fill(x: np.ndarray, start: int, end: int, rate: int) -> np.ndarray:
    out = x.copy()
    out[start:end] = 0.0
    return out


def median_fill(x: np.ndarray, start: int, end: int, rate: int) -> np.ndarray:
    """x with samples start..end replaced by a running median wide enough to step over them (each filled sample the
    median of the 2n + 1 around it, n the span's length)."""
    out = x.copy()
    half = end - start
    padded = np.pad(x, half, mode="edge")  # sample i of x is padded[i + half]
    windows = np.lib.stride_tricks.sliding_window_view(padded[start:end + 2 * half], 2 * half + 1)  # (n, 2n + 1)
    out[start:end] = np.median(windows, axis=1)
    return out


def prediction_error(x: np.ndarray, order: int = CLICK_ORDER) -> np.ndarray:
    """(N,) -> (N,) what the recording's own linear predictor fails to predict: near zero for tones, a spike at a
    click."""
    a = lpc(x, order)
    return np.convolve(x, np.concatenate([[1.0], -a]))[:len(x)]


def find_clicks(x: np.ndarray, rate: int) -> list[tuple[int, int]]:
    """Sample spans (start, end) where the prediction error is far beyond its robust spread around them (a block and
    its neighbours, so that note onsets, unpredictable for longer, raise their own bar); runs longer than MAX_CLICK are
    music, not clicks."""
    e = np.abs(prediction_error(x.astype(np.float64)))
    blocks = np.pad(e, (0, -len(e) % CLICK_BLOCK)).reshape(-1, CLICK_BLOCK)  # (B, CLICK_BLOCK)
    local = np.median(blocks, axis=1) / 0.6745  # (B,) the error's spread around each sample: high at note onsets
    local = np.maximum(local, np.roll(local, 1), np.roll(local, -1)) if len(local) > 2 else local
    scale = np.repeat(local, CLICK_BLOCK)[:len(e)] + CLICK_FLOOR * (np.abs(x).max() + 1e-9)
    hot = np.flatnonzero(e > CLICK_THRESHOLD * scale)
    spans: list[tuple[int, int]] = []
    for i in hot:
        start, end = max(0, int(i) - CLICK_PAD), min(len(x), int(i) + CLICK_PAD + 1)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [s for s in spans if s[1] - s[0] <= MAX_CLICK * rate + 2 * CLICK_PAD + 1]
