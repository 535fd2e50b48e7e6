"""Outcome questions answered from outcome records: "What did X achieve?", "How much did X save?".

The records are the ones ingest wrote (`ingest.outcomes`, kept on the graph's outcome nodes with
their `achieved` links) and, for a retrieved sentence that states a result ingest did not record,
the same reader (`parse_outcome`) applied to it at question time. This module finds them, ties each
to the question's subject and words its figure; `search.answer` scores them beside the other
candidates, with the named features set here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.outcomes import QUANTITY, parse_outcome
from ingest.text import MONEY, PERCENT

__all__ = ["outcome_ask", "Record", "records_in", "records_of", "passage_at", "quantity_at", "figure_span", "result_span", "verb_fit", "is_change",
           "is_input", "TIE_FIT", "TIE_VALUE", "VERB_MATCH", "VERB_CLASH", "CHANGE_FIT", "INPUT_FIT"]

# How much a record counts by how it is tied to the question's subject: an `achieved` edge from it
# or its name in the record's sentence; its name in the sentence before; a document that names it
# elsewhere; none of these (only the passage's wording supports it). Each is also a named feature (`record_tie`) for the learned scorer.
TIE_FIT = {"edge": 1.5, "sentence": 1.5, "before": 1.3, "document": 1.15, "passage": 1.0}
TIE_VALUE = {"edge": 1.0, "sentence": 1.0, "before": 0.8, "document": 0.4, "passage": 0.0}
VERB_MATCH = 1.3  # the record's unit and direction are what the question's verb asks ('save' -> money)
VERB_CLASH = 0.7  # ... or the opposite ('cut' against a rise)
CHANGE_FIT = 1.3  # a stated change (a direction, or 'from A to B') answers 'what did X achieve?'
INPUT_FIT = 0.7  # ... and money the subject was given or spent ('backed by £210,000') does not

_RESULTS = re.compile(
    r"\bwhat\s+(?:has|have|had)?\s*happened\s+to\b|\bwhat\s+(?:\w+\s+){0,3}?(?:results?|outcomes?|impact|effect|"
    r"difference|change|reduction|increase|improvement|rise|fall|return|savings?)\b|\b(?:results?|impact|outcomes?)\s+of\b"
    r"|\bwhat\s+(?:did|does|has|have|had)\b.*\b(?:achieve[sd]?|deliver(?:ed)?|find|found|show(?:ed|n)?)\b", re.I)


_FIGURE = re.compile(r"^(?:by\s+)?how\s+(?:high|low|far|fast|quickly|much|many)\b|^by\s+what\s+(?:percentage|proportion|"
                     r"share|amount|margin)\b", re.I)
# A 'what <noun>' question whose noun is a figure ('What recovery rate did X reach?').
_FIGURE_HEADS = frozenset("rate share proportion percentage level number amount figure total saving savings return value "
                          "cost score".split())


def outcome_ask(q) -> str | None:
    """'figure' for a how-much / how-many / what-share / what-rate question, 'results' for
    what-did-X-achieve and what-happened-to questions, None for questions records do not answer."""
    if q.kind == "quantity" or _FIGURE.match(q.text.strip()):
        return "figure"
    if q.kind == "thing" and q.head and q.head.split()[-1] in _FIGURE_HEADS:
        return "figure"
    if q.kind in ("span", "thing") and (q.relation == "achieved" or _RESULTS.search(q.text)):
        return "results"
    return None


@dataclass
class Record:
    """One stated result in a passage: where its figure and sentence sit (passage offsets), its fields,
    and the graph ids of whoever achieved it (from ingest; empty for one read at question time)."""

    index: int  # passage index in the snapshot
    start: int  # the quantity, in the passage
    end: int
    sent: tuple[int, int]
    fields: dict = field(default_factory=dict)  # the outcome record's fields (ingest.records.Outcome)
    achieved_by: tuple[str, ...] = ()
    stored: bool = False
    place: str | None = None  # place entity id (stored records)


def _records_by_doc(state) -> dict[str, list[dict]]:
    """The graph's outcome records by document (built once per corpus state)."""
    from .cache import state_cache

    cache = state_cache(state)
    got = cache.outcomes.get("by_doc")
    if got is None:
        got = {}
        for _, data in state.graph.nodes(data=True):
            if data.get("type") == "outcome":
                for rec in data.get("outcome_records") or ():
                    got.setdefault(rec.get("doc"), []).append(rec)
        cache.outcomes["by_doc"] = got
    return got


def passage_at(state, doc: str, offset: int) -> int | None:
    """The index of the passage of `doc` that holds document offset `offset`."""
    from bisect import bisect_right

    from .cache import state_cache

    cache = state_cache(state)
    by_doc = cache.outcomes.get("passages")
    if by_doc is None:
        by_doc = {}
        for i, p in enumerate(state.snapshot.passages):
            by_doc.setdefault(p.doc, []).append((p.start, i))
        for lst in by_doc.values():
            lst.sort()
        cache.outcomes["passages"] = by_doc
    lst = by_doc.get(doc) or []
    k = bisect_right(lst, (offset, 1 << 62)) - 1
    if k < 0:
        return None
    i = lst[k][1]
    return i if state.snapshot.passages[i].start <= offset < state.snapshot.passages[i].end else None


def quantity_at(rec: dict) -> int | None:
    """Document offset of a stored record's number (inside its phrase)."""
    phrase, value = rec.get("phrase") or "", rec.get("value_text") or ""
    m = QUANTITY.search(phrase)
    if m is None:
        return None
    at = phrase.find(value) if value and value in phrase else m.start()
    return rec.get("phrase_start", 0) + at


def records_of(state, entities) -> list[dict]:
    """The stored records an `achieved` edge links to any of `entities`."""
    wanted = set(entities)
    if not wanted:
        return []
    return [rec for recs in _records_by_doc(state).values() for rec in recs if wanted & set(rec.get("achieved_by") or ())]


_TIME_WORD = re.compile(r"\s+(?:years?|months?|weeks?|days?|hours?|minutes?|am|pm|st|nd|rd|th)\b", re.I)


def records_in(state, i: int, sentences: list[tuple[int, int]]) -> list[Record]:
    """The stated results in passage `i`: ingest's records, and those the record reader finds in its
    sentences at question time (a number ingest did not record: 'falls fell by 28%'). Read once per
    passage and corpus state: every question that retrieves the passage reads the same results."""
    from .cache import state_cache

    cache = state_cache(state)
    key = ("in", i, tuple(sentences))
    got = cache.outcomes.get(key)
    if got is None:
        got = cache.outcomes[key] = _read_records(state, i, sentences)
    return got


def _read_records(state, i: int, sentences: list[tuple[int, int]]) -> list[Record]:
    p = state.snapshot.passages[i]
    text = p.text
    stored = {}
    for rec in _records_by_doc(state).get(p.doc, ()):
        at = quantity_at(rec)
        if at is not None and p.start <= at < p.end:
            stored[at - p.start] = rec
    out = []
    for a, b in sentences:
        sentence = text[a:b]
        for m in _NUMBER.finditer(sentence):
            qs, qe = a + m.start(), a + m.end()
            rec = stored.get(qs)
            if rec is not None:
                out.append(Record(i, qs, qe, (a, b), {k: rec.get(k) for k in _FIELDS}, tuple(rec.get("achieved_by") or ()),
                                  True, rec.get("place")))
                continue
            if not _result_like(sentence, m):
                continue
            parsed = parse_outcome(sentence, m.span())
            if parsed is None:
                continue
            out.append(Record(i, qs, qe, (a, b), {k: getattr(parsed, k) for k in _FIELDS}))
    return out


# ingest's QUANTITY, with a decimal count read whole ('6.3 percentage points', not '6' and '3').
_NUMBER = re.compile(rf"{MONEY}|{PERCENT}|(?<![\w.,£])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?\b|(?<![\w.,£])\d+(?:\.\d+)?\b")
_FIELDS = ("metric", "value", "value_text", "unit", "direction", "baseline", "period", "theme")


def _result_like(sentence: str, m: re.Match) -> bool:
    """A number that states a result: money or a share, or a count of things ('460 homes', 'from 41 to
    6'); not a year, a time span ('12 months'), a note number or a web address."""
    raw = m.group(0)
    if raw.startswith("£") or "%" in raw or "cent" in raw:
        return True
    if re.fullmatch(r"(?:19|20)\d\d", raw.replace(",", "")):
        return False
    left = sentence.rfind(" ", 0, m.start()) + 1
    token = sentence[left : sentence.find(" ", m.end()) if sentence.find(" ", m.end()) >= 0 else len(sentence)]
    if re.search(r"[/@]|https?:|www\.", token):
        return False
    if _in_from_to(sentence, m.start(), m.end()):
        return True
    if _TIME_WORD.match(sentence, m.end()):
        return False
    nxt = _COUNTED.match(sentence[m.end() : m.end() + 40])
    return bool(nxt) and int(raw.replace(",", "").split(".")[0] or 0) >= 2


_QTY = r"(?:£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|thousand|bn|m|k)\b)?|\d[\d,]*(?:\.\d+)?(?:\s?(?:%|per\s?cent\b))?)"
_FROM_TO = re.compile(rf"\bfrom\s+(?:around\s+|about\s+|nearly\s+|almost\s+|over\s+)?{_QTY}(?:\s+[a-z]+){{0,2}}?\s+"
                      rf"(?:in\s+(?:19|20)\d\d\s+)?to\s+(?:just\s+|around\s+|about\s+|nearly\s+|only\s+)?{_QTY}", re.I)
_UNIT_AFTER = re.compile(r"\s+(?:percentage\s+points?|points?|pts|(?:years?|months?|weeks?|days?|hours?|minutes?)\b)", re.I)


def _in_from_to(sentence: str, s: int, e: int) -> re.Match | None:
    return next((m for m in _FROM_TO.finditer(sentence) if m.start() <= s and e <= m.end()), None)


_CHANGE_VERB = (r"(?:fell|fallen|falls?|cut|cuts|reduced|reduces|decreased|declined|dropped|drops?|lowered|saved|saves|"
                r"halved|rose|risen|rises|increased|increases|grew|grown|doubled|tripled|boosted|improved|raised|"
                r"climbed|reached|brought|moved|helped|supported|created|delivered|generated|secured|invested|spent|"
                r"achieved|prevented|avoided|kept|unlocked|awarded|went\s+(?:up|down)|down|up)")
_VERB_BEFORE = re.compile(rf"\b{_CHANGE_VERB}\s+(?:by\s+)?(?:(?:around|about|nearly|almost|over|some|more\s+than|"
                          rf"approximately|just|only)\s+)?$", re.I)
_NOUN_AFTER = re.compile(r"\s+(?:(?:rise|fall|increase|reduction|drop|cut|decrease|decline|improvement|saving)\s+in\s+"
                         r"(?:[\w&-]+\s+){0,2}[\w&-]+|(?:fewer|more|less|lower|higher)\s+(?:than\s+)?[\w&-]+)", re.I)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?)\s+$", re.I)
# What a bare number counts: up to three words ending in a plural ('460 affordable homes', '143 young people').
_COUNTED = re.compile(r"\s+((?:[a-z][\w-]*\s+){0,2}?(?:[a-z][\w-]*[^s\W]s|people|children|staff|women|men))\b")
_PER = re.compile(r"\s+(?:per|a|each)\s+(?:home|household|person|head|pupil|patient|year|month|week|day|participant)\b",
                  re.I)
MAX_FIGURE = 45  # characters: a figure phrase longer than this is cut back to its number


def figure_span(sentence: str, s: int, e: int, *, verb: bool = False, counted: bool = True) -> tuple[int, int]:
    """The figure as the sentence writes it, (start, end) in `sentence`: the number with what it
    measures ('£380 per home', '143 young people', 'a 27% rise in library visits', '9 percentage
    points', 'from 41 to 6'), and with `verb` the change verb before it ('fell by 28%'). Without
    `counted` a count is the bare number: 'how many households?' names what it counts."""
    ft = _in_from_to(sentence, s, e)
    if ft is not None:
        s, e = ft.span()
        u = _UNIT_AFTER.match(sentence, e)
        e = u.end() if u else e
    else:
        from .spans import with_hedge

        s = with_hedge(sentence, s)
        raw = sentence[s:e]
        for pattern in (_UNIT_AFTER, _NOUN_AFTER, _PER):
            m = pattern.match(sentence, e)
            if m:
                e = m.end()
                if pattern is _NOUN_AFTER:
                    e = s + len(re.sub(r"(?:\s+(?:and|or|but|with|for|in|of|to|the|a|an))+$", "", sentence[s:e]))
                    art = _ARTICLE_BEFORE.search(sentence[max(0, s - 4) : s])
                    s = s - len(art.group(0)) if art else s
                break
        else:
            if counted and not ("£" in raw or "%" in raw or "cent" in raw):
                m = _COUNTED.match(sentence, e)
                if m and not re.search(r"\b(?:of|in|to|the|and|for|by|from|with|at|on|a|an)\b", m.group(1)):
                    e = m.end()
    core = (s, e)
    if verb:
        lo = max(0, s - 40)
        v = _VERB_BEFORE.search(sentence[lo:s])
        if v:
            s = lo + v.start()
    if e - s > MAX_FIGURE:
        s, e = core if core[1] - core[0] <= MAX_FIGURE else (core[0], core[0] + len(sentence[core[0]:core[1]].split()[0]))
    return s, e


_CLAUSE_BREAK = re.compile(r"[,;:()–—]\s*|\s(?:and|but|while|whereas|which|because|so|when|after|since|as|with)\s", re.I)
# Words that may stand before a figure that is its clause's subject ('In that time 143 people ...').
_LEAD_WORDS = frozenset("in that this time year so far overall now then last the first by its of over all total to date "
                        "since during within".split())
# Characters the clause may add to the figure with its verb ('Emergency moves' before 'fell by 38%'):
# a longer clause is cut back to the figure, which reads as the answer and matches a reader's short form.
RESULT_EXTRA = 20


def result_span(sentence: str, s: int, e: int) -> tuple[int, int]:
    """The clause that states the result, (start, end) in `sentence`: what changed, the change and
    the figure ('Emergency moves fell by 38%'), or a figure that opens its clause with what follows it
    ('143 young people have moved into jobs'); the figure with its verb when the clause is long."""
    fs, fe = figure_span(sentence, s, e, verb=True)
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, fs)), default=0)
    end = fe
    lead = [w.lower().strip(".,") for w in sentence[start:fs].split()]
    if fs == figure_span(sentence, s, e)[0] and all(w in _LEAD_WORDS for w in lead):
        # 'In that time 143 young people have moved ...': the figure is the subject; its predicate says the result
        nxt = _CLAUSE_BREAK.search(sentence, fe)
        end = nxt.start() if nxt else len(sentence.rstrip().rstrip("."))
        start = fs
    if end - start > (fe - fs) + RESULT_EXTRA or end <= start:
        return fs, fe
    return start, end


_ASK_DOWN = re.compile(r"\b(?:cut|cuts|reduc\w*|fall|fell|fallen|drop\w*|lower\w*|fewer|less|decreas\w*|declin\w*|"
                       r"shorter|quicker|faster|down|prevent\w*|avoid\w*|halv\w*)\b", re.I)
_ASK_UP = re.compile(r"\b(?:rise|rose|risen|rais\w*|grow|grew|grown|increas\w*|more|higher|improv\w*|boost\w*|up|"
                     r"climb\w*|gain\w*)\b", re.I)
_ASK_MONEY = re.compile(r"\b(?:sav(?:e|es|ed|ing|ings)|cost\w*|spen[dt]\w*|invest\w*|funding|worth|value|money|budget|"
                        r"raise[sd]?|income|paid|pay|social return|awarded)\b", re.I)
_ASK_SHARE = re.compile(r"\b(?:share|percentage|proportion|rate|per ?cent)\b", re.I)


def verb_fit(question: str, rec: dict) -> float:
    """1 when the record is the kind of result the question's verb asks for ('save' money, 'cut' a
    fall, 'what share' a percentage), 0 when it is the opposite, 0.5 when the question does not say.
    `question` is the question's wording outside the names it gives (a 'Fund' in a name asks nothing)."""
    unit, direction = rec.get("unit"), rec.get("direction")
    fits = []
    if _ASK_MONEY.search(question):
        fits.append(1.0 if unit == "gbp" else 0.0)
    elif _ASK_SHARE.search(question):
        fits.append(1.0 if unit == "percent" else 0.3)
    elif re.search(r"\bhow many\b", question, re.I):
        fits.append(0.0 if unit in ("gbp", "percent") else 1.0)
    down, up = bool(_ASK_DOWN.search(question)), bool(_ASK_UP.search(question))
    if down != up and direction in ("increase", "decrease"):
        fits.append(1.0 if (direction == "decrease") == down else 0.0)
    return sum(fits) / len(fits) if fits else 0.5


_INPUT = re.compile(r"\b(?:backed|funded|awarded|received|receiving|granted|given|invested|investing|worth|costs?|cost|"
                    r"budget|grants?|funding|share|shares|allocated|paid|spent|spend|lent|loan)\b[^.;]{0,25}$", re.I)


def is_input(sentence: str, s: int, rec: dict) -> bool:
    """Money the subject was given, lent or spent ('backed by £210,000', 'invested £6.4m'), or the
    people a sentence is about ('among the first 240 participants'): what it took, not what it achieved."""
    if rec.get("unit") == "gbp":
        return bool(_INPUT.search(sentence[max(0, s - 40) : s])) or (rec.get("metric") or "") in _INPUT_METRICS
    return rec.get("unit") in ("count", "people", "households") and bool(_COHORT.search(sentence[max(0, s - 30) : s]))


_COHORT = re.compile(r"\b(?:among|amongst|of|for|from|across|with)\s+(?:(?:the|its|their|our|all|first|last|some|around|"
                     r"about|over|nearly|almost|more\s+than)\s+)*$", re.I)


_INPUT_METRICS = frozenset({"investment", "spending", "funding secured", "funding awarded", "funding allocated"})


def is_change(sentence: str, s: int, e: int, rec: dict) -> bool:
    """The record states a change ('fell by', 'from A to B', a direction), not only a size."""
    return rec.get("direction") in ("increase", "decrease") or _in_from_to(sentence, s, e) is not None

