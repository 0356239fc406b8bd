"""Melody generation: a primer (or nothing) in, a melody out, sampled one 16th-note event at a time by a melody
language model (an LSTM or a GPT-2 over the MelodyRNN events, audio/events.py), streamed as it grows; then played by
the synthesiser (a WAV), written as MIDI and drawn as a piano roll, every file with the replay record."""
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from PIL import Image

from .. import runtime
from ..audio.events import START, STEPS_PER_BAR, VOCAB, events_to_notes, parse_primer
from ..audio.piano_roll import piano_roll
from ..audio.sound import Sound
from ..audio.synth import INSTRUMENTS, SAMPLE_RATE, render
from ..errors import GenartError
from ..hub import Progress
from ..loaders import LoadedModel, load_model
from ..registry import get_spec
from ..replay import make_record
from .checks import MAX_SEED
from .decode import decode
from .sampling import SamplingSettings
from .settings import checked, knob, same_as
from .task import Output, Task, method_for
from .text import TextSettings


@dataclass(frozen=True)
class MelodySettings:
    primer: str = knob("", "Primer", "Notes the melody starts from: note names with an octave and an optional length "
                       "in 16ths (E4 D#4 Bb3:4), r for a rest. Empty: the model starts on its own.", high=400,
                       label_zh="开头旋律", help_zh="旋律开头的音符：带八度的音名，可加以十六分音符计的时值"
                       "（E4 D#4 Bb3:4），r 表示休止。留空：由模型自己开头。")
    bars: int = knob(8, "Length in bars", "4/4 bars of 16th notes sampled after the primer.", 1, 16, 1,
                     label_zh="小节数", help_zh="在开头旋律之后采样的 4/4 拍小节数（以十六分音符为单位）。")
    seed: int = knob(0, "Seed", low=0, high=MAX_SEED, label_zh="种子")
    temperature: float = same_as(TextSettings, "temperature")
    top_k: int = same_as(TextSettings, "top_k")
    top_p: float = same_as(TextSettings, "top_p")
    tempo: float = knob(120.0, "Tempo", "Quarter notes per minute.", 40.0, 240.0, 1, label_zh="速度", help_zh="每分钟四分音符数。")
    instrument: str = knob("piano", "Instrument", f"The synthesiser's sound: {', '.join(INSTRUMENTS)}.", high=20,
                           label_zh="乐器", help_zh=f"合成器的音色：{'、'.join(INSTRUMENTS)}。")


@dataclass
class MelodyModel:
    loaded: LoadedModel
    lock: threading.Lock = field(default_factory=threading.Lock)  # the module keeps one decoding state

    @property
    def context(self) -> int:
        return self.loaded.module.config.n_positions


@dataclass
class MelodyUpdate:
    roll: Image.Image  # the piano roll so far
    steps: int  # events sampled so far
    done: bool = False
    output: Output | None = None  # once done: the melody with its sound and record


def load_melody_model(name: str, progress: Progress | None = None) -> MelodyModel:
    spec = get_spec(name, task="melody")
    method_for(spec, DECODERS, progress)
    loaded = load_model(spec, progress)
    if loaded.module.config.vocab_size != VOCAB:
        raise GenartError(f"{spec.name} has {loaded.module.config.vocab_size} tokens, not the {VOCAB} melody events; "
                          "pick a melody model.")
    return runtime.MODELS.get(runtime.cache_key(spec.name, loaded.provenance, part="melody"),
                              lambda: MelodyModel(loaded))


def ready(settings: MelodySettings) -> MelodySettings:
    s = checked(settings)
    if s.instrument not in INSTRUMENTS:
        raise GenartError(f"There is no instrument {s.instrument!r:.30}; pick one of: {', '.join(INSTRUMENTS)}.")
    return s


def sampling_of(s: MelodySettings) -> SamplingSettings:
    return SamplingSettings(s.temperature, s.top_k, s.top_p)


def finish(events: list[int], primer_steps: int, s: MelodySettings, record: dict) -> Output:
    """The sampled events as an output: the piano roll as its image, the synthesised sound with notes for MIDI."""
    notes = events_to_notes(events)
    instrument = INSTRUMENTS[s.instrument]
    sound = Sound(render(notes, s.tempo, instrument, len(events)), SAMPLE_RATE, record, notes, s.tempo,
                  instrument.program)
    return Output(record, image=piano_roll(notes, len(events), primer_steps), sound=sound)


def generate_melody(name: str, settings: MelodySettings, progress: Progress | None = None) -> Iterator[MelodyUpdate]:
    """Stream the melody bar by bar (the piano roll so far); the last update is done and carries the output. Closing
    the iterator stops sampling at once."""
    s = ready(settings)
    primer = parse_primer(s.primer)
    model = load_melody_model(name, progress)
    steps = s.bars * STEPS_PER_BAR
    if 1 + len(primer) + steps > model.context:
        raise GenartError(f"{name} holds {model.context - 1} steps of 16ths; the primer ({len(primer)}) and "
                          f"{s.bars} bars ({steps}) need more, so ask for fewer bars or a shorter primer.")
    record = make_record("melody", model.loaded.spec.name, model.loaded.provenance, **asdict(s))
    events = list(primer)
    with model.lock, runtime.oom_guard("fewer bars"):
        for token in DECODERS[model.loaded.arch](model.loaded.module, [[START, *primer]], steps, sampling_of(s),
                                                 seed=s.seed):
            events.append(int(token[0]))
            if (len(events) - len(primer)) % STEPS_PER_BAR == 0 and len(events) - len(primer) < steps:
                yield MelodyUpdate(piano_roll(events_to_notes(events), len(primer) + steps, len(primer)),
                                   len(events) - len(primer))
    output = finish(events, len(primer), s, record)
    yield MelodyUpdate(output.image, steps, done=True, output=output)


def run(model: str, s: MelodySettings, inputs: dict, progress: Progress | None) -> list[Output]:
    *_, last = generate_melody(model, s, progress)
    return [last.output]


# Both melody architectures are sampled as the text models are, by the one token loop (pipelines/decode.py).
DECODERS = dict.fromkeys(("gpt2", "lstm"), decode)
TASK = Task("melody", MelodySettings, DECODERS, run)
