"""Audio repair: a recording and where it is damaged in (one gap by its start and length, or the clicks found in it),
the recording repaired out; the spectrograms before and after as its picture. Every method fills a span of samples
from the sound around it; the WAV it writes carries the input recording, so the file alone replays."""
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ..audio.gap_window import gap_window, resample, window_length
from ..audio.restoration import find_clicks, lpc_fill, median_fill, silence_fill
from ..audio.sound import Clip, Sound
from ..audio.spectrogram import spectrograms
from ..audio.wav import read_wav, to_int16
from ..errors import GenartError
from ..hub import Progress
from ..loaders import load_model
from ..models.repair_vae import RepairVAE
from ..registry import ModelSpec, get_spec
from ..replay import make_record
from .settings import checked, knob
from .task import Output, Task, method_for

MAX_SECONDS = 120.0  # the longest recording the task takes
MAX_CLICKS = 1000  # spans one request fills (each is a network pass for a learned method)


@dataclass(frozen=True)
class RepairSettings:
    gap_start: float = knob(1.0, "Gap start", "Seconds from the start of the recording.", 0.0, MAX_SECONDS, 0.01,
                            label_zh="缺口起点", help_zh="从录音开头算起的秒数。")
    gap_ms: float = knob(100.0, "Gap length", "Milliseconds to fill from the gap start.", 5.0, 500.0, 1,
                         label_zh="缺口长度", help_zh="从缺口起点开始要填充的毫秒数。")
    find_clicks: bool = knob(False, "Find clicks", "Repair the clicks found all through the recording instead of one "
                             "gap.", label_zh="查找咔嗒声", help_zh="修复整段录音中找到的咔嗒声，而不是一个缺口。")


# (samples (N,) float, first sample, end sample, rate) -> the samples with that span filled
Filler = Callable[[np.ndarray, int, int, int], np.ndarray]
# (spec, progress) -> its Filler and the record's provenance: what the method table holds for each architecture
FillerFor = Callable[[ModelSpec, Progress | None], tuple[Filler, dict]]


def read_clip(data: bytes) -> Clip:
    """A WAV file's bytes as a recording the task takes (mono, at most MAX_SECONDS)."""
    samples, rate, _ = read_wav(data, MAX_SECONDS)
    if len(samples) < rate // 10:
        raise GenartError("This recording is shorter than 0.1 s; upload a longer one.")
    return Clip(samples, rate)


def classical(fill: Filler) -> FillerFor:
    return lambda spec, progress: (fill, {})


def network_filler(model: RepairVAE, device: torch.device) -> Filler:
    """A Filler that runs the network on a window around each span, at the rate it was trained at (a recording at
    another rate is resampled there and back)."""
    c = model.config

    @torch.inference_mode()
    def fill(x: np.ndarray, start: int, end: int, rate: int) -> np.ndarray:
        ratio = c.sample_rate / rate
        length = window_length(round((end - start) * ratio), c.sample_rate, c.multiple, c.window)
        w = gap_window(x, start, end, rate, round(length / ratio))
        a, b = round((start - w.first) * ratio), round((end - w.first) * ratio)
        gap = np.zeros(length)
        gap[a:b] = 1.0
        inputs = np.concatenate([resample(np.stack([w.forward_fill, w.backward_fill]), length), gap[None]])
        t = torch.tensor(inputs, dtype=torch.float32, device=device)[:, None]  # (3, 1, length)
        filled = resample(model(t[0], t[1], t[2])[0][0].double().cpu().numpy(), len(w.gap))
        out = x.copy()
        out[start:end] = filled[start - w.first:end - w.first]
        return out

    return fill


def learned(spec: ModelSpec, progress: Progress | None) -> tuple[Filler, dict]:
    loaded = load_model(spec, progress)
    return network_filler(loaded.module, loaded.device), loaded.provenance


def filler(spec: ModelSpec, progress: Progress | None = None) -> tuple[Filler, dict]:
    """A repair model's Filler and the provenance its records carry."""
    return method_for(spec, METHODS, progress)(spec, progress)


def damaged_spans(clip: Clip, s: RepairSettings) -> list[tuple[int, int]]:
    """The sample spans to fill: the clicks found, or the one gap (which must lie inside the recording)."""
    if s.find_clicks:
        spans = find_clicks(clip.samples, clip.rate)
        if len(spans) > MAX_CLICKS:
            raise GenartError(f"This recording has {len(spans):,} clicks, more than the {MAX_CLICKS:,} one request "
                              "repairs; repair it in shorter pieces.")
        return spans
    start = round(s.gap_start * clip.rate)
    end = start + round(s.gap_ms / 1000 * clip.rate)
    if end > len(clip.samples):
        raise GenartError(f"The gap ends at {end / clip.rate:.2f} s, past the recording's end at {clip.seconds:.2f} s; "
                          "start it earlier or make it shorter.")
    return [(start, end)]


def repair(name: str, clip: Clip | None, settings: RepairSettings, progress: Progress | None = None) -> Output:
    if clip is None:
        raise GenartError("Add a recording (a WAV file) to repair.")
    s = checked(settings)
    spec = get_spec(name, task="repair")
    fill, provenance = filler(spec, progress)
    spans = damaged_spans(clip, s)
    repaired = clip.samples.astype(np.float64)
    for start, end in spans:
        repaired = fill(repaired, start, end, clip.rate)
    record = make_record("repair", spec.name, provenance, **asdict(s), spans=len(spans))
    picture = spectrograms({"before": clip.samples, "after": repaired}, clip.rate, spans)
    sound = Sound(to_int16(repaired), clip.rate, record, inputs={"audio": clip})
    notice = "" if spans else "No clicks were found; the recording is unchanged."
    return Output(record, image=picture, sound=sound, notice=notice)


def run(model: str, s: RepairSettings, inputs: dict, progress: Progress | None) -> list[Output]:
    return [repair(model, inputs.get("audio"), s, progress)]


METHODS: dict[str, FillerFor] = {"lpc": classical(lpc_fill), "median": classical(median_fill),
                                 "silence": classical(silence_fill), "repair-vae": learned}
TASK = Task("repair", RepairSettings, METHODS, run, inputs=("audio",))
