"""Page layout the answerer reads: label lines ("Group Lead: Jo Bloggs") and the section each belongs to.

Web pages and brochures often give a role as a short label line beside a section rather than in a
sentence. Whether the line closes the section above it or opens the one below is read from the
lines around it: a label line followed by a heading closes the section above (a card's footer);
otherwise it opens the section below (a heading's byline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cache import state_cache

__all__ = ["Label", "labels_in", "labels_of", "doc_text"]

# Words a label line may end in: posts, and the words that introduce a contact or an author.
_LABEL_WORDS = (r"Lead|Leader|Chair|Chairman|Chairwoman|Chairperson|Champion|Convenor|Convener|Coordinator|"
                r"Co-ordinator|Director|Manager|Head|Contacts?|President|Secretary|Founder|Host|Officer|Author|"
                r"Authors|Editor|Spokesperson|Adviser|Advisor|Clerk|Owner|Sponsor|Written by|Prepared by|By")
# A name as a label gives it: 'Jo Bloggs', 'Dr Jo Bloggs', 'A. Bloggs', 'Jo McBloggs-Smith'.
_NAME = r"(?:(?:Dr|Sir|Dame|Cllr|Professor|Prof|Mr|Mrs|Ms)\.? )?[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]+){1,3}"
# Role words a label line may carry; the value is a short capitalised name after an optional colon
# or dash (PDF and HTML extraction often drop the separator: "Group LeadJo Bloggs"); the label's
# own words may be in lower case after the first ('Lead officer – A. Bloggs').
_LABEL = re.compile(
    rf"(?m)^[ \t]*(?P<label>(?:[A-Z][a-z]+ ){{0,3}}(?:{_LABEL_WORDS})|(?:{_LABEL_WORDS})(?: (?!(?:of|for|at|in|on|to|the|and|with)\b)[a-z]+){{1,2}})"
    rf"[ \t]*[:–—-]?[ \t]*(?P<value>{_NAME})[ \t]*(?:,[^\n]{{0,80}})?$")
# A label alone on its line, the name on the next ('Contact' / 'Jo Bloggs' / 'Head of Policy'):
# a side panel laid out over lines.
_PANEL = re.compile(
    rf"(?m)^[ \t]*(?P<label>(?:[A-Z][a-z]+ ){{0,2}}(?:{_LABEL_WORDS})(?: [a-z]+){{0,2}})[ \t]*:?[ \t]*\n"
    rf"(?:[ \t]*\n)?[ \t]*(?P<value>{_NAME})[ \t]*,?[ \t]*$")
# A contact card: a line that opens with a name and a comma ('Jo Bloggs, Head of Policy, Brackwater
# Council') with an e-mail address or a telephone number on it or on the next line.
_CARD = re.compile(rf"(?m)^[ \t]*(?P<value>{_NAME}),[^\n]{{3,160}}$")
_REACH = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+\d{1,3}[ \t]?)?\(?\d[\d \t()-]{8,}\d")
SECTION_CHARS = 1500  # how far a section reaches when no other label line or heading bounds it


@dataclass(frozen=True)
class Label:
    """A label line in a document: offsets are into the document's text."""

    label: str
    value: str
    line_start: int
    line_end: int
    value_start: int
    value_end: int
    section_start: int
    section_end: int
    label_start: int = 0
    label_end: int = 0
    card: bool = False  # a contact card ('Jo Bloggs, Head of Policy' over an e-mail address)


def doc_text(state, doc: str) -> str:
    """The document's text rebuilt from its passages (gaps filled with newlines), once per state."""
    cache = state_cache(state).docs
    text = cache.get(doc)
    if text is None:
        parts: list[str] = []
        pos = 0
        for p in sorted((p for p in state.snapshot.passages if p.doc == doc), key=lambda p: p.start):
            if p.start > pos:
                parts.append("\n" * (p.start - pos))
            elif p.start < pos:  # overlapping passages: keep the first copy
                p_text = p.text[pos - p.start:]
                parts.append(p_text)
                pos = max(pos, p.end)
                continue
            parts.append(p.text)
            pos = p.end
        text = cache[doc] = "".join(parts)
    return text


def _heading(line: str) -> bool:
    """A short line without closing punctuation: a heading, not a sentence."""
    line = line.strip()
    return bool(line) and len(line) <= 60 and len(line.split()) <= 6 and not re.search(r"[.!?:;,]$", line)


def _line_near(text: str, pos: int, forward: bool) -> str:
    """The nearest non-blank line after (or before) `pos`."""
    if forward:
        for line in text[pos : pos + 400].split("\n"):
            if line.strip():
                return line
        return ""
    for line in reversed(text[max(0, pos - 400) : pos].split("\n")):
        if line.strip():
            return line
    return ""


def labels_in(state, doc: str) -> list[Label]:
    """Every label line of `doc` with the section it belongs to, once per state."""
    cache = state_cache(state).labels
    got = cache.get(doc)
    if got is not None:
        return got
    got = cache[doc] = labels_of(doc_text(state, doc))
    return got


def labels_of(text: str) -> list[Label]:
    """Every label line, side panel and contact card of `text` with the section each belongs to."""
    found = _label_lines(text)
    # Each line's own evidence: +1 closes the section above, -1 opens the one below, 0 unclear;
    # unclear lines follow the document's habit (one layout per page).
    votes = []
    for m in found:
        before_h = _heading(_line_near(text, m.start(), forward=False))
        after_h = _heading(_line_near(text, m.end(), forward=True))
        votes.append(1 if after_h and not before_h else -1 if before_h and not after_h else 0)
    habit = 1 if sum(votes) > 0 else -1
    out: list[Label] = []
    for n, m in enumerate(found):
        ls, le = m.start(), m.end()
        if (votes[n] or habit) > 0:
            prev_end = found[n - 1].end() if n else 0
            start, end = max(prev_end, ls - SECTION_CHARS), ls
        else:
            next_start = found[n + 1].start() if n + 1 < len(found) else len(text)
            start, end = le, min(next_start, le + SECTION_CHARS)
        card = m.re is _CARD
        out.append(Label(label="Contact" if card else m.group("label"), value=m.group("value"), line_start=ls,
                         line_end=le, value_start=m.start("value"), value_end=m.end("value"), section_start=start,
                         section_end=end, label_start=m.start("value" if card else "label"),
                         label_end=m.end("value" if card else "label"), card=card))
    return out


def _label_lines(text: str) -> list:
    """Matches of every label line, panel and contact card in `text`, none inside another."""
    found = list(_LABEL.finditer(text)) + list(_PANEL.finditer(text))
    for m in _CARD.finditer(text):
        nxt = _line_near(text, m.end() + 1, forward=True) if m.end() < len(text) else ""
        if _REACH.search(m.group(0)) or _REACH.fullmatch(nxt.strip()):
            found.append(m)
    from ingest.patterns import ORG_SUFFIX

    # The value is a person: 'Manager' over 'Kestrel Council' is a post and its body, not a label.
    found = [m for m in found if not any(w.lower() in ORG_SUFFIX for w in m.group("value").split())]
    found.sort(key=lambda m: (m.start(), -m.end()))
    out: list = []
    for m in found:
        if not out or m.start() >= out[-1].end():
            out.append(m)
    return out
