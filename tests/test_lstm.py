"""The LSTM language model in the shared decode loop: the cache, left padding and a plain-torch reference agree."""
import torch

from genart.models.lstm_lm import LSTMConfig, LSTMLanguageModel
from genart.pipelines.decode import decode
from tests.test_decode import GREEDY, PROMPTS, ours


def small_lstm() -> LSTMLanguageModel:
    torch.manual_seed(4)
    return LSTMLanguageModel(LSTMConfig(vocab_size=101, n_embd=16, hidden_size=24, n_layer=2)).eval()


@torch.no_grad()
def reference_greedy(model: LSTMLanguageModel, prompt: list[int], n: int) -> list[int]:
    """Greedy decoding written directly against nn.LSTM, re-reading the whole sequence each step."""
    seq = list(prompt)
    for _ in range(n):
        y, _ = model.lstm(model.wte(torch.tensor([seq])))  # (1, T, H)
        logits = model.proj(y[0, -1]) @ model.wte.weight.T  # (V,)
        seq.append(int(logits.argmax()))
    return seq[len(prompt):]


def test_cached_uncached_and_left_padded_decoding_match_the_reference():
    model = small_lstm()
    expected = [reference_greedy(model, p, 16) for p in PROMPTS]
    assert len({tuple(e) for e in expected}) == 2  # the two prompts lead to different text
    assert ours(model, PROMPTS, n=16) == expected  # a left-padded batch, with the recurrent state carried
    assert ours(model, PROMPTS, n=16, use_cache=False) == expected
    assert [ours(model, [p], n=16)[0] for p in PROMPTS] == expected


def test_the_state_is_dropped_after_decoding():
    model = small_lstm()
    list(decode(model, PROMPTS, 4, GREEDY))
    assert model.state is None
