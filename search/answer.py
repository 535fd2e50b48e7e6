"""Answers built, not generated: parse the question, retrieve, score typed candidates, cite sources.

Candidates come from three places, all scored by the same evidence test (how much of the
question's wording surrounds them, how high their passage ranks, how close they sit to the
question's words and entities):
- entity mentions of the expected type in the retrieved passages;
- typed graph edges touching the entities the question names (role and relation matches count);
- spans the extractor does not type: amounts and counts, dates, quoted names, capitalised names
  (people, bodies, places after 'in'), and for "what does X do?" questions the clause that follows
  the question's own verb phrase in the best sentence;
- label lines ("Group Lead: Jo Bloggs"), scored by the section they belong to (`layout.py`).
Hybrid retrieval ends with a rerank of the fused pool by each passage's best sentence.
When no candidate is supported well enough, `answer` is None and `candidates` is empty.

Each occurrence records its named components (support, rank, proximity, type prior, the fits);
`search/scorer.py` turns them into features for the learned scorer (`train/answers.py`), which
gives every candidate a probability and the answer a calibrated `confidence`; under the model's
threshold the answer is withheld. The ranking itself is the hand formula (`_finish`) unless the
model's `rank` is "learned" (CASEGRAPH_RANK): measured, the learned ranking gains a little on
never-seen documents and loses on the dev questions, so the hand ranking is the default.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ingest.records import Answer, Candidate, Fact, Source

from ingest.text import MONEY, ROLE_WORDS, amount_value, content_words, phrase_key, stem
from ingest.text import STOP_WORDS as _STOPWORDS

from .cache import word_case
from .keyword import content_stems
from .question import Question, parse
from .retrieve import retrieve
from .spans import (APPOSITION_FIT, agent_spans, asked_verb, contact_spans, subject_of, count_spans, frequency_spans, head_spans, object_of, predicate_of, role_spans,
                    kind_lists, named_by_head, question_verb, title_spans, with_hedge)

__all__ = ["answer", "answer_from", "candidate_pool", "passages", "MIN_SUPPORT"]

# A candidate needs this share of the question's (IDF-weighted) wording around it; below it the
# corpus does not say the answer and we return None rather than a guess.
MIN_SUPPORT = 0.34
POOL = 12  # passages read per question
HEAD_WEIGHT = 0.3  # weight of a which-question's head noun among the question's words
ANCHOR_REACH = 4  # passages before a candidate's own that may hold the subject it is about

_MONEY = re.compile(MONEY, re.I)
_NUMBER = re.compile(r"(?<![\w£.,/])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:million|billion|thousand|per ?cent|%))?(?![\w/]|[.,]\d)", re.I)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTHS}\.?\s+\d{{4}}\b"
                   rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|\b(?:19|20)\d\d\b")
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b(?!\.?\s+\d)")
_CIRCA = re.compile(r"(?<![\w£.,])(?:c|ca|circa)\.?\s?\d[\d,]*(?:\.\d+)?(?![\w/]|[.,]\d)", re.I)
_QUOTED = re.compile(r"[‘“\"']([A-Z][^‘’“”\"\n]{1,60}?)[’”\"'](?!\w)")
_NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
                 "thirty", "forty", "fifty", "hundred", "dozen"}

# Role words that mean the same post.
_ROLE_SYNONYMS = {
    "chief executive": ("chief executive", "ceo", "chief exec"),
    "ceo": ("chief executive", "ceo"),
    "chair": ("chair", "chairman", "chairwoman", "chairperson", "chairs", "chaired"),
    # The chief executive is who leads or heads an organisation ("X, Chief Executive Officer, Y").
    "lead": ("lead", "leader", "led by", "leads", "head", "group lead", "chief executive", "ceo"),
    "leader": ("leader", "lead", "led by", "leads", "chief executive", "ceo"),
    "head": ("head", "lead", "leads", "led by", "chief executive", "ceo"),
    "director": ("director",),
    "founder": ("founder", "founded", "set up"),
}

# Sector a which-question's head noun asks for (sectors as the extractor writes them).
_HEAD_SECTOR = {"council": "council", "authority": "council", "consultancy": "company", "company": "company",
                "firm": "company", "developer": "company", "charity": "voluntary", "university": "university",
                "partnership": "partnership", "trust": "nhs", "hospital": "nhs", "department": "central_government",
                "police": "central_government"}

# Weight of a candidate type by its place in the question's acceptable types (preferred first).
_RANK_PRIOR = (1.0, 0.6, 0.4)


def _prior(types: tuple[str, ...], type_: str) -> float:
    return _RANK_PRIOR[min(types.index(type_), 2)] if type_ in types else 0.0


@dataclass
class _Cand:
    key: str
    name: str
    type: str
    entity: str | None = None
    score: float = 0.0
    hand: float = 0.0  # the hand formula's score (search.answer._finish), kept beside a learned `score`
    prob: float = 0.0  # the learned scorer's probability that this candidate is a right answer
    scores: list = field(default_factory=list)
    best: tuple = ()  # (score, hit rank, start in passage, end in passage, sentence start, sentence end, support)
    instances: list = field(default_factory=list)  # every scored occurrence, shaped like `best`
    feats: list = field(default_factory=list)  # the named components of each instance (search.scorer)
    graph: list = field(default_factory=list)  # (relation fit, role fit) of each supporting typed edge
    records: list = field(default_factory=list)  # (score, search.outcomes.Record, tie) of each outcome record behind it


# -- evidence scoring ---------------------------------------------------------------------------


def _idf(state) -> dict[str, float]:
    from .cache import state_cache

    cache = state_cache(state)
    if not cache.idf:
        df = state.snapshot.stem_df
        if df is None:  # a snapshot built without the counts: count them here
            df = {}
            for i in range(len(state.snapshot.passages)):
                for w in set(_tokens(state, i)[1]):
                    df[w] = df.get(w, 0) + 1
        n = max(len(state.snapshot.passages), 1)
        idf = {w: math.log(1 + n / c) for w, c in df.items()}
        idf["__n__"] = math.log(1 + n)  # the weight of a word the corpus never uses
        cache.idf.update(idf)
    return cache.idf


def _tokens(state, i: int) -> tuple[list[int], list[str]]:
    """(start offsets, stems) of the content words of passage `i`, computed once per state."""
    from .cache import state_cache

    cache = state_cache(state)
    got = cache.tokens.get(i)
    if got is None:
        got = cache.tokens[i] = content_stems(state.snapshot.passages[i].text)
    return got


def _sentences(state, i: int) -> list[tuple[int, int]]:
    """Sentence spans inside passage `i` (the chunker's splitter), computed once per state."""
    from .cache import state_cache

    cache = state_cache(state)
    got = cache.sentences.get(i)
    if got is None:
        from ingest.chunk import split_sentences

        text = state.snapshot.passages[i].text
        got = cache.sentences[i] = [(a, b) for a, b in split_sentences(text) if text[a:b].strip()] or [(0, len(text))]
    return got


class _Evidence:
    """How much of the question's wording a piece of a passage holds, IDF-weighted."""

    def __init__(self, q: Question, idf: dict[str, float], state):
        unknown = idf["__n__"]
        self.state = state
        self.weights: dict[str, float] = {}
        # The head noun describes the answer ('which think tank'); reports seldom repeat it.
        head = set(content_words(q.head or "")) if q.kind in ("which", "who", "where") else set()
        for w in q.terms:
            self.weights[w] = max(self.weights.get(w, 0.0), idf.get(w, unknown) * (HEAD_WEIGHT if w in head else 1.0))
        # The named entities count as words too (matched by their surface words).
        for name in q.named:
            if name in q.context:
                continue
            for w in content_words(name):
                self.weights[w] = max(self.weights.get(w, 0.0), idf.get(w, unknown))
        self.total = sum(self.weights.values()) or 1.0
        self.term_weights = {w: self.weights[w] for w in q.terms if w in self.weights}
        self.term_total = sum(self.term_weights.values())
        self.anchors = {w: idf.get(w, unknown) for w in q.anchors}
        # A one-word alias ("CRA") in a passage stands for all the words of the name it abbreviates.
        named_words = frozenset(w for name in q.named for w in content_words(name))
        self.named_words = frozenset(w for name in q.named if name not in q.context for w in content_words(name))
        # Only initials ('CRA', 'NfL') stand for a name: a generic alias ('the Council') would make
        # every passage that says 'council' about the named body.
        self.alias_words = {w[0]: named_words for a in q.aliases
                            if len(w := content_words(a)) == 1 and sum(c.isupper() for c in a) >= 2}

    def _expand(self, words: set[str]) -> set[str]:
        for alias, stands_for in self.alias_words.items():
            if alias in words:
                words |= stands_for
        return words

    def anchor_share(self, text: str) -> float:
        """Share of the question's proper-name weight found in `text` (1 when it names none)."""
        total = sum(self.anchors.values())
        if not total:
            return 1.0
        words = self._expand(set(content_words(text)))
        return sum(v for w, v in self.anchors.items() if w in words) / total

    def text_coverage(self, text: str) -> float:
        """Share of the question's weight found in any `text` (a section, a label line)."""
        words = self._expand(set(content_words(text)))
        return sum(v for w, v in self.weights.items() if w in words) / self.total

    def anchored(self, i: int, entities: tuple[str, ...] = ()) -> bool:
        """Most of the question's proper-name weight occurs in passage `i` or the few before it in
        the same document (about one section), or they mention an entity the question names (by
        any alias): a question about a body the corpus never mentions gets no answer."""
        if not self.anchors:
            return True
        snap = self.state.snapshot
        # Reports name the subject in a section's heading or first paragraph, then say 'the council'.
        reach = [i]
        for j in range(i - 1, max(-1, i - 1 - ANCHOR_REACH), -1):
            if snap.passages[j].doc != snap.passages[i].doc:
                break
            reach.append(j)
        if entities and any(m.entity in entities for j in reach for m in self.state.passage_mentions(snap.passages[j].id)):
            return True
        # A report speaks of the body in its title as 'we' and 'our': the title anchors every passage.
        words: set[str] = set(content_words(snap.titles.get(snap.passages[i].doc, "")))
        for j in reach:
            words |= set(_tokens(self.state, j)[1])
        words = self._expand(words)
        have = sum(v for w, v in self.anchors.items() if w in words)
        # The rarest proper-name word must be there: 'Council' alone does not anchor 'Oldham Council'.
        rarest = max(self.anchors, key=lambda w: (self.anchors[w], w))
        return have >= 0.5 * sum(self.anchors.values()) and rarest in words

    def coverage(self, i: int, start: int, end: int) -> float:
        """Share of the question's weight found in passage `i` between `start` and `end`."""
        starts, stems = _tokens(self.state, i)
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = self._expand(set(stems[lo:hi]))
        return sum(v for w, v in self.weights.items() if w in words) / self.total

    def coverage_naming(self, i: int, start: int, end: int) -> float:
        """`coverage` of the span with the question's named subject counted as present: for a result
        the subject achieved by the graph's account, or named in the sentence before."""
        starts, stems = _tokens(self.state, i)
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = self._expand(set(stems[lo:hi])) | self.named_words
        return sum(v for w, v in self.weights.items() if w in words) / self.total

    def coverage_referring(self, i: int, start: int, end: int) -> float:
        """`coverage` of a sentence that refers back to a subject ('It is run by ...', 'The project
        was commissioned by ...') with the proper names of the sentence before it counted as present."""
        text = self.state.snapshot.passages[i].text
        if not _REFERS_BACK.match(text, start):
            return 0.0
        before = text[max(0, start - REFER_REACH) : start]
        names = set(content_words(" ".join(re.findall(r"(?<![\w’'])[A-Z][\w’'&-]*", before))))
        if not names:
            return 0.0
        starts, stems = _tokens(self.state, i)
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = self._expand(set(stems[lo:hi]) | names)
        return sum(v for w, v in self.weights.items() if w in words) / self.total

    def positions(self, i: int) -> list[int]:
        """Offsets of question words in passage `i` (for proximity)."""
        starts, stems = _tokens(self.state, i)
        return [s for s, w in zip(starts, stems) if w in self.weights]


# A sentence that opens by referring back ('It', 'They', 'The project', 'The programme in X') is
# about the subject named just before it.
_REFERS_BACK = re.compile(r"\s*(?:[-–•*]\s*)?(?:It|They|This|These|The\s+(?![A-Z])[a-z][\w-]*)\b")
REFER_REACH = 300  # characters before the sentence where its subject may be named
REFER_SHARE = 0.9  # weight of a referring sentence's coverage against one that names its subject


def _proximity(start: int, end: int, positions: list[int]) -> float:
    if not positions:
        return 0.5
    d = min(min(abs(p - start), abs(p - end)) for p in positions)
    return 1.0 / (1.0 + d / 120.0)


# -- candidates ---------------------------------------------------------------------------------


def _excluded(q: Question, name: str, entity: str | None) -> bool:
    """A candidate the question itself names is never its answer."""
    if entity and entity in q.entities:
        return True
    key = phrase_key(name)
    if not key:
        return True
    qkey = " " + phrase_key(q.text) + " "
    if f" {key} " in qkey:
        return True
    # A variant of what the question names ("Leicestershire's Children's Innovation Partnership" for
    # "... Leicestershire County Council ... the Children's Innovation Partnership") is its subject.
    words = _all_stems(name)
    return bool(words) and set(words) <= set(_all_stems(q.text))


def _all_stems(text: str) -> list[str]:
    """Stems of every word, stop words included ('Be Wigan' is not 'Wigan')."""
    return [stem(w) for w in re.findall(r"[\w’'&-]+", text.lower())]


def _role_near(q: Question, text: str, start: int, end: int) -> float:
    """1 when a word for the question's role sits next to the candidate (within ~60 characters)."""
    if not q.role:
        return 0.0
    words = q.role.split()
    head = words[-1] if words[-1] not in ("officer",) else q.role
    forms = _ROLE_SYNONYMS.get(q.role) or _ROLE_SYNONYMS.get(head) or (head,)

    def says(span: str) -> bool:
        span = re.sub(r"\s+", " ", span.lower())
        return any(re.search(rf"\b{re.escape(f)}\b", span) for f in forms)

    # A list or card line ('Jo Bloggs – Head of Policy, Anytown Council') states its own person's post:
    # the asked role on that line is theirs, and a neighbour's line does not lend it to them.
    line = text[text.rfind("\n", 0, start) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1]
    short = len(line) <= ROLE_LINE
    if short and says(line):
        return 1.0
    # 'Our chair is Jo Bloggs, Dean of ...': the asked post right before the name is theirs.
    lead_in = re.sub(r"\s+", " ", text[max(0, start - 30) : start].lower())
    if any(re.search(rf"\b{re.escape(f)}\b(?: is| was| by)?[\s,:]*(?:(?:dr|the|our|its|cllr|professor)\.? )?$", lead_in)
           for f in forms):
        return 1.0
    # The post written beside the name ('Jo Bloggs, Chief Executive,') when it is another post.
    titles = [text[a:b] for a, b in role_spans(text, start, end)]
    # ... unless the rest of its line gives the asked post too ('Jo Bloggs, director at X, chairs the group').
    rest = text[end : min(end + 120, (text.find("\n", end) + 1 or len(text) + 1) - 1)]
    if titles and not any(says(t) for t in titles) and not says(rest):
        return ROLE_OTHER
    window = text[max(0, start - 60) : min(len(text), end + 80)].lower()
    window = re.sub(r"\s+", " ", window)
    if not any(re.search(rf"\b{re.escape(f)}\b", window) for f in forms):
        return 0.0
    # Nearer is surer: the role word right before the name ('led by X', 'Chair X') or right after
    # it ('X, chair of ...') names its holder; elsewhere in the window it may name a neighbour's.
    before = re.sub(r"\s+", " ", text[max(0, start - 25) : start].lower())
    after = re.sub(r"\s+", " ", text[end : end + 30])
    # Post-nominals ('OBE') may stand between the name and its role: matched in capitals.
    close = any(re.search(rf"\b{re.escape(f)}\b(?: by)?[\s,:]*(?:(?:dr|the|our|its|cllr)\.? )?$", before)
                or re.match(rf"[\s,(–-]*(?:[A-Z]{{2,5}}[\s,]+)*(?i:(?:is |was |as )?(?:the |our |its |a )?(?:\w+ )?"
                            rf"{re.escape(f)})\b", after)
                for f in forms)
    return 1.0 if close else ROLE_FAR


ROLE_FAR = 0.6  # a role word in the window but not beside the candidate
ROLE_OTHER = -0.6  # another post written beside the candidate ('Jo Bloggs, Chief Executive' for 'who chairs')
ROLE_LINE = 160  # a line this short is a list or card line, about the one person it names


def _head_fit(q: Question, name: str, state, entity: str | None) -> float:
    if not q.head:
        return 1.0
    head = stem(q.head.split()[-1])
    if head in content_words(name):
        return 1.3
    sector = _HEAD_SECTOR.get(q.head.rstrip("s")) or _HEAD_SECTOR.get(q.head)
    if sector and entity and entity in state.graph and state.graph.nodes[entity].get("sector") == sector:
        return 1.2
    return 1.0


def _add(cands: dict, key: str, name: str, type_: str, entity: str | None, score: float, where: tuple,
         feats: dict | None = None) -> None:
    c = cands.get(key)
    if c is None:
        c = cands[key] = _Cand(key=key, name=name, type=type_, entity=entity)
    c.scores.append(score)
    c.instances.append((score,) + where)
    c.feats.append(feats or {})
    if not c.best or score > c.best[0]:
        c.best = (score,) + where


def _span_candidates(q: Question, text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of untyped answer spans in `text`: amounts, dates, quoted names."""
    out = []
    if q.kind == "quantity":
        qnums = set(re.findall(r"\d[\d,]*", q.text))
        # An amount the question itself states ("how much of the £1.4m target") is not its answer.
        qamounts = {amount_value(m.group(0)) for m in _MONEY.finditer(q.text)}
        for m in _MONEY.finditer(text):
            if amount_value(m.group(0)) not in qamounts:
                out.append((m.start(), m.end(), "outcome"))
            else:
                out.append((m.start(), m.end(), "skip"))
        for m in _NUMBER.finditer(text):
            num = m.group(0)
            if re.fullmatch(r"(?:19|20)\d\d", num) or num.replace(",", "") in {n.replace(",", "") for n in qnums}:
                continue
            if any(s <= m.start() < e for s, e, _ in out):
                continue
            out.append((with_hedge(text, m.start()), m.end(), "outcome"))
        for m in _CIRCA.finditer(text):
            # 'c650 people': a circa figure, one token the number pattern does not see.
            if not any(s < m.end() and m.start() < e for s, e, _ in out):
                out.append((m.start(), m.end(), "outcome"))
        if re.search(r"\bhow often\b", q.text, re.I):
            out += [(a, b, "outcome") for a, b in frequency_spans(text)]
        if re.search(r"\bhow many\b", q.text, re.I):
            for a, b in count_spans(text):
                if not any(s < b and a < e for s, e, _ in out):
                    out.append((a, b, "outcome"))
        out = [x for x in out if x[2] != "skip"]
    elif q.kind == "when":
        for m in _DATE.finditer(text):
            if m.group(0) not in q.text:
                out.append((m.start(), m.end(), "date"))
        # A day and month without the year ('on the 14th of June'), when no dated form covers it.
        for m in _DAY_MONTH.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in out):
                out.append((m.start(), m.end(), "date"))
    if "programme" in q.answer_types:
        for m in _QUOTED.finditer(text):
            out.append((m.start(1), m.end(1), "programme"))
    return out


# 'How much funding / will it cost / is it paid ...?' asks for a sum of money ...
_ASKS_MONEY = re.compile(r"\bhow much\b.*\b(?:fund\w*|cost\w*|pa(?:y|ys|id|ying)|budget\w*|receiv\w*|worth|spen[dt]\w*|"
                         r"invest\w*|grants?|money|award\w*|rais\w*|allocat\w*|price\w*|fees?|bid)\b")
# ... unless it asks by how much something changed ('by how much did spending fall?', 'how much quicker').
_ASKS_CHANGE = re.compile(r"\bby how much\b|\bhow much (?:more|less|fewer|quicker|faster|sooner|longer|shorter|time|of)\b")


def _quantity_fit(q: Question, text: str, start: int, end: int) -> float:
    """Money for 'how much', and a count whose following noun is the question's noun for 'how many'."""
    span = text[start:end]
    low = q.text.lower()
    part = re.match(r"\s+of\s+(?:the|its|their|a|an)\s+(£\s?[\d.,]+\s?(?:k|m|bn|million|billion|thousand)?)",
                    text[end : end + 40], re.I)
    if part and amount_value(part.group(1)) in {amount_value(m.group(0)) for m in _MONEY.finditer(q.text)}:
        return 1.6  # "£300k of the £2m target": the part of the total the question names
    money = "£" in span or bool(re.search(r"million|billion", span, re.I))
    if _ASKS_MONEY.search(low) and not _ASKS_CHANGE.search(low) and not money:
        return 0.0  # 'how much funding ...?' is a sum: a count or a share is another fact
    if "how much" in low or re.search(r"value|cost|amount|budget|sum|sav", low):
        return 1.3 if money else 0.6
    if re.search(r"\bhow many\b", low) and "£" in span and not re.search(r"\bhow many (?:pounds|£)", low):
        return 0.0  # 'how many homes ...?' is a count, never a sum of money
    if re.search(r"\bhow often\b", low):
        return 1.4 if frequency_spans(span) else 1.1 if re.fullmatch(r"(?i)once|twice|thrice|.+ times", span) else 0.5
    if re.search(r"\bhow many times\b", low):
        return 1.3 if re.fullmatch(r"(?i)once|twice|thrice|.+ times", span) else 0.8
    after = content_words(text[end : end + 30])[:2]
    counted = re.search(r"\bhow many\s+([\w-]+)", low)
    if after and counted and after[0] == stem(counted.group(1)):
        return 1.5  # "how many staff" -> "30 staff"
    if after and after[0] in q.terms:
        return 1.2
    return 0.8 if "£" in span else 1.0


def _date_fit(q: Question, span: str) -> float:
    """'On what date ...' asks for a day: a date with one beats a month, and a month a bare year."""
    if not re.search(r"\b(?:date|day)\b", q.text, re.I):
        return 1.0
    if re.search(r"\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", span) and re.search(_MONTHS, span):
        return DAY_FIT
    return 1.0 if re.search(_MONTHS, span) else 1.0 / DAY_FIT


DAY_FIT = 1.6


_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PERSON_SHAPE = re.compile(rf"(?<![\w’'])(?:(?:Dr|Sir|Dame|Cllr|Professor|Prof)\.? )?({_NAME_WORD} (?:[A-Z]\. )?{_NAME_WORD}(?: {_NAME_WORD})?)(?![\w’'])")
_WRAPPED_NAME = re.compile(rf"(?<![\w’'])(?<!\n){_NAME_WORD}[ \t]*\n[ \t]*{_NAME_WORD}(?![\w’'])")
WRAPPED_LINE = 30  # characters before a line break that make it a wrap rather than a layout line
_CAMEL_ORG = re.compile(r"(?<![\w’'])([A-Z][a-z]+[A-Z][A-Za-z]+)(?![\w’'])")


def _name_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Person- and organisation-shaped names the extractor did not mark: 'Mira Okafor' (two or three
    capitalised words, none of them a heading, place or organisation word), 'BlueMeridian'."""
    from ingest.patterns import ORG_SUFFIX, PROGRAMME_SUFFIX, REGIONS

    taken = [(a, b) for a, b in taken if not _person_of(text[a:b])]
    # a word no person's name holds: a body's, programme's or region's word, or one of _NOT_NAME
    not_a_name_word = lambda w: w in ORG_SUFFIX or w in PROGRAMME_SUFFIX or w in _NOT_NAME or w in REGIONS  # noqa: E731
    out = []
    for m in _PERSON_SHAPE.finditer(text):
        s, e = m.span(1)
        words = m.group(1).split()
        if len(words) == 3 and (words[2].lower() in _ROLE_HEADS or words[2].lower() in _NOT_NAME):
            # 'Jo Bloggs Head of Policy': a name with its post right after it and no comma.
            words = words[:2]
            e = s + len(" ".join(words)) if text[s:e].startswith(" ".join(words)) else e
        if any(a < e and s < b for a, b in taken):
            continue
        low = [w.lower() for w in words]
        if any(map(not_a_name_word, low)) or m.group(1).lower() in REGIONS:
            continue
        if any(w in _ROLE_HEADS for w in low) or _TITLE_NEXT.match(text, e):
            continue  # a post's words ('Circular Economy [Manager]'), not a name
        out.append((s, e, "person"))
    for m in _WRAPPED_NAME.finditer(text):
        # A name the line wrap broke in two ('... led by Jo\nBloggs, ...'): only in a long line
        # that runs on, not after a label or heading on a line of its own.
        line = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
        s, e = m.span()
        if len(line) < WRAPPED_LINE or any(a < e and s < b for a, b in taken + [(x, y) for x, y, _ in out]):
            continue
        if any(not_a_name_word(w.lower()) for w in m.group(0).split()):
            continue
        out.append((s, e, "person"))
    for m in _CAMEL_ORG.finditer(text):
        s, e = m.span(1)
        if not any(a < e and s < b for a, b in taken):
            out.append((s, e, "organisation"))
    people = [(s, e) for s, e, _ in out]
    for m in _CAPS.finditer(text):
        s, e = _trim_caps(text, *m.span())
        words = text[s:e].split()
        if len(words) < 2 or any(a < e and s < b for a, b in people):
            continue
        if all(w.lower() in _NOT_NAME or w.lower() in REGIONS for w in words):
            continue
        low = [w.lower().strip("’'") for w in words]
        if low[-1] in _ROLE_HEADS or (low[0] in _ROLE_HEADS and len(low) > 1 and low[1] == "of"):
            continue  # a job title ("Senior Manager", "Head of Commissioning"), not a body
        # After a locative preposition a capitalised name is a place ("the site is in Holts and Lees"),
        # even where the extractor typed its parts separately.
        type_ = "place" if re.search(r"\b(?:in|at|near)\s+(?:the\s+)?$", text[max(0, s - 12) : s]) else "organisation"
        if any(a < e and s < b and (type_ != "place" or a < s or b > e) for a, b in taken):
            continue
        out.append((s, e, type_))
    return out


_TITLE_BEFORE = re.compile(r"\b(?i:%s)\s+(?:of|for)\s+(?:the\s+)?$" % "|".join(re.escape(w) for w in ROLE_WORDS))
# A post's last word right after a name-shaped span ('Circular Economy [Manager]'); one that opens
# a title of its own ('Jo Bloggs [Head of Policy]') follows a name.
_TITLE_NEXT = re.compile(r"[ \t]+(?:%s)\b(?![ \t]+(?:of|for)\b)" % "|".join(sorted({w.split()[-1].title() for w in ROLE_WORDS}, key=len, reverse=True)))


def _person_of(name: str) -> bool:
    """'Jo Bloggs of Saltmarsh University': a person-shaped name, then 'of' and a body."""
    m = re.match(rf"({_NAME_WORD} {_NAME_WORD}) of (?:the )?[A-Z]", name)
    if not m:
        return False
    from ingest.patterns import ORG_SUFFIX, PROGRAMME_SUFFIX

    return not any(w.lower() in ORG_SUFFIX or w.lower() in PROGRAMME_SUFFIX or w.lower() in _NOT_NAME
                   for w in m.group(1).split())


# Runs of capitalised words, joined by 'of', 'for', 'and', '&' or 'the' ("Skills Development England").
_CAPS = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?:\s(?:(?:of|for|and|&|the)\s)?[A-Z][\w’'-]*)+")


def _trim_caps(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop leading and trailing words that are not part of a name ('The', 'In', 'And')."""
    words = list(re.finditer(r"\S+", text[s:e]))
    while words and words[0].group(0).lower() in _NOT_NAME_EDGE:
        words.pop(0)
    while words and words[-1].group(0).lower() in _NOT_NAME_EDGE:
        words.pop()
    if not words:
        return s, s
    return s + words[0].start(), s + words[-1].end()


_NOT_NAME_EDGE = frozenset("the a an and of for in on at to by with from our we this that these those it its their "
                           "if as but so when where while since after before during following although however "
                           "through across under over between each every all both many most some other "
                           "january february march april may june july august september october november december "
                           "monday tuesday wednesday thursday friday saturday sunday".split())
_ROLE_HEADS = frozenset(w.split()[-1] for w in ROLE_WORDS)


_NOT_NAME = frozenset("""the a an and of for in on at to by with from our we this that these those it its their
    chair chief executive director head lead leader manager group team council county city borough district
    january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday north south east west northern southern eastern western
    central greater new old local national public social health care children adult services service
    key what who how why where when case study studies figure table annex appendix part section chapter
    government transformation commissioning academy peer learning""".split())
UNTYPED = 0.6  # an untyped name counts less than a mention the extractor typed


def _span_answer(q: Question, text: str, sent: tuple[int, int]) -> tuple[int, int] | None:
    """The clause after the question's own verb phrase inside the sentence, e.g. 'to reset ...'."""
    if len(q.tail) < 2:
        return None
    s, e = sent
    toks = [(m.start() + s, m.end() + s, stem(m.group(0))) for m in re.finditer(r"[\w'’-]+", text[s:e])]
    best, best_len = None, 0
    tail = list(q.tail)
    for j in range(len(toks)):
        # Walk back from token j and from the end of the tail, allowing one skipped word each side.
        i, t, run, skips = j, len(tail) - 1, 0, 0
        while i >= 0 and t >= 0:
            if toks[i][2] == tail[t]:
                run += 1
                i -= 1
                t -= 1
            elif skips < 1:
                skips += 1
                i -= 1
            else:
                break
        if run > best_len and toks[j][2] == tail[-1]:
            best, best_len = j, run
    if best is None or best_len < min(3, len(tail)):
        return None
    start = toks[best][1]
    while start < e and text[start] in " \t\n\"'“”‘’":
        start += 1
    stop = re.search(r"[,;:.!?”\"(]|\s[-–—]\s|\s(?:where|which|while|whereas|but)\s", text[start:e])
    end = start + (stop.start() if stop else e - start)
    words = text[start:end].split()
    if not 2 <= len(words) <= 25:
        return None
    return start, end


def _gather(q: Question, state, hits, evidence: _Evidence) -> dict:
    """Score every candidate of an acceptable type in the retrieved passages."""
    snap = state.snapshot
    graph = state.graph
    cands: dict[str, _Cand] = {}
    types = q.answer_types
    use_labels = "person" in types
    for rank, hit in enumerate(hits):
        p = snap.passages[hit.index]
        text = p.text
        rank_w = 1.0 / (1.0 + RANK_DECAY * rank)
        sents = _sentences(state, hit.index)
        positions = evidence.positions(hit.index)
        mentions = state.passage_mentions(p.id)
        named_here = [m for m in mentions if m.entity in q.entities]
        labels = _labels_here(q, state, p) if use_labels else []
        label_spans = [(lb.value_start - p.start, lb.value_end - p.start) for lb in labels]
        names = []
        if any(t in types for t in ("person", "organisation", "place")):
            taken = [(m.start - p.start, m.end - p.start) for m in mentions] + label_spans
            names = _name_spans(text, taken)
        # A place name after 'in' that joins typed fragments ("in Holts and Lees") replaces them.
        joined = [(s, e) for s, e, t in names if t == "place"
                  and any(s <= m.start - p.start and m.end - p.start <= e for m in mentions)]

        def support(start: int, end: int) -> tuple[float, tuple[int, int]]:
            sent = next(((a, b) for a, b in sents if a <= start < b), (max(0, start - 150), min(len(text), end + 150)))
            return _support(evidence, hit.index, sent), sent

        def fits(start: int, end: int) -> dict:
            return {"local": _local_fit(evidence, hit.index, start, end), "possessive": _possessive_fit(q, text, end),
                    "apposition": _apposition_fit(q, text, start, end), "copula": _copula_fit(q, text, start, end),
                    "role_near": _role_near(q, text, start, end)}

        def fit(f: dict) -> float:
            return (f["local"] * f["possessive"] * f["apposition"] * f["copula"]
                    * ((1.0 + 0.8 * f["role_near"]) if q.role else 1.0))

        def base(kind: str, cov: float, prox: float, **more) -> dict:
            return {"kind": kind, "rank": rank, "cov": cov, "prox": prox, **more}

        for m in mentions:
            ntype = graph.nodes[m.entity].get("type", m.type) if m.entity in graph else m.type
            prior = _prior(types, ntype)
            if prior <= 0 and ntype == "person" and "organisation" in types and _GROUP_AFTER.match(text, m.end - p.start):
                ntype, prior = "organisation", UNTYPED * _prior(types, "organisation")  # "X staff": a body
            if ntype == "organisation" and _person_of(m.text):
                continue  # "Jo Bloggs of the University": a person and their body, read as names below
            if prior <= 0:
                continue
            name = graph.nodes[m.entity].get("name", m.text) if m.entity in graph else m.text
            if _excluded(q, name, m.entity) or _excluded(q, m.text, None):
                continue
            s, e = m.start - p.start, m.end - p.start
            if any(a < e and s < b for a, b in label_spans):
                continue  # scored by its label line below
            if "place" in types and any(a <= s and e <= b for a, b in joined):
                continue  # part of a longer place name
            name = _with_possessive(name, ntype, text, e)
            cov, sent = support(s, e)
            prox = _proximity(s, e, positions + [n.start - p.start for n in named_here])
            f = base("mention", cov, prox, prior=prior, head=_head_fit(q, name, state, m.entity), **fits(s, e))
            score = rank_w * cov ** COV_POWER * prior * (0.6 + 0.4 * prox) * f["head"] * fit(f)
            _add(cands, m.entity, name, ntype, m.entity, score, (rank, s, e) + sent + (cov,), f)
        for s, e, type_ in _span_candidates(q, text):
            surface = " ".join(text[s:e].split())
            if not surface or _excluded(q, surface, None):
                continue
            cov, sent = support(s, e)
            prox = _proximity(s, e, positions)
            fit_ = (_quantity_fit(q, text, s, e) if type_ == "outcome" else 0.8 if type_ == "programme"
                    else _date_fit(q, surface) if type_ == "date" else 1.0)
            if fit_ <= 0:
                continue  # a figure of another kind than the one asked
            key = f"{type_}:{phrase_key(surface)}"
            # A quoted name that is also a typed mention is already counted through the mention.
            if type_ == "programme" and any(phrase_key(c.name) == phrase_key(surface) for c in cands.values()):
                continue
            # A number or date is about what its own sentence names: one in a sentence that names the
            # question's subject beats one that only borrows its support from the sentences beside it.
            named = 1.0 + NAMED_SENT * evidence.anchor_share(text[sent[0] : sent[1]])
            f = base("figure", cov, prox, prior=1.0, reader=fit_, named=named, local=_local_fit(evidence, hit.index, s, e))
            _add(cands, key, surface, type_, None,
                 rank_w * cov ** COV_POWER * (0.6 + 0.4 * prox) * fit_ * named * f["local"],
                 (rank, s, e) + sent + (cov,), f)
        if any(t in types for t in ("person", "organisation", "place")):
            for s, e, type_ in names:
                prior = _prior(types, type_)
                surface = _with_possessive(" ".join(text[s:e].split()), type_, text, e)
                if prior <= 0 or _excluded(q, surface, None):
                    continue
                if type_ != "person" and any(c.type != type_ and phrase_key(c.name) == phrase_key(surface) for c in cands.values()):
                    continue  # typed elsewhere as something else
                cov, sent = support(s, e)
                prox = _proximity(s, e, positions)
                typed = 1.0 if (s, e) in joined else UNTYPED
                f = base("name", cov, prox, prior=prior, typed=typed, head=_head_fit(q, surface, state, None), **fits(s, e))
                score = typed * rank_w * cov ** COV_POWER * prior * (0.6 + 0.4 * prox) * f["head"] * fit(f)
                _add(cands, f"{type_}:{phrase_key(surface)}", surface, type_, None, score, (rank, s, e) + sent + (cov,), f)
        for lb in labels:
            _add_label(q, state, hits, lb, rank, p, evidence, cands)
        for s, e, type_, fit_ in _read_spans(q, state, p, mentions, types, rank, evidence):
            surface = " ".join(text[s:e].split())
            if not surface or _excluded(q, surface, None):
                continue
            cov, sent = support(s, e)
            prox = _proximity(s, e, positions + [n.start - p.start for n in named_here])
            f = base("reader", cov, prox, prior=_prior(types, type_), reader=fit_, local=_local_fit(evidence, hit.index, s, e))
            score = rank_w * cov ** COV_POWER * f["prior"] * (0.6 + 0.4 * prox) * fit_ * f["local"]
            _add(cands, f"{type_}:{phrase_key(surface)}", surface, type_, None, score, (rank, s, e) + sent + (cov,), f)
        if q.kind == "span" or (q.kind == "thing" and q.describe):
            for sent in sents:
                found = []
                span = _span_answer(q, text, sent) if q.kind == "span" else None
                if span:
                    found.append(span + (1.0,))
                if rank < OBJECT_HITS:
                    found += _object_answer(q, text, sent, evidence, hit.index)
                for s, e, fit_ in found:
                    cov = evidence.coverage(hit.index, *sent)
                    _add(cands, f"span:{phrase_key(text[s:e])}", " ".join(text[s:e].split()), "span", None,
                         rank_w * cov * fit_, (rank, s, e) + sent + (cov,), base("clause", cov, 1.0, prior=1.0, reader=fit_))
    return cands


OBJECT_HITS = 3  # passages whose sentences are parsed for the object of the question's verb


def _object_answer(q: Question, text: str, sent: tuple[int, int], evidence: _Evidence, i: int) -> list[tuple[int, int, float]]:
    """'What did S set up?': the object of the question's verb in the sentence, or when the sentence
    words the verb differently the object of the verb whose subject is S, read from the sentence's
    parse (only sentences that hold the question)."""
    subject, verb = question_verb(q.text)
    if not (subject or verb) or evidence.coverage(i, *sent) < MIN_SUPPORT:
        return []
    got = object_of(text[sent[0] : sent[1]], subject, verb, frozenset(content_words(q.text)))
    return [(sent[0] + got[0], sent[0] + got[1], got[2])] if got else []


CONTACT_FIT = 1.8  # the name after 'please contact', for 'who should I contact?' (as a contact label)
_POST_WORDS = re.compile(r"(?i)\b(?:role|post|position|job|title)s?\b")
LABEL_ROLE_FIT = 1.4  # the label of a line that names the asked person ('Group Lead: Jo Bloggs')
TITLE_FIT = 0.9  # a post title when the question names nobody
TITLE_NEAR = 0.6  # ... when it names a person who is in the same sentence but not beside the title
TITLE_FAR = 0.3  # ... when that person is not in the sentence
HEAD_POINT_FIT = 1.5  # a name the question's type word points at ('the consultancy X', 'X, a charity')
AGENT_FIT = 1.5  # the subject or 'by' agent of the question's own act
AGENT_KIN_FIT = 1.3  # ... of a verb of the same act in other words ('provided by' for 'who delivers')
PREDICATE_FIT = 1.4  # what the asked person does in the sentence, for 'what part did X play?'


def _read_spans(q: Question, state, p, mentions, types, rank: int = 0,
                evidence: "_Evidence | None" = None) -> list[tuple[int, int, str, float]]:
    """(start, end, type, fit) of answers read off the text where no extracted entity is one: job
    titles beside the asked person, names and phrases the question's head noun heads, contacts."""
    text = p.text
    out = []
    i = state.snapshot.by_id.get(p.id)
    if q.kind == "role":
        people = [(m.start - p.start, m.end - p.start) for m in mentions if m.entity in q.entities and m.type == "person"]
        for name in q.people:
            pat = r"\s+".join(re.escape(w) for w in name.split())
            people += [m.span() for m in re.finditer(pat, text)]
        for a, b in people:
            out += [(s, e, "role", 1.0) for s, e in role_spans(text, a, b)]
        # 'Group Lead: Jo Bloggs': a label line states the post of the person it names. 'What role
        # ...' asks for the post; 'what part does X play' as much for what X does.
        from .layout import labels_in

        post = bool(_POST_WORDS.search(q.text))
        for lb in labels_in(state, p.doc):
            if not lb.card and set(lb.label.lower().split()) & _ROLE_HEADS and p.start <= lb.label_start and lb.value_end <= p.end and any(
                    phrase_key(lb.value) == phrase_key(text[a:b]) for a, b in people):
                out.append((lb.label_start - p.start, lb.label_end - p.start, "role", LABEL_ROLE_FIT if post else 1.0))
        # A post named anywhere in the sentence: the answer to 'what post was created?', and a
        # weaker one to 'what is X's job?' when X is not beside it.
        sents = _sentences(state, i) if i is not None else [(0, len(text))]
        for s, e in title_spans(text):
            # 'Jo Bloggs Head of Policy' with no comma: the asked name is not part of the title.
            s = max([s] + [b for a, b in people if a <= s < b])
            s += len(text[s:e]) - len(text[s:e].lstrip())
            if not text[s:e].strip():
                continue
            sent = next(((a, b) for a, b in sents if a <= s < b), (0, len(text)))
            # A sentence that says 'he'/'she' after the person was named is about them too.
            near = any(sent[0] <= a < sent[1] for a, _ in people) or (
                any(a < sent[0] for a, _ in people) and re.search(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er)\b", text[sent[0] : sent[1]]))
            out.append((s, e, "role", TITLE_FIT if not q.people else TITLE_NEAR if near else TITLE_FAR))
        # 'What part did X play?': what X does, as the sentence says it ('chaired the steering group').
        plays = re.search(r"\b(?:part|play|plays|played|contribut\w*)\b", q.text, re.I)
        if plays and q.people and rank < OBJECT_HITS and evidence is not None:
            for a, b in people:
                sent = next(((x, y) for x, y in sents if x <= a < y), None)
                if sent is None or i is None or evidence.coverage(i, *sent) < MIN_SUPPORT:
                    continue
                got = predicate_of(text[sent[0] : sent[1]], a - sent[0], b - sent[0])
                if got:
                    out.append((sent[0] + got[0], sent[0] + got[1], "role", PREDICATE_FIT if not post else 1.0))
    if q.head and q.kind in ("thing", "which", "where", "who"):
        type_ = "span" if q.kind == "thing" else types[0]
        out += [(s, e, type_, fit) for s, e, fit in head_spans(text, q.head, q.describe)
                if q.kind == "thing" or fit == APPOSITION_FIT]
    if q.head and q.kind == "which" and "organisation" in types:
        # A body the question's type word points at ('media companies Gannet Press and ...'), typed or not.
        out += [(s, e, "organisation", HEAD_POINT_FIT) for s, e in named_by_head(text, q.head)]
    if q.kind in ("which", "who") and ("organisation" in types or "person" in types):
        # Who did the asked act: the name after its participle and 'by' ('was agreed by Cabinet'),
        # and in the leading passages the subject of its verb, read from the parse.
        verb = asked_verb(q.text)
        if verb:
            type_ = "organisation" if "organisation" in types else types[0]
            # The asked verb itself ('delivered by') beats a kin verb ('provided by') in the same sentence.
            exact = set(agent_spans(text, verb, exact=True))
            out += [(s, e, type_, AGENT_FIT if (s, e) in exact else AGENT_KIN_FIT) for s, e in agent_spans(text, verb)]
            if rank < OBJECT_HITS and evidence is not None and i is not None:
                for a, b in _sentences(state, i):
                    if _support(evidence, i, (a, b)) >= MIN_SUPPORT:
                        out += [(a + s, a + e, type_, AGENT_FIT) for s, e in subject_of(text[a:b], verb)]
    least = _kinds_asked(q)
    if least and rank < OBJECT_HITS and evidence is not None and i is not None:
        # 'Which kinds of staff ...?': a list of common nouns in a sentence that holds the question
        # ('nurses, social workers and GPs'), read from the parse of the leading passages only.
        type_ = "span" if q.kind == "thing" else types[0]
        fit = KINDS_FIT if q.kind == "thing" else UNTYPED
        agents = _agent_head(q.head or "")
        for a, b in _sentences(state, i):
            if _support(evidence, i, (a, b)) >= MIN_SUPPORT:
                out += [(a + s, a + e, type_, fit * (_agent_share(text[a + s : a + e]) if agents else 1.0))
                        for s, e, _ in kind_lists(text[a:b], least)]
    if "person" in types:
        # A contact's name answers a question about whom to contact as well as a typed name does.
        fit = CONTACT_FIT if _asks_contact(q) else UNTYPED
        out += [(s, e, "person", fit) for s, e in contact_spans(text)]
    return out


_AGENT_END = re.compile(r"(?:ers?|ors?|ists?|ians?|ants?|ents?|ees?|[A-Z]{2,}s?|staff|people|police|bod(?:y|ies)|"
                        r"organi[sz]ations?|councils?|charit(?:y|ies)|compan(?:y|ies)|universit(?:y|ies)|colleges?|"
                        r"agenc(?:y|ies)|authorit(?:y|ies)|associations?|groups?|trusts?|services?|sectors?|government)$")


def _agent_head(head: str) -> bool:
    """True when the question's head noun names people or bodies ('members', 'staff', 'organisations')."""
    return bool(head) and bool(_AGENT_END.search(head.split()[-1]))


def _agent_share(span: str) -> float:
    """0.6 .. 1: how many items of a list name people or bodies ('commissioners and service
    providers'), not activities ('measurement, procurement and evaluation')."""
    items = [w for w in re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", span) if w.strip()]
    heads = [it.split()[-1] for it in items]
    return 0.6 + 0.4 * sum(bool(_AGENT_END.search(h)) for h in heads) / max(len(heads), 1)


KINDS_FIT = 1.6  # a list of kinds, for 'which kinds of N', against a phrase headed by N


def _kinds_asked(q: Question) -> int:
    """How many items a list of kinds needs to answer `q` ('which kinds of staff': 2; 'what kind of
    programmes' or 'which services', a plural head: 3); 0 when `q` does not ask for kinds."""
    if re.search(r"(?i)\b(?:what|which)\s+(?:kinds|sorts|types|forms)\s+of\b", q.text):
        return 2
    plural = bool(q.head) and q.head.endswith("s") and not q.head.endswith(("ss", "us"))
    if plural and (q.kind == "thing" and q.describe or q.kind in ("which", "who")):
        return 3
    return 0


NAMED_SENT = 0.4  # weight of the question's proper names in a number's own sentence
RANK_DECAY = 0.35  # rank weight 1/(1 + RANK_DECAY * rank)
COV_POWER = 2.0  # how much more a fuller sentence counts than a better-ranked passage


def _labels_here(q: Question, state, p) -> list:
    """Label lines in passage `p` whose label names the post the question asks about."""
    from .layout import labels_in

    contact = _asks_contact(q)
    return [lb for lb in labels_in(state, p.doc) if p.start <= lb.value_start and lb.value_end <= p.end
            and (contact or not lb.card)]


_AUTHOR_FORMS = ("author", "written by", "prepared by", "editor", "by")
_AUTHOR_LABEL = re.compile(r"(?i)(?:authors?|written by|prepared by|editor|by)$")  # 'Author: X' for 'who wrote X?'
_CONTACT_Q = re.compile(r"(?i)\b(?:contacts?|get in touch|enquir\w*|inquir\w*|speak to|talk to|write to|reach out|e-?mail)\b")


def _asks_contact(q: Question) -> bool:
    """'Who should I contact about X?', 'Who is the named contact for X?'."""
    return bool(_CONTACT_Q.search(q.text))


def _role_forms(q: Question) -> tuple[str, ...]:
    if q.role:
        words = q.role.split()
        return _ROLE_SYNONYMS.get(q.role) or _ROLE_SYNONYMS.get(words[-1]) or (words[-1],)
    return _ROLE_SYNONYMS["lead"]


def _add_label(q: Question, state, hits, lb, rank: int, p, evidence: _Evidence, cands: dict) -> None:
    """A label line's value, supported by the question's wording in the section the line belongs to
    and ranked as the best retrieved passage of that section."""
    from .layout import doc_text

    text = doc_text(state, p.doc)
    section = text[lb.section_start : lb.section_end]
    # The line and its section together state the answer ('Lead officer: X' under the scheme's
    # heading), but the section's words are near the label, not beside it: they count as a
    # neighbouring sentence's do (_support), so a sentence that states an answer outright is not outranked.
    line = text[lb.line_start : lb.line_end]
    cov = max(SECTION_SHARE * evidence.text_coverage(section + "\n" + line), evidence.text_coverage(line))
    # The section must be about what the question names ("South West", "Northern"), not a sibling.
    about = max(evidence.anchor_share(section), evidence.anchor_share(text[lb.line_start : lb.line_end]))
    asks_post = bool(q.role or q.relation == "leads")
    role_fit = 1.8 if asks_post and any(f in lb.label.lower() for f in _role_forms(q)) else 0.5 if asks_post else 0.8
    if _asks_contact(q) and lb.label.lower().startswith("contact") or q.relation == "authored" and _AUTHOR_LABEL.match(lb.label):
        role_fit = 1.8
    snap = state.snapshot
    ranks = [r for r, h in enumerate(hits) if snap.passages[h.index].doc == p.doc
             and snap.passages[h.index].start < lb.section_end and lb.section_start < snap.passages[h.index].end]
    rank_w = 1.0 / (1.0 + RANK_DECAY * min(ranks + [rank]))
    s, e = lb.value_start - p.start, lb.value_end - p.start
    entity, name = None, lb.value
    for m in state.passage_mentions(p.id):
        if m.start - p.start < e and s < m.end - p.start and m.entity in state.graph \
                and state.graph.nodes[m.entity].get("type") == "person":
            entity, name = m.entity, state.graph.nodes[m.entity].get("name", lb.value)
            break
    if _excluded(q, name, entity):
        return
    score = rank_w * cov ** COV_POWER * _prior(q.answer_types, "person") * role_fit * (0.3 + 0.7 * about)
    ls, le = max(0, lb.line_start - p.start), min(len(p.text), lb.line_end - p.start)
    feats = {"kind": "label", "rank": min(ranks + [rank]), "cov": cov, "prox": 1.0, "prior": _prior(q.answer_types, "person"),
             "label_role": role_fit, "about": about}
    _add(cands, entity or f"person:{phrase_key(name)}", name, "person", entity, score, (rank, s, e, ls, le, cov), feats)


def _local_fit(evidence: _Evidence, i: int, start: int, end: int) -> float:
    """The question's own predicate words ('lead partner', 'funding partner') right beside a
    candidate: the answer usually sits next to the words that ask for it."""
    if not evidence.term_total:
        return 1.0
    starts, stems = _tokens(evidence.state, i)
    lo, hi = bisect_left(starts, start - LOCAL_CHARS), bisect_left(starts, end + LOCAL_CHARS)
    words = set(stems[lo:hi])
    local = sum(v for w, v in evidence.term_weights.items() if w in words) / evidence.term_total
    return 1.0 + LOCAL_WEIGHT * local


LOCAL_CHARS = 45
LOCAL_WEIGHT = 0.6


def _copula_fit(q: Question, text: str, start: int, end: int) -> float:
    """A defining sentence: "X is the lead partner", "our chair is X", "the site is in X" — the
    candidate on one side of 'is', the question's own words on the other."""
    terms = set(q.terms)
    if not terms:
        return 1.0
    after = re.match(r"\s*(?:\([^)]{0,40}\)\s*)?(?:is|was|are|were|has been|have been|will be)\s+((?:[\w’'-]+\s+){0,4})",
                     text[end : end + 80])
    if after and terms & set(content_words(after.group(1))):
        return COPULA
    before = re.search(r"((?:[\w’'-]+\s+){0,4})(?:is|was|are|were|will be)\s+(?:in\s+|at\s+|based in\s+)?$",
                       text[max(0, start - 80) : start])
    if before and terms & set(content_words(before.group(1))):
        return COPULA
    return 1.0


COPULA = 1.7


def _possessive_fit(q: Question, text: str, end: int) -> float:
    """'Whose report ...?': the name written as the owner of that noun ("Halden’s report")."""
    if not q.text.lower().startswith("whose") or not q.head:
        return 1.0
    after = text[end : end + 40]
    m = re.match(r"(?:’s|'s|’|')\s+(?:[\w-]+\s+){0,2}?([\w-]+)", after)
    return 1.6 if m and stem(m.group(1)) == stem(q.head) else 1.0


def _apposition_fit(q: Question, text: str, start: int, end: int) -> float:
    """The question's head noun in apposition to a candidate ("Upstream Collaborative, a learning
    network ..." / "the network Upstream Collaborative") for which-questions."""
    if q.kind != "which" or not q.head:
        return 1.0
    head = stem(q.head)
    after = text[end : end + 60]
    m = re.match(r"\s*(?:[,(–—-]|is|was)\s*(?:a|an|the|one)?\b(.*)", after)
    if m and head in content_words(" ".join(m.group(1).split()[:7])):
        return 1.3
    before = text[max(0, start - 30) : start]
    if head in content_words(" ".join(before.split()[-3:])):
        return 1.2
    return 1.0


def _with_possessive(name: str, type_: str, text: str, end: int) -> str:
    """"Pemberton’s" when the text writes the name with its 's and no noun follows it (a name, not
    an owner): 'awarded to Pemberton’s in November'."""
    if type_ != "organisation" or name.endswith(("’s", "'s")):
        return name
    m = re.match(r"(’s|'s)(?=\s*(?:[,.;:)]|$|\s(?:in|on|at|to|and|for|with|from|by|as|which|who|is|was|has|have)\b))",
                 text[end : end + 12])
    return name + m.group(1) if m else name


RECORD_HITS = 8  # leading passages whose stated results are read as outcome records
RECORD_PASSAGES = 3  # passages not retrieved that hold the subject's recorded results, added to the hits


def _record_candidates(q: Question, state, hits: list, evidence: _Evidence, cands: dict) -> list:
    """For an outcome question (`search.outcomes.outcome_ask`), the figures of the stated results
    around the question's subject as candidates, scored like a figure with the record's named fits:
    how it is tied to the subject (`record_tie`), whether it is the result the question's verb asks
    for (`record_verb`), whether it states a change (`record_change`). Returns the hits, with the
    passages of the subject's recorded results that retrieval missed appended."""
    from .outcomes import (CHANGE_FIT, INPUT_FIT, TIE_FIT, TIE_VALUE, VERB_CLASH, VERB_MATCH, figure_span, is_change,
                           is_input, result_span, outcome_ask, passage_at, quantity_at, records_in, records_of, verb_fit)

    ask = outcome_ask(q)
    if ask is None or not hits:
        return hits
    from .retrieve import Hit

    graph = state.graph
    snap = state.snapshot
    subject = tuple(e for e in q.entities if e in graph and graph.nodes[e].get("type") in ("programme", "organisation"))
    subject = subject or q.entities
    # The question's own wording, without the names it gives ('... mental health fund' asks for no money).
    asked = q.text
    for n in q.named:
        asked = asked.replace(n, " ")
    docs = {d for e in subject if e in graph for d in graph.nodes[e].get("docs") or ()}
    ranks = list(range(min(len(hits), RECORD_HITS)))

    have = {h.index: r for r, h in enumerate(hits)}
    hits = list(hits)
    added = 0
    for rec in sorted(records_of(state, subject), key=lambda x: (x.get("doc") or "", x.get("start") or 0)):
        at = quantity_at(rec)
        j = passage_at(state, rec.get("doc"), at) if at is not None else None
        if j is None:
            continue
        if j not in have:
            if added >= RECORD_PASSAGES:
                continue
            added += 1
            have[j] = len(hits)
            hits.append(Hit(j, hits[-1].score))
        if have[j] not in ranks:
            ranks.append(have[j])
    for rank in ranks:
        i = hits[rank].index
        p = snap.passages[i]
        text = p.text
        rank_w = 1.0 / (1.0 + RANK_DECAY * rank)
        positions = evidence.positions(i)
        mentions = state.passage_mentions(p.id)
        for r in records_in(state, i, _sentences(state, i)):
            a, b = r.sent
            tie = _record_tie(q, evidence, r, subject, mentions, p, text)
            if tie == "passage" and p.doc in docs:
                tie = "document"
            sentence = text[a:b]
            s, e = (result_span(sentence, r.start - a, r.end - a) if ask == "results"
                    else figure_span(sentence, r.start - a, r.end - a, counted=False))
            s, e = s + a, e + a
            name = " ".join(text[s:e].split())
            if not name or _excluded(q, name, None):
                continue
            if q.kind == "quantity" and ask != "results" and _quantity_fit(q, text, s, e) <= 0:
                continue  # a sum for 'how many ...?', a count for 'how much funding ...?'
            cov = _support(evidence, i, (a, b))
            if tie != "passage":
                cov = max(cov, evidence.coverage_naming(i, a, b))
            prox = _proximity(s, e, positions)
            verb_fit_value = verb_fit(asked, r.fields)
            fit_verb = VERB_CLASH + (VERB_MATCH - VERB_CLASH) * verb_fit_value
            change = is_change(sentence, r.start - a, r.end - a, r.fields)
            spent = is_input(sentence, r.start - a, r.fields)
            fit = TIE_FIT[tie] * fit_verb
            if ask == "results":
                fit *= (CHANGE_FIT if change else 1.0) * (INPUT_FIT if spent else 1.0)
            # What changed, as the record reads it, against the question's words ('on waiting times').
            metric = _term_share(evidence, (r.fields.get("metric") or "") + " " + name)
            local = _local_fit(evidence, i, s, e) + LOCAL_WEIGHT * metric
            feats = {"kind": "record", "rank": rank, "cov": cov, "prox": prox, "prior": 1.0, "reader": fit, "local": local,
                     "record_tie": TIE_VALUE[tie], "record_verb": verb_fit_value, "record_change": float(change),
                     "record_stored": float(r.stored), "record_input": float(spent), "record_metric": metric}
            score = rank_w * cov ** COV_POWER * (0.6 + 0.4 * prox) * fit * local
            key = f"outcome:{phrase_key(name)}"
            _add(cands, key, name, "outcome", None, score, (rank, s, e, a, b, cov), feats)
            cands[key].records.append((score, r, tie))
    return hits


def _record_tie(q: Question, evidence: _Evidence, r, subject: tuple[str, ...], mentions, p, text: str) -> str:
    """How a record is tied to the question's subject: 'edge' (it achieved it, by the graph),
    'sentence' (the sentence names it), 'before' (the sentence before does), else 'passage'."""
    if set(r.achieved_by) & set(subject):
        return "edge"
    a, b = r.sent
    before = max(0, a - RECORD_BEFORE)
    named = [m.start - p.start for m in mentions if m.entity in subject]
    if any(a <= s < b for s in named):
        return "sentence"
    if evidence.anchors and evidence.anchor_share(text[a:b]) >= 0.5:
        return "sentence"
    if any(before <= s < a for s in named) or (evidence.anchors and evidence.anchor_share(text[before:a]) >= 0.5):
        return "before"
    return "passage"


def _term_share(evidence: _Evidence, text: str) -> float:
    """Share of the question's own (non-name) wording in `text`."""
    if not evidence.term_total:
        return 0.0
    words = set(content_words(text))
    return sum(v for w, v in evidence.term_weights.items() if w in words) / evidence.term_total


RECORD_BEFORE = 300  # characters before a result's sentence in which naming the subject ties the result to it


def _graph_candidates(q: Question, state, hits, cands: dict) -> None:
    """Typed relations of the named entities: an edge whose relation (or role) is the one asked
    about adds to its other end, supported by the retrieved passage that holds its sentence."""
    if not q.entities or q.kind in ("quantity", "when", "span", "role", "thing"):
        return
    graph = state.graph
    snap = state.snapshot
    for ent in q.entities:
        if ent not in graph:
            continue
        for u, v, data in list(graph.in_edges(ent, data=True)) + list(graph.out_edges(ent, data=True)):
            rel = data.get("relation")
            if rel == "mentioned_with":
                continue
            other = u if v == ent else v
            if other in q.entities or other not in graph:
                continue
            otype = graph.nodes[other].get("type")
            if otype == "organisation" and _person_of(graph.nodes[other].get("name", "")):
                continue
            prior = _prior(q.answer_types, otype)
            if prior <= 0:
                continue
            rel_fit = 1.0 if rel == q.relation else 0.5
            role_fit = 1.0
            if q.role and data.get("role"):
                role = data["role"].lower()
                forms = _ROLE_SYNONYMS.get(q.role, (q.role.split()[-1],))
                role_fit = 1.6 if any(f in role for f in forms) else 0.7
            # The edge's sentence must be inside a retrieved passage to count as support.
            for p in (snap.passages[hit.index] for hit in hits):
                if p.doc == data.get("doc") and p.start <= data.get("start", -1) < p.end:
                    c = cands.get(other)
                    if c is not None:
                        c.scores.append(0.35 * c.best[0] * rel_fit * role_fit * prior)
                        c.graph.append((rel_fit, role_fit))
                    break


def _most_specific(ranked: list[_Cand]) -> list[_Cand]:
    """A post and a fuller statement of it ('Deputy Director' / 'Deputy Director for Digital'): the
    fuller one takes the place of the shorter when it ranks below it, since both are about the
    asked person and one says more."""
    out = list(ranked)
    for i, short in enumerate(ranked[:3]):
        key = phrase_key(short.name)
        longer = next((c for c in ranked[i + 1 : 5] if phrase_key(c.name).startswith(key + " ")
                       and len(c.name.split()) <= len(short.name.split()) + 3), None)
        if longer is not None and longer in out and short in out:
            longer.score = max(longer.score, short.score)
            out.remove(longer)
            out.insert(out.index(short), longer)
    return out


def _distinct(ranked: list[_Cand]) -> list[_Cand]:
    """One entry per name and type, the best ranked: a name read off the text ('Jo Bloggs' after
    'contact') and the extracted entity of that name are one answer, not two of the five."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in ranked:
        if (c.type, phrase_key(c.name)) not in seen:
            seen.add((c.type, phrase_key(c.name)))
            out.append(c)
    return out


_NOT_GIVEN = frozenset({"st", "st.", "saint"})  # 'St Aldric Ambulance', 'St Albans': bodies and places
_TITLES = frozenset("dr dr. sir dame cllr cllr. professor prof prof. mr mr. mrs mrs. ms ms. miss lord lady".split())


def _person_like(c: _Cand, state, hits) -> bool:
    """A person candidate that reads as a person where it stands: not a post's words ('Circular
    Economy [Manager]', 'Head of [Housing Support]'), and name-shaped unless the graph holds a typed
    relation in which it acts as a person."""
    rank, s, e = c.best[1:4]
    text = state.snapshot.passages[hits[rank].index].text
    if any(w.lower() in _ROLE_HEADS for w in c.name.split()) or _TITLE_NEXT.match(text, e) \
            or _TITLE_BEFORE.search(text[max(0, s - 40) : s]):
        return False
    graph = state.graph
    if c.entity and c.entity in graph and any(
            d.get("relation") not in (None, "mentioned_with") for _, _, d in graph.out_edges(c.entity, data=True)):
        return True
    return _name_shaped(c.name, state)


def _name_shaped(name: str, state) -> bool:
    """A person's name, not capitalised common words ('Libraries Change Lives'): no word before the
    family name is one the corpus mostly writes in lower case, and no saint's 'St' leads it."""
    words = [w for w in name.split() if w.lower() not in _TITLES]
    if len(words) < 2:
        return True
    if words[0].lower() in _NOT_GIVEN:
        return False
    case = word_case(state)
    for w in words[:-1]:
        low, cap = case.get(w.lower(), (0, 0))
        if len(w) > 2 and low >= 2 and low > cap:
            return False
    return True


def _finish(cands: dict) -> list[_Cand]:
    for c in cands.values():
        ordered = sorted(c.scores, reverse=True)
        # The best supporting sentence counts most; repetition helps a little.
        c.score = c.hand = ordered[0] + 0.25 * sum(ordered[1:4])
    return sorted(cands.values(), key=lambda c: (-c.score, c.best[1], c.name))


# -- the answer -------------------------------------------------------------------------------


def _passages(q: Question, state, vectors, evidence: _Evidence, *, k: int, mode: str) -> list:
    """The passages an answer reads: one retriever for the baselines; fusion, then the sentence
    rerank, for hybrid."""
    if mode != "hybrid":
        return retrieve(state, vectors, q.text, k=k, mode=mode, question=q)
    hits = retrieve(state, vectors, q.text, k=max(k, RERANK_POOL), mode=mode, question=q)
    return _rerank(state, hits, evidence)[:k]


def passages(question: str, state, vectors, *, k: int = POOL, mode: str = "hybrid") -> list:
    """The ranked passages (retrieve.Hit) that `answer` reads for `question` in `mode`, best first."""
    q = parse(question.strip(), state)
    if not q.text or not state.snapshot.passages:
        return []
    return _passages(q, state, vectors, _Evidence(q, _idf(state), state), k=k, mode=mode)


def candidate_pool(question: str, state, vectors, *, k: int = 5, mode: str = "hybrid"):
    """(parsed question, retrieved hits, supported candidates) before scoring: what the scorer ranks
    and what `train/answers.py` reads features from."""
    q = parse(question, state)
    if not question or not state.snapshot.passages:
        return q, [], []
    evidence = _Evidence(q, _idf(state), state)
    hits = _passages(q, state, vectors, evidence, k=max(k, POOL), mode=mode)
    hits = _with_label_passages(q, state, hits)
    cands = _gather(q, state, hits, evidence)
    hits = _record_candidates(q, state, hits, evidence, cands)
    _graph_candidates(q, state, hits, cands)
    pool = [c for c in cands.values() if c.best and _supported(c, evidence, state, hits, q.entities)
            and (c.type != "person" or _person_like(c, state, hits))]
    return q, hits, pool


def pool_features(q: Question, pool: list[_Cand]) -> list[dict[str, float]]:
    """The scorer's named features of each candidate in `pool`, its standing among them included."""
    from .scorer import features, question_features

    _finish({c.key: c for c in pool})  # the hand formula's score is one feature among the others
    xs = [features(c, q) for c in pool]
    question_features(xs)
    return xs


def _score(q: Question, pool: list[_Cand], scorer) -> list[_Cand]:
    """Rank the pool. Without a model: the hand formula (best sentence plus a quarter of the next
    three). With one, every candidate gets the learned probability (`prob`, what the confidence
    reads); the ranking is the learned one when the model's `rank` is "learned", else the hand one."""
    if scorer is None:
        return _finish({c.key: c for c in pool})
    xs = pool_features(q, pool)
    for c, x in zip(pool, xs):
        c.prob = scorer.probability(x)
        if scorer.rank == "learned":
            c.score = c.prob
    return sorted(pool, key=lambda c: (-c.score, c.best[1], c.name))


def answer(question: str, state, vectors, *, k: int = 5, mode: str = "hybrid", scorer="default") -> Answer:
    """Answer `question` from `state`; `answer` is None when no candidate is supported, or when the
    learned scorer's calibrated confidence is under its threshold (candidates and sources kept).
    `scorer`: "default" (the installed model, else the hand formula), None (the hand formula) or a Scorer."""
    from .scorer import load_scorer

    question = question.strip()
    scorer = load_scorer() if scorer == "default" else scorer
    q, hits, pool = candidate_pool(question, state, vectors, k=k, mode=mode)
    return answer_from(question, q, hits, pool, state, k=k, scorer=scorer)


def answer_from(question: str, q: Question, hits: list, pool: list[_Cand], state, *, k: int = 5, scorer=None) -> Answer:
    """The Answer record for a candidate pool (`candidate_pool`), ranked by `scorer` (None: the hand formula)."""
    if not hits:
        return Answer(question=question, answer=None, answer_type=q.answer_type)
    ranked = _distinct(_score(q, pool, scorer))
    if q.kind == "role":
        ranked = _most_specific(ranked)
    chosen = _choose(q, ranked)
    total = sum(c.score for c in ranked[:10]) or 1.0
    candidates = tuple(Candidate(name=c.name, type=c.type, score=round(c.score / total, 4), entity=c.entity)
                       for c in ranked[:10])
    sources, source_of = _sources(state, hits, ranked[:10], k)
    text = None
    if chosen:
        names = [c.name for c in chosen]
        text = names[0] if len(names) == 1 else (_as_written(chosen, state, hits)
                                                 or ", ".join(names[:-1]) + " and " + names[-1])
        if len(chosen) > 1:
            sources = _mark_list(sources, chosen)
    facts = tuple(_fact(q, c, state, hits, source_of.get(c.key)) for c in chosen)
    if chosen and chosen[0].records:
        facts = _record_facts(q, chosen[0], ranked, state, hits, source_of)
    confidence = None
    if scorer is not None:
        confidence = round(scorer.confidence(ranked[0].prob), 4) if chosen else 0.0
        if chosen and confidence < scorer.threshold:
            # Withheld, not asserted: the reader still sees what was found and where.
            text, facts = None, ()
    return Answer(question=question, answer=text, answer_type=q.answer_type, candidates=candidates if chosen else (),
                  facts=facts, sources=tuple(sources), confidence=confidence)


RERANK_POOL = 30  # fused passages the sentence rerank reads
RERANK_WEIGHT = 1.0  # weight of the best sentence's coverage against the fused score (scaled to 1)


def _rerank(state, hits: list, evidence: _Evidence) -> list:
    """Hybrid's last step: reorder the fused pool by fused score (scaled to the best) plus the share
    of the question's IDF-weighted words in the passage's best sentence. Fusion finds passages on
    the topic; the sentence test finds the one that states the answer. Measured on the dev set
    (gold sentence among the retrieved passages): RRF alone evidence@1 0.66, MRR 0.76; with this
    rerank 0.81, 0.85 (BM25 alone 0.72, 0.81)."""
    import dataclasses

    if not hits:
        return hits
    top = hits[0].score or 1.0
    scored = []
    for r, h in enumerate(hits):
        best = max((evidence.coverage(h.index, a, b) for a, b in _sentences(state, h.index)), default=0.0)
        scored.append((h.score / top + RERANK_WEIGHT * best, r, h))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [dataclasses.replace(h, score=round(sc, 6)) for sc, _, h in scored]


def _with_label_passages(q: Question, state, hits: list) -> list:
    """Add the passage holding a label line whose section is among the leading hits: a card's
    footer ("Group Lead ...") often falls into the next passage."""
    if "person" not in q.answer_types or not (q.role or q.relation in ("leads", "authored") or _asks_contact(q)) or not hits:
        return hits
    from .layout import labels_in
    from .retrieve import Hit

    snap = state.snapshot
    have = {h.index for h in hits}
    extra = []
    forms = _role_forms(q) + (("contact",) if _asks_contact(q) else ()) + (_AUTHOR_FORMS if q.relation == "authored" else ())
    for h in hits[:LABEL_HITS]:
        p = snap.passages[h.index]
        for lb in labels_in(state, p.doc):
            if lb.section_start < p.end and p.start < lb.section_end and any(f in lb.label.lower() for f in forms):
                for j in (h.index - 1, h.index + 1):
                    if 0 <= j < len(snap.passages) and j not in have and snap.passages[j].doc == p.doc \
                            and snap.passages[j].start <= lb.value_start < snap.passages[j].end:
                        have.add(j)
                        extra.append(Hit(j, hits[-1].score))
    return hits + extra


LABEL_HITS = 6
SECTION_SHARE = 0.8  # weight of a label's section wording against its own line's


def _supported(c: _Cand, evidence: _Evidence, state, hits, q_entities: tuple[str, ...] = ()) -> bool:
    """The best sentence holds enough of the question's wording (MIN_SUPPORT of its IDF weight)."""
    rank, s, e, ss, se, cov = c.best[1:7]
    i = hits[rank].index
    # An outcome record the subject achieved (its edge, or its name in the sentence) is anchored by that.
    tied = any(f.get("record_tie", 0.0) >= 1.0 for f in c.feats)
    return cov >= MIN_SUPPORT and (tied or evidence.anchored(i, q_entities))


def _support(evidence: _Evidence, i: int, sent: tuple[int, int]) -> float:
    """Question wording around a candidate: its sentence, then (discounted) the sentences beside it
    and the whole passage, since reports often name the subject once and then say 'the council'."""
    return max(evidence.coverage(i, *sent), 0.8 * evidence.coverage(i, sent[0] - 120, sent[1] + 60),
               0.6 * evidence.coverage(i, 0, 1 << 30), REFER_SHARE * evidence.coverage_referring(i, *sent))


def _choose(q: Question, ranked: list[_Cand]) -> list[_Cand]:
    """The answer: the best candidate, or for list questions those as good, from the same sentence."""
    if not ranked:
        return []
    best = ranked[0]
    if not q.wants_list:
        return [best]
    out = [best]
    for c in ranked[1:6]:
        # List membership keeps the hand formula's ratio: the learned probability picks the best one.
        if c.hand >= 0.5 * best.hand and c.best[1] == best.best[1] and c.best[4] == best.best[4] and c.type == best.type:
            out.append(c)
    return out


_GROUP_AFTER = re.compile(r"\s+(?:staff|teams?|employees|workers|colleagues|officers|personnel|advisers|advisors)\b")
_LIST_GAP = re.compile(r"(?:\s|,|;|\band\b|&|\bor\b|\bof\b|\bthe\b|\([^()]{1,40}\))*")


def _as_written(chosen: list[_Cand], state, hits) -> str | None:
    """A list answer as the sentence writes it, when its items stand together in one sentence
    joined only by commas, 'and', 'of' or a bracketed acronym: 'A, B (BB) and C'."""
    where = {(c.best[1], c.best[4]) for c in chosen}
    if len(where) != 1:
        return None
    rank = chosen[0].best[1]
    text = state.snapshot.passages[hits[rank].index].text
    spans = sorted((c.best[2], c.best[3]) for c in chosen)
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        if s2 < e1 or not _LIST_GAP.fullmatch(text[e1:s2]):
            return None
    written = " ".join(text[spans[0][0] : spans[-1][1]].split())
    return written if len(written) <= 300 else None


ANSWER_SOURCES = 2  # passages of the answer cited before the runners-up
ALSO_CITE = 0.3  # ... when their support is at least this share of the best one


def _sources(state, hits, ranked: list[_Cand], k: int) -> tuple[list[Source], dict]:
    """Passages that support the leading candidates first, then the rest by retrieval rank."""
    snap = state.snapshot
    order: list[int] = []
    spans: dict[int, tuple[int, int]] = {}
    # The answer's best passage, then its other well-supported passages (a report often states the
    # answer twice, and the plainer statement may be the second), then the runners-up.
    lead = []
    if ranked:
        best = ranked[0]
        lead = [inst for inst in sorted(best.instances, key=lambda x: -x[0]) if inst[0] >= ALSO_CITE * best.best[0]]
        lead = lead[:ANSWER_SOURCES]
    for inst in lead + [c.best for c in ranked[1:3]]:
        rank = inst[1]
        if rank not in order:
            order.append(rank)
            spans[rank] = (inst[2], inst[3])
    order += [r for r in range(len(hits)) if r not in order]
    # Scores in rank order: a passage placed above better-scoring ones because it supports the
    # answer is shown with the best score it outranks, so the list never reads out of order.
    shown = [hits[r].score for r in order[:k]]
    for i in range(len(shown) - 2, -1, -1):
        shown[i] = max(shown[i], shown[i + 1])
    sources = []
    source_of: dict[str, int] = {}
    for r, score in zip(order[:k], shown):
        p = snap.passages[hits[r].index]
        a = spans.get(r, (None, None))
        sources.append(Source(doc=p.doc, title=snap.titles.get(p.doc, p.doc), page=p.page, passage=p.text,
                              start=p.start, end=p.end, score=round(score, 4),
                              answer_start=a[0], answer_end=a[1]))
    for c in ranked:
        if c.best[1] in order[:k]:
            source_of[c.key] = order.index(c.best[1])
    return sources, source_of


def _mark_list(sources: list[Source], chosen: list[_Cand]) -> list[Source]:
    """For a list answer, the first source's answer span covers all the items it holds."""
    import dataclasses

    first = sources[0]
    spans = [(c.best[2], c.best[3]) for c in chosen if first.answer_start is not None and c.best[1] == chosen[0].best[1]]
    if not spans:
        return sources
    return [dataclasses.replace(first, answer_start=min(s for s, _ in spans), answer_end=max(e for _, e in spans))] + sources[1:]


_DID = {"leads": "leads", "works_for": "works for", "authored": "wrote", "set_up": "set up", "funds": "funds",
        "commissions": "commissions", "partners_with": "partners with", "achieved": "achieved",
        "located_in": "is located in", "runs": "runs"}


def _fact(q: Question, c: _Cand, state, hits, source: int | None) -> Fact:
    """Who did what, where: from a typed graph edge between the answer and an entity the question
    names when there is one, else the answer in the slot the question asks about."""
    edge = _edge_between(q, c, state)
    where = _place_near(c, state, hits)
    if edge is not None:
        u, v, data = edge
        if data.get("relation") == "partners_with" and v == c.entity:
            u, v = v, u  # a partnership reads both ways: the answer is the one who partnered
        nodes = state.graph.nodes
        did = _DID.get(data.get("relation", ""), data.get("relation", ""))
        if data.get("role"):
            did = f"is {data['role']} of" if data.get("relation") in ("works_for", "leads") else did
        return Fact(who=nodes[u].get("name", u), did=did, what=nodes[v].get("name", v), where=where, source=source)
    verb, obj = _question_parts(q)
    subject = q.named[0] if q.named else obj
    did = (f"is {q.role} of" if q.role else "") or _DID.get(q.relation or "", "") or verb
    if q.kind == "where":
        return Fact(who=subject, did="is located in", what=subject, where=c.name, source=source)
    if c.type in ("person", "organisation") and q.kind in ("who", "which"):
        return Fact(who=c.name, did=did, what=subject, where=where, source=source)
    return Fact(who=subject, did=did, what=c.name, where=where, source=source)


RECORD_FACTS = 10  # results listed as facts for 'what did X achieve?'


def _record_facts(q: Question, chosen: _Cand, ranked: list[_Cand], state, hits, source_of: dict) -> tuple[Fact, ...]:
    """The answer's outcome record as a fact; for 'what did X achieve?' every result tied to X, the
    best first: who achieved what (the figure), where, and the record's fields and offsets."""
    from .outcomes import outcome_ask

    if outcome_ask(q) == "results":
        # X's results: those the graph or the text around them gives to X (not only its document's).
        listed = [c for c in ranked if c.records and (c is chosen or max(c.records, key=lambda x: x[0])[2] in _OWN)]
    else:
        listed = [chosen]
    return tuple(_record_fact(q, c, state, hits, source_of.get(c.key)) for c in listed[:RECORD_FACTS])


_OWN = ("edge", "sentence", "before")


def _record_fact(q: Question, c: _Cand, state, hits, source: int | None) -> Fact:
    """The fact of candidate `c`'s best outcome record, with the record (`Fact.outcome`)."""
    _, r, tie = max(c.records, key=lambda x: x[0])
    graph, snap = state.graph, state.snapshot
    p = snap.passages[r.index]
    name = lambda n: graph.nodes[n].get("name", n) if n in graph else n  # noqa: E731
    by = [n for n in r.achieved_by if n in q.entities] or list(r.achieved_by)
    # who achieved it: the graph's achiever, else (for a result tied to the subject) the question's subject
    who = name(by[0]) if by else ((q.named[0] if q.named else q.subject) if tie != "passage" else "")
    where = name(r.place) if r.place else None
    if where is None:
        a, b = r.sent
        where = next((name(m.entity) if m.entity in graph else m.text for m in state.passage_mentions(p.id)
                      if m.type == "place" and a <= m.start - p.start < b), None)
    s, e = next(((inst[2], inst[3]) for inst in sorted(c.instances, key=lambda x: -x[0])
                 if hits[inst[1]].index == r.index), (r.start, r.end))
    outcome = dict(r.fields, doc=p.doc, sentence=" ".join(p.text[r.sent[0] : r.sent[1]].split()),
                   start=p.start + r.sent[0], end=p.start + r.sent[1], figure_start=p.start + s, figure_end=p.start + e,
                   achieved_by=[name(n) for n in r.achieved_by])
    return Fact(who=who, did="achieved", what=c.name, where=where, source=source, outcome=outcome)


def _edge_between(q: Question, c: _Cand, state):
    """The typed edge (u, v, data) joining the answer to a named entity, preferring the asked relation."""
    graph = state.graph
    if not c.entity or c.entity not in graph:
        return None
    found = []
    for ent in q.entities:
        if ent not in graph:
            continue
        for u, v in ((c.entity, ent), (ent, c.entity)):
            for data in (graph.get_edge_data(u, v) or {}).values():
                if data.get("relation") not in (None, "mentioned_with"):
                    found.append((data.get("relation") != q.relation, u, v, data))
    if not found:
        return None
    found.sort(key=lambda f: f[0])
    return found[0][1:]


_AUX = r"(?:is|was|are|were|did|does|do|has|have|had|will|would|can|could)"


def _question_parts(q: Question) -> tuple[str, str]:
    """(verb, object) as the question words them: 'Who leads the South West group?' -> ('leads',
    'South West group'); empty strings when the question has no such shape."""
    text = q.text.rstrip("?. ")
    w = re.match(r"(?i)where\s+(?:is|was|are|were)\s+(?:the\s+)?(.+)$", text)
    if w:
        return "is located in", w.group(1)
    m = re.match(rf"(?i)(?:who|whom|which\s+[\w-]+|what\s+[\w-]+|whose\s+[\w-]+)\s+(?:{_AUX}\s+)?"
                 r"(?:[\w-]+\s+)??([a-z][\w-]*(?:\s+(?:with|for|by|in|on|to|at|from))?)\s+(?:the\s+)?(.+)$", text)
    if not m:
        return "", ""
    verb, obj = m.group(1), m.group(2)
    if q.role:  # "Who is the chief executive of Storyhouse?": the object is Storyhouse
        obj = re.sub(rf"(?i)^(?:[\w-]+\s+)*?{re.escape(q.role)}\s+(?:of|at|for|in)\s+(?:the\s+)?", "", obj)
    return (verb if verb.lower() not in _STOPWORDS else ""), obj


def _place_near(c: _Cand, state, hits) -> str | None:
    """A place mentioned in the candidate's supporting sentence, if any."""
    rank, _, _, ss, se = c.best[1:6]
    p = state.snapshot.passages[hits[rank].index]
    for m in state.passage_mentions(p.id):
        if m.type == "place" and ss <= m.start - p.start < se and m.entity != c.entity:
            node = state.graph.nodes.get(m.entity, {}) if m.entity in state.graph else {}
            return node.get("name", m.text)
    return None
