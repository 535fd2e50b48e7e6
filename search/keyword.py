"""The keyword index: BM25 (bm25s) over passages, saved beside the passage table it indexes."""

from __future__ import annotations

import re
from typing import Sequence

from ingest.normalise import normalise

__all__ = ["tokenize", "KeywordIndex"]

_STOP = frozenset(
    """a an and are as at be been being but by can could did do does for from had has have he her
    his how i if in into is it its of on or our she so such than that the their them then there
    these they this those to was we were what when where which who whom whose why will with would
    you your about after also any all more most other over said says some up us""".split()
)
_TOKEN = re.compile(r"£?\d[\d,.]*[a-z]*|[a-z][a-z0-9'&-]*")


def _stem(token: str) -> str:
    # A light, predictable stemmer: plural and possessive endings only (no dependency).
    if token.endswith("'s"):
        token = token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`, shared by indexing and querying."""
    out = []
    for tok in _TOKEN.findall(normalise(text)):
        tok = tok.strip("'-").rstrip(".,")
        if tok and tok not in _STOP:
            out.append(_stem(tok))
    return out


class KeywordIndex:
    """BM25 over a fixed list of passage texts, addressed by position."""

    def __init__(self, retriever, size: int):
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> "KeywordIndex":
        import bm25s

        retriever = bm25s.BM25()
        if texts:
            retriever.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder) -> None:
        if self.size:
            self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder, size: int) -> "KeywordIndex":
        import bm25s

        if not size:
            return cls(None, 0)
        return cls(bm25s.BM25.load(str(folder)), size)

    def scores(self, query: str):
        """BM25 score of every passage for `query` (a numpy array, zeros when nothing matches)."""
        import numpy as np

        tokens = tokenize(query)
        if not self.size or not tokens:
            return np.zeros(self.size, dtype="float32")
        return np.asarray(self._retriever.get_scores(tokens), dtype="float32")
