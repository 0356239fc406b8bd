"""int8 weights on the CPU (models/int8.py): each swapped layer against the float32 one it replaces, the shipped and
a GPT-2-shaped model decoding through it, and the precision setting end to end (pipeline, record, replay)."""
import pytest
import torch
from torch import nn

from genart.errors import GenartError
from genart.metrics.precision_quality import agreement, perplexity
from genart.models.gpt2 import GPT2, GPT2Config
from genart.models.int8 import Int8Linear, Int8LSTM, quantized
from genart.models.lstm_lm import LSTMConfig, LSTMLanguageModel
from genart.pipelines.remake import remake
from genart.pipelines.text import TextSettings, generate_text, load_text_model
from genart.train.text_lm import init_weights


def relative_error(got: torch.Tensor, want: torch.Tensor) -> float:
    return ((got - want).norm() / want.norm()).item()


@torch.inference_mode()
def test_an_int8_linear_is_the_float_one_within_three_percent():
    torch.manual_seed(0)
    linear = nn.Linear(256, 512)
    x = torch.randn(3, 5, 256)  # any leading shape
    got = Int8Linear(linear.weight, linear.bias)(x)
    assert got.shape == (3, 5, 512) and got.dtype == torch.float32
    assert relative_error(got, linear(x)) < 0.03  # 7-bit inputs: about 1.7% on Gaussian ones
    assert relative_error(Int8Linear(linear.weight, None)(x), linear(x) - linear.bias) < 0.03


@torch.inference_mode()
def test_an_int8_lstm_steps_like_the_float_one_and_carries_its_state():
    torch.manual_seed(0)
    lstm = nn.LSTM(64, 128, num_layers=2, batch_first=True)
    x, h0, c0 = torch.randn(2, 9, 64), torch.randn(2, 2, 128), torch.randn(2, 2, 128)
    want, (wh, wc) = lstm(x, (h0, c0))
    int8 = Int8LSTM(lstm)
    got, (gh, gc) = int8(x, (h0, c0))
    assert got.shape == want.shape and gh.shape == wh.shape
    assert max(relative_error(got, want), relative_error(gh, wh), relative_error(gc, wc)) < 0.02
    first, state = int8(x[:, :4], (h0, c0))  # in two calls, as decoding does (each call quantizes its own input,
    rest, _ = int8(x[:, 4:], state)  # so not bit for bit)
    assert relative_error(torch.cat([first, rest], 1), got) < 0.02


def test_quantized_leaves_the_float_model_as_it_was_and_swaps_every_map_of_the_copy():
    model = LSTMLanguageModel(LSTMConfig(vocab_size=64, n_embd=32, hidden_size=48))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    int8 = quantized(model)
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())
    assert isinstance(model.lstm, nn.LSTM) and isinstance(int8.lstm, Int8LSTM)
    assert isinstance(int8.proj, Int8Linear) and isinstance(int8.head, Int8Linear)
    assert not any(isinstance(m, (nn.Linear, nn.LSTM)) for m in int8.modules())
    assert int8.wte is not model.wte and torch.equal(int8.wte.weight, model.wte.weight)  # embeddings stay float


def test_a_gpt2_shaped_model_keeps_float32s_greedy_choices():
    torch.manual_seed(0)
    model = GPT2(GPT2Config(vocab_size=4096, n_layer=4, n_embd=256, n_head=4)).eval()
    init_weights(model)  # GPT-2's initialisation, so the logits are not flat
    free, forced = agreement(model, quantized(model), 4096, prompts=3)
    assert forced > 0.9 and free > 0.3


def test_the_shipped_models_lose_under_one_percent_of_perplexity_in_int8():
    for name in ("text-art", "text-art-lstm"):
        model = load_text_model(name)
        exact = perplexity(model.loaded.module, model.tokenizer, 96, lines=256)
        assert exact < 3 and perplexity(quantized(model.loaded.module), model.tokenizer, 96, lines=256) < 1.01 * exact


def test_int8_text_is_recorded_and_replays_the_same():
    settings = TextSettings(prompt="«Quiet", max_new_tokens=24, seed=3, n=2, precision="int8")
    *_, last = generate_text("text-art-lstm", settings)
    assert last.record["precision"] == "int8" and all(last.texts)
    assert remake(last.record, {}).texts == last.texts
    assert load_text_model("text-art-lstm", precision="int8").loaded.module is not \
        load_text_model("text-art-lstm").loaded.module


def test_an_unknown_precision_is_refused_with_the_choices():
    with pytest.raises(GenartError, match=r"There is no precision 'int4'; pick one of: float32, int8\."):
        next(generate_text("text-art", TextSettings(prompt="«Quiet", precision="int4")))
