"""Text streaming speed: tokens/s of turning tokens into text alone (no model), at 16, 256 and 2,048 tokens, for
genart's incremental stream beside decoding the whole completion again at every token (what it did before),
measured in the same run on text-art's byte-level BPE and a completion from its corpus."""
import time

from ..data.art_tokenizer import train_tokenizer
from ..data.text_corpus import corpus
from ..pipelines.streaming import TextStream

LENGTHS = (16, 256, 2048)


def whole_decode(decode):
    """The reference: every token decodes the whole completion so far and returns what is new."""
    tokens, shown = [], [0]

    def push(token: int) -> str:
        tokens.append(token)
        text = decode(tokens)
        new, shown[0] = text[shown[0]:], len(text)
        return new

    return push


def tokens_per_second(make_push, ids: list[int]) -> float:
    best = float("inf")
    for _ in range(3):
        push = make_push()
        start = time.perf_counter()
        for token in ids:
            push(token)
        best = min(best, time.perf_counter() - start)
    return len(ids) / best


def run():
    lines = corpus(4000, seed=0)
    tok = train_tokenizer(lines, 1024)
    ids = tok.encode(" ".join(lines), add_special_tokens=False).ids
    print("\n### text streaming — tokens to text, no model (text-art's tokenizer), one core\n")
    print("| tokens | genart incremental (tokens/s) | whole decode per token (tokens/s) | genart / whole |")
    print("|---|---|---|---|")
    for n in LENGTHS:
        ours = tokens_per_second(lambda: TextStream(tok.decode).push, ids[:n])
        whole = tokens_per_second(lambda: whole_decode(tok.decode), ids[:n])
        print(f"| {n:,} | {ours:,.0f} | {whole:,.0f} | {ours / whole:.1f} |")
