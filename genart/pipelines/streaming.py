"""Turning a stream of tokens into a stream of text: whole characters only, and never any part of a stop string."""
from typing import Callable

REPLACEMENT = "\ufffd"  # what a decoder emits for an unfinished UTF-8 sequence


class TextStream:
    """Feed token ids one at a time; get back the new text they complete, at a cost that does not grow with the text.

    Only a short window is decoded each time: from `prefix` (where the text returned last time began) to the end, and
    the same window up to `read` (the tokens already returned); the new text is the difference. Both start at the same
    token, so a decoder that treats its first token specially (SentencePiece's leading space) treats both alike.
    Byte-level tokens can end inside a character: such text is held back until the character is whole, but for at most
    MAX_HELD tokens (a UTF-8 character has at most 4 bytes), so a byte that can never complete one does not hold back
    everything after it.
    """

    MAX_HELD = 4

    def __init__(self, decode: Callable[[list[int]], str]):
        self.decode = decode
        self.tokens: list[int] = []
        self.prefix = self.read = 0  # token offsets: the window's start, and the end of what was returned
        self.held = 0  # tokens pushed since text was last returned

    def _new_text(self) -> str:
        return self.decode(self.tokens[self.prefix:])[len(self.decode(self.tokens[self.prefix:self.read])):]

    def push(self, token: int) -> str:
        self.tokens.append(token)
        new = self._new_text()
        if new.endswith(REPLACEMENT) and self.held < self.MAX_HELD - 1:
            self.held += 1
            return ""
        self.prefix, self.read, self.held = self.read, len(self.tokens), 0
        return new

    def flush(self) -> str:
        """The whole characters still held back, once the stream has ended; an unfinished last one is dropped."""
        new = self._new_text().rstrip(REPLACEMENT)
        self.prefix, self.read, self.held = self.read, len(self.tokens), 0
        return new


class StopFilter:
    """Passes text through until a stop string appears; holds back any tail that could be a stop string's start."""

    def __init__(self, stops: list[str]):
        self.stops = [s for s in stops if s]
        self.pending = ""
        self.stopped = False

    def push(self, text: str) -> str:
        if self.stopped:
            return ""
        self.pending += text
        cut = min((i for i in (self.pending.find(s) for s in self.stops) if i >= 0), default=-1)
        if cut >= 0:
            self.stopped = True
            out, self.pending = self.pending[:cut], ""
            return out
        hold = max((k for s in self.stops for k in range(1, len(s)) if self.pending.endswith(s[:k])), default=0)
        out = self.pending[:len(self.pending) - hold]
        self.pending = self.pending[len(out):]
        return out

    def flush(self) -> str:
        """The held-back tail, once generation has ended without a stop string."""
        out, self.pending = ("" if self.stopped else self.pending), ""
        return out
