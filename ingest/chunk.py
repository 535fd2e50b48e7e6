"""Passages: runs of whole sentences sized for the embedding model, with exact offsets.

Sentence splitting is rule-based (no spaCy) so chunking is cheap and deterministic. Passages
stay inside one paragraph where they can, merge short paragraphs (headings, names, list items)
with what follows, and never cross a page boundary.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .records import Document, Passage, passage_id

__all__ = ["ABBREVIATIONS", "split_sentences", "chunk"]

# A candidate sentence end: terminal punctuation (with closing quotes/brackets) before a space,
# or a line break; also a bullet glyph starting an inline list item.
_BOUNDARY_RE = re.compile(r"[.!?…]+['\"’”)\]]*(?=[ \t\u00a0]+\S)|\n|(?<=\s)(?=[•●▪■◦]\s)")
_WORD_BEFORE_RE = re.compile(r"(\S+)$")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n\s*")
_WORDS_RE = re.compile(r"\S+")
# Words whose trailing period does not end a sentence (compared lower-cased, without the dot).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st rev hon cllr sir gen col capt lt sgt fr jr sr "
    "e.g eg i.e ie cf vs v approx incl dept est fig figs no nos p pp para vol ch sec art ed eds "
    "al jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# These end a sentence when a capital follows them ("...at No. 10" vs "...said no. Then").
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "p", "pp", "fig", "figs", "vol", "ch", "sec", "art", "para"})


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of text[start:end], trimmed of surrounding whitespace."""
    end = len(text) if end is None else min(end, len(text))
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _BOUNDARY_RE.finditer(text, start, end):
        cut = match.end()
        if match.group() and match.group()[0] in ".!?…" and not _ends_here(text, match, end):
            continue
        _add_span(text, begin, cut, spans)
        begin = cut
    _add_span(text, begin, end, spans)
    return spans


def _ends_here(text: str, match: re.Match, end: int) -> bool:
    """Whether the punctuation in `match` really ends a sentence."""
    after = match.end()
    while after < end and text[after] in " \t\u00a0":
        after += 1
    nxt = text[after] if after < end else ""
    if nxt.islower():
        return False  # "approx. three", "e.g. councils"
    punct = match.group()
    if not punct.startswith(".") or len(punct.rstrip("'\"’”)]")) > 1:
        return True  # "!", "?", "..." end sentences
    word = _WORD_BEFORE_RE.search(text, max(0, match.start() - 20), match.start())
    if not word:
        return True
    token = word.group(1).lstrip("('\"‘“[").lower()
    if len(token) == 1 and token.isalpha() and word.group(1)[-1:].isupper():
        return False  # an initial: "J. Smith"
    if token in _NUMBER_ABBREVIATIONS:
        return not nxt.isdigit()
    return token not in ABBREVIATIONS


def _add_span(text: str, begin: int, cut: int, spans: list[tuple[int, int]]) -> None:
    while begin < cut and text[begin].isspace():
        begin += 1
    while cut > begin and text[cut - 1].isspace():
        cut -= 1
    if begin < cut:
        spans.append((begin, cut))


@dataclass
class _Unit:
    """A sentence (or a piece of an over-long one) with where it sits."""

    start: int
    end: int
    words: int
    paragraph: int
    page: int


def chunk(document: Document, *, target_words: int = 110, max_words: int = 180) -> list[Passage]:
    """Split a document's clean text into passages of whole sentences, in order."""
    if target_words < 1 or max_words < target_words:
        raise ValueError(f"chunk sizes: need 1 <= target_words <= max_words, got {target_words}, {max_words}")
    units = _units(document, max_words)
    min_words = target_words // 2
    groups: list[list[_Unit]] = []
    for piece in _paragraph_pieces(units, target_words, max_words):
        # A short run (a heading, a name, a one-line paragraph) joins what follows it.
        last = groups[-1] if groups else None
        if (
            last
            and last[-1].page == piece[0].page
            and _words(last) < min_words
            and _words(last) + _words(piece) <= max_words
        ):
            last.extend(piece)
        else:
            groups.append(list(piece))
    groups = _merge_short_tails(groups, min_words, max_words)
    passages = []
    for index, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        passages.append(
            Passage(
                id=passage_id(document.doc, document.sha256, start, end),
                doc=document.doc,
                start=start,
                end=end,
                text=document.text[start:end],
                page=document.page_at(start),
                index=index,
            )
        )
    return passages


def _units(document: Document, max_words: int) -> list[_Unit]:
    """Sentences of every paragraph, over-long ones cut at word boundaries."""
    text = document.text
    cuts = sorted({0, len(text), *(p for p in document.pages if 0 < p < len(text))})
    units: list[_Unit] = []
    paragraph = 0
    for lo, hi in zip(cuts, cuts[1:]):
        page = bisect_right(document.pages, lo) if document.pages else 0
        begin = lo
        for sep in [*_PARAGRAPH_RE.finditer(text, lo, hi), None]:
            stop = sep.start() if sep else hi
            for s, e in split_sentences(text, begin, stop):
                words = [m.span() for m in _WORDS_RE.finditer(text, s, e)]
                # A "sentence" longer than a passage (a table flattened without punctuation)
                # is the one thing cut mid-sentence, so every passage fits the model.
                for k in range(0, len(words), max_words):
                    piece = words[k : k + max_words]
                    units.append(_Unit(piece[0][0], piece[-1][1], len(piece), paragraph, page))
            paragraph += 1
            begin = sep.end() if sep else hi
    return units


def _words(units: list[_Unit]) -> int:
    return sum(u.words for u in units)


def _paragraph_pieces(units: list[_Unit], target_words: int, max_words: int) -> list[list[_Unit]]:
    """Each paragraph's sentences cut into runs of about equal size near `target_words`."""
    pieces: list[list[_Unit]] = []
    start = 0
    while start < len(units):
        stop = start
        while stop < len(units) and (units[stop].paragraph, units[stop].page) == (units[start].paragraph, units[start].page):
            stop += 1
        para = units[start:stop]
        total = _words(para)
        parts = max(1, round(total / target_words), -(-total // max_words))
        current: list[_Unit] = []
        size = done = cuts = 0
        for unit in para:
            # cut where the sentence's middle passes the next of `parts` equal shares
            share = total * (cuts + 1) / parts
            if current and (size + unit.words > max_words or done + size + unit.words / 2 > share):
                pieces.append(current)
                done += size
                cuts += 1
                current, size = [], 0
            current.append(unit)
            size += unit.words
        pieces.append(current)
        start = stop
    return pieces


def _merge_short_tails(groups: list[list[_Unit]], min_words: int, max_words: int) -> list[list[_Unit]]:
    """Fold a short last passage of a page into the one before it when that still fits."""
    out: list[list[_Unit]] = []
    for n, group in enumerate(groups):
        words = sum(u.words for u in group)
        is_tail = n + 1 == len(groups) or groups[n + 1][0].page != group[0].page
        if (
            is_tail
            and out
            and words < min_words
            and out[-1][-1].page == group[0].page
            and sum(u.words for u in out[-1]) + words <= max_words
        ):
            out[-1] = out[-1] + group
        else:
            out.append(group)
    return out
