"""The keyword index: BM25 over passages, kept as one postings segment per document.

A segment holds, for one document's passages, each (passage, term) pair with its count and each
passage's length; terms are 64-bit hashes of the tokens, so segments built at different times
share no vocabulary and a new report costs only its own segment. The corpus index concatenates
the segments and sorts the pairs by term once at load; a query reads the range of each of its
terms. Scores are bm25s's "lucene" BM25 (k1 1.5, b 0.75), the variant the index used before.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections import Counter
from typing import Sequence

from ingest.normalise import normalise
from ingest.text import MONEY, STOP_WORDS, amount_word, stem

__all__ = ["tokenize", "content_stems", "stem_counts", "term_hash", "build_postings", "postings_bytes", "read_postings", "KeywordIndex", "K1", "B"]

K1, B = 1.5, 0.75

_TOKEN = re.compile(r"£?\d[\d,.]*[a-z]*|[a-z][a-z0-9'&-]*")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed content words of `text`, shared by indexing and querying."""
    out = []
    for tok in _TOKEN.findall(normalise(text)):
        tok = tok.strip("'-").rstrip(".,")
        if tok and tok not in STOP_WORDS:
            # Numbers and amounts are matched as written; words by the answerer's stemmer, so a
            # question's 'led' finds a passage's 'leads' in both halves of hybrid search.
            out.append(tok if tok[0] in "£0123456789" else stem(tok))
    return out


_WORD = re.compile(rf"{MONEY}|[A-Za-z0-9£][\w'’&£-]*", re.I)
_GLUED = re.compile(r"(?<=[a-z])([A-Z][a-z]+)")
_PHRASE_STEMS = {"up to": stem("maximum"), "at most": stem("maximum"), "at least": stem("minimum")}
_PHRASES = re.compile(r"\b(?:up to|at most|at least)\b", re.I)


def content_stems(text: str) -> tuple[list[int], list[str]]:
    """(start offsets, stems) of the content words of `text` as the answerer weighs them: amounts
    as written, case kept apart from the keyword index's tokens."""
    from bisect import bisect_left

    starts, stems = [], []
    for m in _WORD.finditer(text):
        w = m.group(0).lower().replace("’", "'")
        if w in STOP_WORDS and not w.isdigit():
            continue
        starts.append(m.start())
        stems.append(amount_word(w) if w.startswith("£") else stem(w))
        # A label glued to a name by the PDF conversion ('Group LeadJo Bloggs'): the name's
        # words count too.
        for g in _GLUED.finditer(m.group(0)):
            starts.append(m.start() + g.start(1))
            stems.append(stem(g.group(1).lower()))
    # Phrases that say what a question's single word says ("up to £90 million" is a maximum).
    for m in _PHRASES.finditer(text):
        at = bisect_left(starts, m.start())
        starts.insert(at, m.start())
        stems.insert(at, _PHRASE_STEMS[m.group(0).lower()])
    return starts, stems


def stem_counts(texts: Sequence[str]) -> dict[str, int]:
    """In how many of `texts` each of the answerer's stems occurs (a document's share of the IDF
    the answerer weighs evidence by; kept with its search segment so no process recounts it)."""
    df: Counter = Counter()
    for text in texts:
        df.update(set(content_stems(text)[1]))
    return dict(df)


def term_hash(token: str) -> int:
    """A stable 64-bit id of a token (collisions: about one in 10^9 for a 200,000-word vocabulary)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def build_postings(texts: Sequence[str]) -> dict:
    """The postings segment of a list of passage texts: arrays `terms`, `rows`, `tf`, `lengths`."""
    import numpy as np

    hashes: dict[str, int] = {}
    terms: list[int] = []
    rows: list[int] = []
    tfs: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int32)
    for i, text in enumerate(texts):
        tokens = tokenize(text) or [""]  # an empty passage still has length 1, as in bm25s
        lengths[i] = len(tokens)
        for tok, n in Counter(tokens).items():
            h = hashes.get(tok)
            if h is None:
                h = hashes[tok] = term_hash(tok)
            terms.append(h)
            rows.append(i)
            tfs.append(n)
    return {"terms": np.asarray(terms, dtype=np.uint64), "rows": np.asarray(rows, dtype=np.int32),
            "tf": np.asarray(tfs, dtype=np.int32), "lengths": lengths}


def postings_bytes(postings: dict) -> bytes:
    """A segment as .npz bytes (written atomically by the caller)."""
    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, **postings)
    return buf.getvalue()


def read_postings(path) -> dict:
    import numpy as np

    with np.load(path) as data:
        return {k: data[k] for k in ("terms", "rows", "tf", "lengths")}


class KeywordIndex:
    """BM25 over the passages of a list of segments, addressed by position (segment order)."""

    def __init__(self, terms, rows, tf, lengths):
        self._terms, self._rows, self._tf = terms, rows, tf
        self.size = len(lengths)
        avgdl = float(lengths.mean()) if self.size else 1.0
        self._norm = K1 * ((1 - B) + B * lengths / avgdl)  # the length part of each passage's BM25

    @classmethod
    def from_segments(cls, segments: Sequence[dict]) -> "KeywordIndex":
        import numpy as np

        offsets = np.cumsum([0] + [len(s["lengths"]) for s in segments])
        if not segments:
            empty = np.zeros(0, dtype=np.int32)
            return cls(np.zeros(0, dtype=np.uint64), empty, empty.astype(np.float32), empty)
        terms = np.concatenate([s["terms"] for s in segments])
        rows = np.concatenate([s["rows"] + off for s, off in zip(segments, offsets)])
        tf = np.concatenate([s["tf"] for s in segments]).astype(np.float32)
        order = np.argsort(terms, kind="stable")
        lengths = np.concatenate([s["lengths"] for s in segments]).astype(np.float32)
        return cls(terms[order], rows[order], tf[order], lengths)

    @classmethod
    def build(cls, texts: Sequence[str]) -> "KeywordIndex":
        """An index of one list of texts (one segment)."""
        return cls.from_segments([build_postings(texts)])

    def scores(self, query: str):
        """BM25 score of every passage for `query` (a numpy array, zeros when nothing matches)."""
        import numpy as np

        out = np.zeros(self.size, dtype=np.float32)
        if not self.size:
            return out
        for tok in tokenize(query):  # a repeated query word counts again, as in bm25s
            h = np.uint64(term_hash(tok))
            lo = int(np.searchsorted(self._terms, h, side="left"))
            hi = int(np.searchsorted(self._terms, h, side="right"))
            if lo == hi:
                continue
            df = hi - lo
            idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            rows, tf = self._rows[lo:hi], self._tf[lo:hi]
            out[rows] += np.float32(idf) * tf / (self._norm[rows] + tf)  # each passage once per term
        return out
