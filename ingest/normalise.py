"""Text cleaning (raw extracted pages -> canonical clean text) and the one matching normaliser.

`clean_text` produces the text every offset points into, so it only ever removes layout
artefacts (running headers, page numbers, repeated pull quotes, bullet glyphs, Word bookmark
markers, hyphenation and hard wraps); it never rewrites words. `normalise` is the lossy form used
only to compare strings (search, extraction, evaluation), never stored.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from itertools import accumulate
from typing import NamedTuple

from .chunk import ABBREVIATIONS, split_sentences

__all__ = ["clean_text", "normalise"]

# -- the matching normaliser --------------------------------------------------------------------

_MATCH_TABLE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)
_SPACE_RE = re.compile(r"\s+")
# A hyphen left dangling by a line break ("community-\nfocussed") matches the joined compound.
_DANGLING_HYPHEN_RE = re.compile(r"(?<=\w)- (?=\w)")


def normalise(text: str) -> str:
    """Matching form of `text`: NFKC, straight quotes, ASCII dashes, one space, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_MATCH_TABLE)
    text = _SPACE_RE.sub(" ", text).strip()
    return _DANGLING_HYPHEN_RE.sub("-", text).lower()


# -- the cleaner --------------------------------------------------------------------------------

# Characters that are layout, not text: bullets (incl. Wingdings/Symbol private-use bullets),
# zero-width marks, soft hyphens.
_BULLETS = "●•◦▪▫■□◆◇○►▶➢➤✓✔∙·⁃‣\uf0a7\uf0b7\uf0d8\uf0fc\uf076\uf0a8"
_BULLET_LINE_RE = re.compile(rf"^[ \t]*(?:[{_BULLETS}][ \t]*)+", re.M)
_BULLET_INLINE_RE = re.compile(rf"[{_BULLETS}]{{2,}}[ \t]*|(?<=[ \t])[{_BULLETS}][ \t]+")
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
_BOOKMARK_RE = re.compile(r"\[bookmark:[^\]\n]{0,200}\]")
_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE_RE = re.compile("[ﬀ-ﬆ]")
# Runs of horizontal space other than a single plain space (matching every space is slow).
_HSPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_HSPACE_RE = re.compile(rf"[{_HSPACE}]*[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000][{_HSPACE}]*| {{2,}}")
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_EDGE_DIGITS_RE = re.compile(r"^\d{1,4}\s*|\s*\d{1,4}$")
# Icon-font labels saved with web pages: "chevron icon Twitter logo Facebook logo ...".
_ICON_WORD_RE = re.compile(r"\b(?:icon|logo)\b", re.I)
_SKIP_LINK_RE = re.compile(r"skip to (?:the )?(?:main )?(?:content|navigation|main|menu)\W*$", re.I)
_TERMINAL = ".!?…:;"
_CLOSERS = "'\"’”)]»"
_WORD_RE = re.compile(r"[A-Za-z]+")
_LINE_HYPHEN_RE = re.compile(r"[A-Za-z]+-[ \t]*\n[ \t]*[A-Za-z]+")
_HYPHENATED_RE = re.compile(r"[A-Za-z]+-[A-Za-z]+")
# Prefixes that keep their hyphen when a compound is broken at it ("co-\nproduction").
_HYPHEN_PREFIXES = frozenset(
    "co non self cross multi socio well anti semi inter intra post pre ex sub over under "
    "long short high low full part half mid".split()
)
_URL_BREAKS = tuple("/-.@_=&?")
_URL_TAIL_RE = re.compile(r"(?:www\.|https?:|@|/)\S*[/\-.@_=&?]$")
_PLAIN_WORD = re.compile(r"[A-Z][a-z]+[ \t]")
_DUP_MIN_CHARS = 40  # shorter repeats are headings ("The headlines"), which are real content
_PROBE, _STRIDE = 20, 10  # window length and step of the index that finds repeat candidates
_INTERLOPER_WORDS = 80  # longer paragraphs are body text, not a dropped-in quote or label
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_SPACE_RUN_RE = re.compile(r"[ \t]{2,}")


def clean_text(raw_pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Clean raw page texts into one canonical text; return it with each page's start offset."""
    pages = [_page_lines(page) for page in raw_pages]
    vocab = _Vocabulary("\n".join(line.text for lines in pages for line in lines))
    headers = _running_headers(pages)
    by_width = not _marks_wraps(pages)
    paged = len(pages) > 1
    page_paras = [_paragraphs(_strip_running(lines, headers, paged), vocab, by_width) for lines in pages]
    # Rejoin before and after dropping repeats: the body copy of a pull quote must be whole to
    # be found, and the pull quote itself may have cut a body paragraph in two.
    page_paras = [_join_split_paragraphs(paras, vocab) for paras in page_paras]
    page_paras = _drop_repeats(page_paras)
    page_paras = [_join_split_paragraphs(paras, vocab) for paras in page_paras]

    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for paras in page_paras:
        page = "\n\n".join(paras)
        if length and page:
            parts.append("\n\n")
            length += 2
        starts.append(length)
        parts.append(page)
        length += len(page)
    return "".join(parts), tuple(starts)


class _Line(NamedTuple):
    text: str
    soft: bool  # the raw line ended in a space: PDF text marks its wrapped lines this way
    item: bool  # the line starts a list item (it had a bullet glyph)
    row: bool = False  # a table row or a breadcrumb ("a | b | c"): a line of its own, never a wrap


# Cells split by a vertical bar: Markdown and text tables, breadcrumbs and title lines of saved pages.
_ROW_RE = re.compile(r"^\||\S[ \t]+\|[ \t]+\S|\|$")


def _page_lines(raw: str) -> list[_Line]:
    """Lines of one page with layout glyphs, markers and extra spaces removed."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n")
    raw = raw.replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    raw = raw.replace("\ufffe", "-\n")  # PDFium's mark for a hyphen that broke a word at a line end
    raw = _LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], raw)
    raw = _BOOKMARK_RE.sub("", raw)
    raw = _PRIVATE_USE_RE.sub(lambda m: "●" if m.group() in _BULLETS else "", raw)
    raw = _INVISIBLE_RE.sub("", raw)
    raw = _BULLET_LINE_RE.sub("\x01", raw)
    raw = _BULLET_INLINE_RE.sub("\n\x01", raw)  # glyphs inside a line ("a ●● b") start items too
    raw = _HSPACE_RE.sub(" ", raw)
    lines = []
    for line in raw.split("\n"):
        item = line.startswith("\x01")
        text = line.strip(" \x01")
        if ("icon" in text or "logo" in text or text[:4].lower() == "skip") and _is_chrome(text):
            text = ""
        lines.append(_Line(text, line.endswith(" "), item, bool(_ROW_RE.search(text))))
    return lines


def _is_chrome(line: str) -> bool:
    """True for web-page furniture saved as text: icon-font labels, "Skip to content" links."""
    if _SKIP_LINK_RE.match(line):
        return True
    words = line.split()
    return len(words) >= 6 and len(_ICON_WORD_RE.findall(line)) * 3 >= len(words)


def _key(line: str) -> str:
    """A line without page numbers at its edges, for spotting running headers."""
    if line[:1].isdigit() or line[-1:].isdigit():
        line = _EDGE_DIGITS_RE.sub("", line)
    return line.strip().lower()


def _running_headers(pages: list[list[_Line]]) -> set[str]:
    """Keys of running headers/footers: lines repeated with a page number glued on, or
    repeated at the top or bottom of many pages."""
    glued: dict[str, int] = {}
    edges: dict[str, int] = {}
    for lines in pages:
        texts = [line.text for line in lines if line.text]
        for text in texts:
            if text[:1].isdigit() or text[-1:].isdigit():
                key = _key(text)
                if len(key) >= 15:
                    glued[key] = glued.get(key, 0) + 1
        for key in {_key(t) for t in (*texts[:2], *texts[-2:])}:
            edges[key] = edges.get(key, 0) + 1
    headers = {key for key, n in glued.items() if n >= 2}
    if len(pages) >= 4:
        headers |= {key for key, n in edges.items() if key and n >= max(3, len(pages) // 3)}
    return headers


def _strip_running(lines: list[_Line], headers: set[str], paged: bool) -> list[_Line]:
    """Lines without running headers, and without bare page numbers at a page's edges."""
    filled = [n for n, line in enumerate(lines) if line.text]
    edges = {*filled[:2], *filled[-2:]} if paged else set()
    out = []
    for n, line in enumerate(lines):
        if line.text and (_key(line.text) in headers or (n in edges and _PAGE_NUMBER_RE.match(line.text))):
            out.append(_Line("", False, line.item))
        else:
            out.append(line)
    return out


def _marks_wraps(pages: list[list[_Line]]) -> bool:
    """True when most lines inside blocks end in a space: the text marks its own soft wraps
    (common in PDF text), so line widths need not be guessed."""
    inside = marked = 0
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if a.text and b.text and not b.item:
                inside += 1
                marked += a.soft
    return inside > 0 and marked * 2 > inside


class _Vocabulary:
    """Words of one document, to tell a hyphenated break ("collabo-\\nrators") from a compound."""

    def __init__(self, text: str) -> None:
        body = _LINE_HYPHEN_RE.sub(" ", text)
        self.words = {w.lower() for w in _WORD_RE.findall(body)}
        self.compounds = {w.lower() for w in _HYPHENATED_RE.findall(body)}

    def hyphen(self, left: str, right: str) -> str:
        """The separator to put between the halves of a word broken at a line-end hyphen."""
        head = (_WORD_RE.findall(left[-40:]) or [""])[-1]
        tail_match = _WORD_RE.match(right)
        tail = tail_match.group() if tail_match else ""
        if not head or not tail or tail[0].isupper():
            return "-"
        h, t = head.lower(), tail.lower()
        if h + t in self.words:
            return ""
        if f"{h}-{t}" in self.compounds or h in _HYPHEN_PREFIXES:
            return "-"
        if len(h) > 1 and h in self.words and t in self.words:
            return "-"
        return ""


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in _TERMINAL if line else True


def _join(a: str, b: str, vocab: _Vocabulary, lower: bool = True, symbols: bool = True) -> str | None:
    """`a` and `b` as one wrapped line when the break between them is clearly a wrap, else None.
    With `lower`, an unfinished sentence followed by a lower-case word (or with `symbols`, by
    '£', '(' and the like) counts as a wrap."""
    if a[-1:] in _URL_BREAKS and b[:1].isalnum() and _URL_TAIL_RE.search(a, max(0, len(a) - 200)):
        # A web address or e-mail broken across lines joins without a space, hyphens kept; an address
        # ending in '/' is whole when a plain capitalised word follows ('.../pbr-2/' + 'National Audit Chamber').
        if (a[-1] != "." or b[:1].islower()) and not (a[-1] == "/" and _PLAIN_WORD.match(b)):
            return a + b
    if a.endswith("-") and a[-2:-1].isalpha() and b[:1].isalpha():
        return a[:-1] + vocab.hyphen(a[:-1], b) + b
    if lower and not _ends_sentence(a) and (_starts_lower(b) or (symbols and b[:1] in "(£$€%&")):
        return a + " " + b
    return None


def _paragraphs(lines: list[_Line], vocab: _Vocabulary, by_width: bool) -> list[str]:
    """Blank-line separated blocks, wrapped lines rejoined; hard breaks stay as '\\n'."""
    paras: list[str] = []
    block: list[_Line] = []
    for line in [*lines, _Line("", False, False)]:
        if line.text:
            block.append(line)
        elif block:
            paras.extend(_join_block(block, vocab, by_width))
            block = []
    return paras


def _join_block(block: list[_Line], vocab: _Vocabulary, by_width: bool) -> list[str]:
    """One block's lines as paragraphs (usually one): wrapped lines joined with a space."""
    width = _wrap_width(block) if by_width else 10**9
    paras = [[block[0].text]]
    for prev, line in zip(block, block[1:]):
        out = paras[-1]
        joined = None
        if not (line.item or line.row or prev.row):
            # Text that marks its wraps with spaces says itself which lines were wrapped.
            joined = _join(out[-1], line.text, vocab, lower=by_width)
            if joined is None and not _interrupts(out[-1], line.text):
                if prev.soft or _fills_line(prev.text, line.text, width):
                    joined = out[-1] + " " + line.text
            if joined is None and _starts_lower(line.text):
                # A lower-case line that does not continue the one before: the lines before were
                # dropped in (a pull quote, a caption, a running label) and the body goes on in a
                # new paragraph, which `_join_split_paragraphs` reattaches.
                paras.append([line.text])
                continue
        if joined is None:
            out.append(line.text)
        else:
            out[-1] = joined
    return ["\n".join(lines) for lines in paras]


def _starts_lower(text: str) -> bool:
    word = _LETTERS_RE.match(text)
    return bool(word) and word.group().islower()


def _interrupts(a: str, b: str) -> bool:
    """True when `a` ends a sentence and `b` starts lower-case: `b` cannot follow `a`."""
    if not _starts_lower(b) or a.rstrip(_CLOSERS)[-1:] not in ".!?…":
        return False
    last = a.rsplit(None, 1)[-1].lstrip("(‘“'\"").rstrip(".").lower()
    return last not in ABBREVIATIONS


def _wrap_width(block: list[_Line]) -> int:
    """The width a block looks hard-wrapped at, or a huge number when most of its lines are
    short (a list or table cells, one per line), so no line counts as wrapped."""
    lengths = [len(line.text) for line in block]
    width = max(lengths)
    if len(block) < 3 or sum(n >= 0.7 * width for n in lengths[:-1]) * 2 < len(lengths) - 1:
        return 10**9
    return width


def _fills_line(prev: str, text: str, width: int) -> bool:
    """True when `text`'s first word would not have fitted on line `prev`: `prev` was wrapped."""
    first = text.split(" ", 1)[0]
    return not _ends_sentence(prev) and len(prev) + 1 + len(first) > 0.85 * width


def _join_split_paragraphs(paras: list[str], vocab: _Vocabulary) -> list[str]:
    """Rejoin a paragraph that a page break, column break or pull quote cut mid-sentence."""
    out: list[str] = []
    n = 0
    while n < len(paras):
        if out:
            k = _continuation(out[-1], paras, n, vocab)
            if k is not None:
                # Short paragraphs dropped between the halves (a running section label, a pull
                # quote, a caption) move ahead of the rejoined paragraph.
                out[-1:] = [*paras[n:k], _join(out[-1], paras[k], vocab, symbols=False)]
                n = k + 1
                continue
        out.append(paras[n])
        n += 1
    return out


def _continuation(para: str, paras: list[str], n: int, vocab: _Vocabulary) -> int | None:
    """Index of the paragraph at or shortly after `n` that continues `para`'s last sentence."""
    if _join(para, paras[n], vocab, symbols=False) is not None:
        return n
    last = para.rsplit("\n", 1)[-1]
    if len(last.split()) < 6 or _ends_sentence(last):
        return None  # a heading, not a sentence cut short
    for k in range(n + 1, min(n + 4, len(paras))):
        if len(paras[k - 1].split()) > _INTERLOPER_WORDS:
            return None
        if _join(para, paras[k], vocab, symbols=False) is not None:
            return k
    return None


def _drop_repeats(page_paras: list[list[str]]) -> list[list[str]]:
    """Drop sentences repeated elsewhere (pull quotes, repeated banners). A copy goes when its
    line is mostly repeats and another copy sits in a line with a smaller share of repeats."""
    lines = [line for paras in page_paras for para in paras for line in para.split("\n")]
    line_keys = [_match_key(line) for line in lines]
    sents = [split_sentences(line) for line in lines]

    # Cheap prefilter: a copy of a sentence holds a whole indexed window starting within its
    # first _STRIDE letters; only sentences with such a window elsewhere get an exact search.
    owners: dict[str, set[int]] = {}
    for n, key in enumerate(line_keys):
        for i in range(0, max(1, len(key) - _PROBE + 1), _STRIDE):
            owners.setdefault(key[i : i + _PROBE], set()).add(n)
    big = "\x00".join(line_keys)
    offsets = list(accumulate((len(k) + 1 for k in line_keys), initial=0))

    def copies(n: int, key: str) -> set[int]:
        if not any(owners.get(key[j : j + _PROBE], {n}) - {n} for j in range(_STRIDE)):
            return set()
        found, at = set(), big.find(key)
        while at != -1:
            found.add(bisect_right(offsets, at) - 1)
            at = big.find(key, at + 1)
        return found - {n}

    repeats: list[list[tuple[int, set[int]]]] = []
    share: list[float] = []
    for n, (line, spans) in enumerate(zip(lines, sents)):
        keys = [_match_key(line[s:e]) for s, e in spans]
        hits = [(i, copies(n, key)) for i, key in enumerate(keys) if len(key) >= _DUP_MIN_CHARS]
        hits = [(i, where) for i, where in hits if where]
        repeats.append(hits)
        share.append(sum(len(keys[i]) for i, _ in hits) / max(1, len(line_keys[n])))

    kept = list(lines)
    for n, hits in enumerate(repeats):
        if share[n] < 0.5:
            continue  # running text that happens to repeat a sentence (a summary) keeps it
        drop = {i for i, where in hits if any(share[m] < share[n] or (share[m] == share[n] and m < n) for m in where)}
        if drop:
            kept[n] = _without(lines[n], sents[n], drop)

    out, n = [], 0
    for paras in page_paras:
        new_paras = []
        for para in paras:
            count = para.count("\n") + 1
            para = "\n".join(line for line in kept[n : n + count] if line)
            n += count
            if para:
                new_paras.append(para)
        out.append(new_paras)
    return out


def _match_key(text: str) -> str:
    return _NON_ALNUM_RE.sub("", text.lower())


def _without(line: str, spans: list[tuple[int, int]], drop: set[int]) -> str:
    """`line` without the sentences numbered in `drop`."""
    pieces, last = [], 0
    for i, (s, e) in enumerate(spans):
        if i in drop:
            pieces.append(line[last:s])
            last = e
    pieces.append(line[last:])
    return _SPACE_RUN_RE.sub(" ", "".join(pieces)).strip()
