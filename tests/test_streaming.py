import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from genart.pipelines.streaming import StopFilter, TextStream

TEXT = "Café au lait 🎨 — naïve brushwork, 水彩画 at dawn. " * 20


@pytest.fixture(scope="module")
def byte_bpe() -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator([TEXT], trainers.BpeTrainer(vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return tok


def test_streaming_never_splits_a_character(byte_bpe):
    ids = byte_bpe.encode("Un 🎨 et 水彩画, voilà!").ids
    assert any("\ufffd" in byte_bpe.decode(ids[:i]) for i in range(1, len(ids)))  # the hazard is real
    stream = TextStream(byte_bpe.decode)
    pieces = [stream.push(i) for i in ids]
    assert all("\ufffd" not in p for p in pieces)
    assert "".join(pieces) == "Un 🎨 et 水彩画, voilà!"


@pytest.mark.parametrize("chunks, stops, expected", [
    (["Hello", " wor", "ld", "\nUser:", " hi"], ["\nUser:"], "Hello world"),
    (["a", "b", "<", "/", "s", ">", "c"], ["</s>"], "ab"),
    (["a", "<", "b"], ["</s>"], "a<b"),  # a false start is released once it cannot match
    (["x", "y"], [], "xy"),
])
def test_no_part_of_a_stop_string_reaches_the_output(chunks, stops, expected):
    f = StopFilter(stops)
    seen = [f.push(c) for c in chunks]
    out = "".join(seen) + f.flush()
    assert out == expected
    for stop in stops:
        for i in range(len(seen)):
            assert stop not in "".join(seen[: i + 1])


def test_a_byte_that_never_completes_a_character_does_not_hold_back_the_rest(byte_bpe):
    stray = byte_bpe.token_to_id("\u0122")  # byte-level BPE's symbol for byte 0x80: a lone UTF-8 continuation byte
    assert byte_bpe.decode([stray]) == "\ufffd"
    tail = byte_bpe.encode(" at dawn").ids
    stream = TextStream(byte_bpe.decode)
    out = "".join(stream.push(t) for t in [stray, *tail])
    assert out == "\ufffd at dawn"


def test_flush_releases_whole_characters_held_with_an_unfinished_one(byte_bpe):
    ids = byte_bpe.encode("voilà 🎨").ids
    cut = next(i for i in range(len(ids), 0, -1) if byte_bpe.decode(ids[:i]).endswith("\ufffd"))  # ends inside 🎨
    stream = TextStream(byte_bpe.decode)
    shown = "".join(stream.push(t) for t in ids[:cut])
    assert shown + stream.flush() == byte_bpe.decode(ids[:cut]).rstrip("\ufffd")


def spm_like() -> Tokenizer:
    """A SentencePiece-style tokenizer: words start with '▁', which the decoder turns into a space except at the very
    start of the text."""
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    tok.train_from_iterator([TEXT], trainers.BpeTrainer(vocab_size=400, special_tokens=["<unk>"]))
    return tok


@pytest.mark.parametrize("make", ["byte_bpe", "spm_like"])
def test_the_incremental_stream_gives_exactly_the_full_decode(byte_bpe, make):
    tok = byte_bpe if make == "byte_bpe" else spm_like()
    ids = tok.encode(TEXT[:400]).ids
    stream = TextStream(tok.decode)
    pieces = [stream.push(i) for i in ids]
    assert "".join(pieces) + stream.flush() == tok.decode(ids)
    assert all("\ufffd" not in p for p in pieces)


def test_each_push_decodes_a_few_tokens_however_long_the_text(byte_bpe):
    ids = byte_bpe.encode(TEXT * 4).ids
    widths = []

    def decode(window):
        widths.append(len(window))
        return byte_bpe.decode(window)

    stream = TextStream(decode)
    for i in ids:
        stream.push(i)
    assert len(ids) > 1000 and max(widths) <= 2 * TextStream.MAX_HELD
