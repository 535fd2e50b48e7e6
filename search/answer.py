"""Answers built, not generated: parse the question, retrieve, score typed candidates, cite sources.

Candidates come from three places, all scored by the same evidence test (how much of the
question's wording surrounds them, how high their passage ranks, how close they sit to the
question's words and entities):
- entity mentions of the expected type in the retrieved passages;
- typed graph edges touching the entities the question names (role and relation matches count);
- spans the extractor does not type: amounts and counts, dates, quoted names, and for "what does
  X do?" questions the clause that follows the question's own verb phrase in the best sentence.
When no candidate is supported well enough, `answer` is None and `candidates` is empty.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ingest.records import Answer, Candidate, Fact, Source

from .question import _STOP as _STOPWORDS
from .question import Question, content_words, name_key, parse, stem
from .retrieve import retrieve

__all__ = ["answer", "naive_answer", "expected_type", "MIN_SUPPORT"]

# A candidate needs this share of the question's (IDF-weighted) wording around it; below it the
# corpus does not say the answer and we return None rather than a guess.
MIN_SUPPORT = 0.34
POOL = 12  # passages read per question

_MONEY = re.compile(r"£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:million|billion|bn|m|k|thousand)\b)?", re.I)
_NUMBER = re.compile(r"(?<![\w£.,/])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:million|billion|thousand|per ?cent|%))?(?![\w/]|[.,]\d)", re.I)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTHS}\.?\s+\d{{4}}\b|\b(?:19|20)\d\d\b")
_QUOTED = re.compile(r"[‘“\"']([A-Z][^‘’“”\"\n]{1,60}?)[’”\"'](?!\w)")
_NUMBER_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
                 "thirty", "forty", "fifty", "hundred", "dozen"}

# Role words that mean the same post.
_ROLE_SYNONYMS = {
    "chief executive": ("chief executive", "ceo", "chief exec"),
    "ceo": ("chief executive", "ceo"),
    "chair": ("chair", "chairman", "chairwoman", "chairperson", "chairs", "chaired"),
    "lead": ("lead", "leader", "led by", "leads", "head", "group lead"),
    "leader": ("leader", "lead", "led by", "leads"),
    "head": ("head", "lead", "leads", "led by"),
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


def expected_type(question: str) -> str:
    """The answer type a question asks for (person, organisation, place, programme, outcome, date, span)."""
    return parse(question).answer_type


@dataclass
class _Cand:
    key: str
    name: str
    type: str
    entity: str | None = None
    score: float = 0.0
    scores: list = field(default_factory=list)
    best: tuple = ()  # (score, hit rank, start in passage, end in passage, sentence start, sentence end)


# -- evidence scoring ---------------------------------------------------------------------------


def _idf(state) -> dict[str, float]:
    from .cache import state_cache

    cache = state_cache(state)
    if not cache.idf:
        df: dict[str, int] = {}
        for i in range(len(state.snapshot.passages)):
            for w in set(_tokens(state, i)[1]):
                df[w] = df.get(w, 0) + 1
        n = max(len(state.snapshot.passages), 1)
        idf = {w: math.log(1 + n / c) for w, c in df.items()}
        idf["__n__"] = math.log(1 + n)  # the weight of a word the corpus never uses
        cache.idf.update(idf)
    return cache.idf


_WORD = re.compile(r"[A-Za-z0-9£][\w'’&£-]*")


def _tokens(state, i: int) -> tuple[list[int], list[str]]:
    """(start offsets, stems) of the content words of passage `i`, computed once per state."""
    from .cache import state_cache

    cache = state_cache(state)
    got = cache.tokens.get(i)
    if got is None:
        text = state.snapshot.passages[i].text
        starts, stems = [], []
        for m in _WORD.finditer(text):
            w = m.group(0).lower().replace("’", "'")
            if w in _STOPWORDS and not w.isdigit():
                continue
            starts.append(m.start())
            stems.append(stem(w))
        got = cache.tokens[i] = (starts, stems)
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
        for w in q.terms:
            self.weights[w] = max(self.weights.get(w, 0.0), idf.get(w, unknown))
        # The named entities count as words too (matched by their surface words).
        for name in q.named:
            for w in content_words(name):
                self.weights[w] = max(self.weights.get(w, 0.0), idf.get(w, unknown))
        self.total = sum(self.weights.values()) or 1.0
        self.anchors = {w: idf.get(w, unknown) for w in q.anchors}

    def anchored(self, i: int, entities: tuple[str, ...] = ()) -> bool:
        """Most of the question's proper-name weight occurs in passage `i` or the one before it in
        the same document, or the passage mentions an entity the question names (by any alias):
        a question about a body the corpus never mentions gets no answer."""
        if not self.anchors:
            return True
        snap = self.state.snapshot
        if entities and any(m.entity in entities for m in self.state.passage_mentions(snap.passages[i].id)):
            return True
        words = set(_tokens(self.state, i)[1])
        if i > 0 and snap.passages[i - 1].doc == snap.passages[i].doc:
            words |= set(_tokens(self.state, i - 1)[1])
        have = sum(v for w, v in self.anchors.items() if w in words)
        return have >= 0.5 * sum(self.anchors.values())

    def coverage(self, i: int, start: int, end: int) -> float:
        """Share of the question's weight found in passage `i` between `start` and `end`."""
        starts, stems = _tokens(self.state, i)
        lo, hi = bisect_left(starts, start), bisect_left(starts, end)
        words = set(stems[lo:hi])
        return sum(v for w, v in self.weights.items() if w in words) / self.total

    def positions(self, i: int) -> list[int]:
        """Offsets of question words in passage `i` (for proximity)."""
        starts, stems = _tokens(self.state, i)
        return [s for s, w in zip(starts, stems) if w in self.weights]


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
    key = name_key(name)
    if not key:
        return True
    qkey = " " + name_key(q.text) + " "
    return f" {key} " in qkey


def _role_near(q: Question, text: str, start: int, end: int) -> float:
    """1 when a word for the question's role sits next to the candidate (within ~60 characters)."""
    if not q.role:
        return 0.0
    words = q.role.split()
    head = words[-1] if words[-1] not in ("officer",) else q.role
    forms = _ROLE_SYNONYMS.get(q.role) or _ROLE_SYNONYMS.get(head) or (head,)
    window = text[max(0, start - 60) : min(len(text), end + 80)].lower()
    window = re.sub(r"\s+", " ", window)
    return 1.0 if any(re.search(rf"\b{re.escape(f)}\b", window) for f in forms) else 0.0


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


def _add(cands: dict, key: str, name: str, type_: str, entity: str | None, score: float, where: tuple) -> None:
    c = cands.get(key)
    if c is None:
        c = cands[key] = _Cand(key=key, name=name, type=type_, entity=entity)
    c.scores.append(score)
    if not c.best or score > c.best[0]:
        c.best = (score,) + where


def _span_candidates(q: Question, text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of untyped answer spans in `text`: amounts, dates, quoted names."""
    out = []
    if q.kind == "quantity":
        qnums = set(re.findall(r"\d[\d,]*", q.text))
        for m in _MONEY.finditer(text):
            out.append((m.start(), m.end(), "outcome"))
        for m in _NUMBER.finditer(text):
            num = m.group(0)
            if re.fullmatch(r"(?:19|20)\d\d", num) or num.replace(",", "") in {n.replace(",", "") for n in qnums}:
                continue
            if any(s <= m.start() < e for s, e, _ in out):
                continue
            out.append((m.start(), m.end(), "outcome"))
    elif q.kind == "when":
        for m in _DATE.finditer(text):
            if m.group(0) not in q.text:
                out.append((m.start(), m.end(), "date"))
    if "programme" in q.answer_types:
        for m in _QUOTED.finditer(text):
            out.append((m.start(1), m.end(1), "programme"))
    return out


def _quantity_fit(q: Question, text: str, start: int, end: int) -> float:
    """Money for 'how much', and a count whose following noun is the question's noun for 'how many'."""
    span = text[start:end]
    low = q.text.lower()
    if "how much" in low or re.search(r"value|cost|amount|budget|sum|sav", low):
        return 1.3 if "£" in span or re.search(r"million|billion", span, re.I) else 0.6
    after = content_words(text[end : end + 30])[:2]
    if after and after[0] in q.terms:
        return 1.3
    return 0.8 if "£" in span else 1.0


_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PERSON_SHAPE = re.compile(rf"(?<![\w’'])(?:(?:Dr|Sir|Dame|Cllr|Professor|Prof)\.? )?({_NAME_WORD} (?:[A-Z]\. )?{_NAME_WORD}(?: {_NAME_WORD})?)(?![\w’'])")
_CAMEL_ORG = re.compile(r"(?<![\w’'])([A-Z][a-z]+[A-Z][A-Za-z]+)(?![\w’'])")


def _name_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Person- and organisation-shaped names the extractor did not mark: 'Anne Davies' (two or three
    capitalised words, none of them a heading, place or organisation word), 'RedQuadrant'."""
    from ingest.patterns import ORG_SUFFIX, PROGRAMME_SUFFIX, REGIONS

    out = []
    for m in _PERSON_SHAPE.finditer(text):
        s, e = m.span(1)
        if any(a < e and s < b for a, b in taken):
            continue
        words = m.group(1).split()
        low = [w.lower() for w in words]
        if any(w in ORG_SUFFIX or w in PROGRAMME_SUFFIX or w in _NOT_NAME for w in low):
            continue
        if m.group(1).lower() in REGIONS or any(w in REGIONS for w in low):
            continue
        out.append((s, e, "person"))
    for m in _CAMEL_ORG.finditer(text):
        s, e = m.span(1)
        if not any(a < e and s < b for a, b in taken):
            out.append((s, e, "organisation"))
    return out


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
    for rank, hit in enumerate(hits):
        p = snap.passages[hit.index]
        text = p.text
        rank_w = 1.0 / (1.0 + 0.35 * rank)
        sents = _sentences(state, hit.index)
        positions = evidence.positions(hit.index)
        mentions = state.passage_mentions(p.id)
        named_here = [m for m in mentions if m.entity in q.entities]

        def support(start: int, end: int) -> tuple[float, tuple[int, int]]:
            sent = next(((a, b) for a, b in sents if a <= start < b), (max(0, start - 150), min(len(text), end + 150)))
            return _support(evidence, hit.index, sent), sent

        for m in mentions:
            ntype = graph.nodes[m.entity].get("type", m.type) if m.entity in graph else m.type
            prior = _prior(types, ntype)
            if prior <= 0:
                continue
            name = graph.nodes[m.entity].get("name", m.text) if m.entity in graph else m.text
            if _excluded(q, name, m.entity) or _excluded(q, m.text, None):
                continue
            s, e = m.start - p.start, m.end - p.start
            cov, sent = support(s, e)
            prox = _proximity(s, e, positions + [n.start - p.start for n in named_here])
            score = rank_w * cov * prior * (0.6 + 0.4 * prox) * _head_fit(q, name, state, m.entity)
            if q.role:
                score *= 1.0 + 0.8 * _role_near(q, text, s, e)
            _add(cands, m.entity, name, ntype, m.entity, score, (rank, s, e) + sent)
        for s, e, type_ in _span_candidates(q, text):
            surface = text[s:e].strip()
            if not surface or _excluded(q, surface, None):
                continue
            cov, sent = support(s, e)
            prox = _proximity(s, e, positions)
            fit = _quantity_fit(q, text, s, e) if type_ == "outcome" else (0.8 if type_ == "programme" else 1.0)
            key = f"{type_}:{name_key(surface)}"
            # A quoted name that is also a typed mention is already counted through the mention.
            if type_ == "programme" and any(name_key(c.name) == name_key(surface) for c in cands.values()):
                continue
            _add(cands, key, surface, type_, None, rank_w * cov * (0.6 + 0.4 * prox) * fit, (rank, s, e) + sent)
        if rank < 6 and ("person" in types or "organisation" in types):
            taken = [(m.start - p.start, m.end - p.start) for m in mentions]
            for s, e, type_ in _name_spans(text, taken):
                prior = _prior(types, type_)
                surface = text[s:e]
                if prior <= 0 or _excluded(q, surface, None):
                    continue
                cov, sent = support(s, e)
                prox = _proximity(s, e, positions)
                score = UNTYPED * rank_w * cov * prior * (0.6 + 0.4 * prox)
                if q.role:
                    score *= 1.0 + 0.8 * _role_near(q, text, s, e)
                _add(cands, f"{type_}:{name_key(surface)}", surface, type_, None, score, (rank, s, e) + sent)
        if q.kind == "span":
            for sent in sents:
                span = _span_answer(q, text, sent)
                if span:
                    s, e = span
                    cov = evidence.coverage(hit.index, *sent)
                    _add(cands, f"span:{name_key(text[s:e])}", " ".join(text[s:e].split()), "span", None,
                         rank_w * cov, (rank, s, e) + sent)
    return cands


def _graph_candidates(q: Question, state, hits, cands: dict) -> None:
    """Typed relations of the named entities: an edge whose relation (or role) is the one asked
    about adds to its other end, supported by the retrieved passage that holds its sentence."""
    if not q.entities or q.kind in ("quantity", "when", "span"):
        return
    graph = state.graph
    snap = state.snapshot
    rank_of = {hit.index: r for r, hit in enumerate(hits)}
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
            for i, p in ((hit.index, snap.passages[hit.index]) for hit in hits):
                if p.doc == data.get("doc") and p.start <= data.get("start", -1) < p.end:
                    rank = rank_of[i]
                    c = cands.get(other)
                    if c is not None:
                        c.scores.append(0.35 * c.best[0] * rel_fit * role_fit * prior)
                    break


def _finish(cands: dict) -> list[_Cand]:
    for c in cands.values():
        ordered = sorted(c.scores, reverse=True)
        # The best supporting sentence counts most; repetition helps a little.
        c.score = ordered[0] + 0.25 * sum(ordered[1:4])
    return sorted(cands.values(), key=lambda c: (-c.score, c.best[1], c.name))


# -- the answer -------------------------------------------------------------------------------


def answer(question: str, state, vectors, *, k: int = 5, mode: str = "hybrid") -> Answer:
    """Answer `question` from `state`; `answer` is None when no candidate is supported."""
    question = question.strip()
    q = parse(question, state)
    if not question or not state.snapshot.passages:
        return Answer(question=question, answer=None, answer_type=q.answer_type)
    hits = retrieve(state, vectors, question, k=max(k, POOL), mode=mode, question=q)
    evidence = _Evidence(q, _idf(state), state)
    cands = _gather(q, state, hits, evidence)
    _graph_candidates(q, state, hits, cands)
    ranked = [c for c in _finish(cands) if c.best and _supported(c, evidence, state, hits, q.entities)]
    chosen = _choose(q, ranked)
    total = sum(c.score for c in ranked[:10]) or 1.0
    candidates = tuple(Candidate(name=c.name, type=c.type, score=round(c.score / total, 4), entity=c.entity)
                       for c in ranked[:10])
    sources, source_of = _sources(state, hits, ranked[:10], k)
    text = None
    if chosen:
        names = [c.name for c in chosen]
        text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if len(chosen) > 1:
            sources = _mark_list(sources, chosen)
    facts = tuple(_fact(q, c, state, hits, source_of.get(c.key)) for c in chosen)
    return Answer(question=question, answer=text, answer_type=q.answer_type, candidates=candidates if chosen else (),
                  facts=facts, sources=tuple(sources))


def _supported(c: _Cand, evidence: _Evidence, state, hits, q_entities: tuple[str, ...] = ()) -> bool:
    """The best sentence holds enough of the question's wording (MIN_SUPPORT of its IDF weight)."""
    rank, s, e, ss, se = c.best[1:6]
    i = hits[rank].index
    return _support(evidence, i, (ss, se)) >= MIN_SUPPORT and evidence.anchored(i, q_entities)


def _support(evidence: _Evidence, i: int, sent: tuple[int, int]) -> float:
    """Question wording around a candidate: its sentence, then (discounted) the sentences beside it
    and the whole passage, since reports often name the subject once and then say 'the council'."""
    return max(evidence.coverage(i, *sent), 0.8 * evidence.coverage(i, sent[0] - 120, sent[1] + 60),
               0.6 * evidence.coverage(i, 0, 1 << 30))


def _choose(q: Question, ranked: list[_Cand]) -> list[_Cand]:
    """The answer: the best candidate, or for list questions those as good, from the same sentence."""
    if not ranked:
        return []
    best = ranked[0]
    if not q.wants_list:
        return [best]
    out = [best]
    for c in ranked[1:6]:
        if c.score >= 0.5 * best.score and c.best[1] == best.best[1] and c.best[4] == best.best[4] and c.type == best.type:
            out.append(c)
    return out


def _sources(state, hits, ranked: list[_Cand], k: int) -> tuple[list[Source], dict]:
    """Passages that support the leading candidates first, then the rest by retrieval rank."""
    snap = state.snapshot
    order: list[int] = []
    spans: dict[int, tuple[int, int]] = {}
    for c in ranked[:3]:
        rank = c.best[1]
        if rank not in order:
            order.append(rank)
            spans[rank] = (c.best[2], c.best[3])
    order += [r for r in range(len(hits)) if r not in order]
    sources = []
    source_of: dict[str, int] = {}
    for r in order[:k]:
        p = snap.passages[hits[r].index]
        a = spans.get(r, (None, None))
        sources.append(Source(doc=p.doc, title=snap.titles.get(p.doc, p.doc), page=p.page, passage=p.text,
                              start=p.start, end=p.end, score=round(hits[r].score, 4),
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
    """Who did what, where: the answer in the slot the question asks about, the named entity in the other."""
    subject = q.named[0] if q.named else ""
    did = q.role or _DID.get(q.relation or "", "") or ""
    where = _place_near(c, state, hits)
    if q.kind == "where":
        return Fact(who=subject, did="is located in", what=subject, where=c.name, source=source)
    if c.type in ("person", "organisation") and q.kind in ("who", "which"):
        return Fact(who=c.name, did=did, what=subject, where=where, source=source)
    return Fact(who=subject, did=did, what=c.name, where=where, source=source)


def _place_near(c: _Cand, state, hits) -> str | None:
    """A place mentioned in the candidate's supporting sentence, if any."""
    rank, _, _, ss, se = c.best[1:6]
    p = state.snapshot.passages[hits[rank].index]
    for m in state.passage_mentions(p.id):
        if m.type == "place" and ss <= m.start - p.start < se and m.entity != c.entity:
            node = state.graph.nodes.get(m.entity, {}) if m.entity in state.graph else {}
            return node.get("name", m.text)
    return None


def naive_answer(question: str, state, vectors, *, k: int = 5) -> Answer:
    """The naive baseline: the top dense passage's first mention of the expected type."""
    q = parse(question)
    hits = retrieve(state, vectors, question, k=k, mode="dense")
    snap = state.snapshot
    sources = [Source(doc=snap.passages[h.index].doc, title=snap.titles.get(snap.passages[h.index].doc, ""),
                      page=snap.passages[h.index].page, passage=snap.passages[h.index].text,
                      start=snap.passages[h.index].start, end=snap.passages[h.index].end, score=round(h.score, 4))
               for h in hits]
    best = None
    if hits:
        for m in sorted(state.passage_mentions(snap.passages[hits[0].index].id), key=lambda m: m.start):
            if m.type == q.answer_types[0]:
                best = m
                break
    cands = (Candidate(name=best.text, type=best.type, score=1.0, entity=best.entity),) if best else ()
    return Answer(question=question, answer=best.text if best else None, answer_type=q.answer_type,
                  candidates=cands, sources=tuple(sources))
