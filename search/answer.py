"""Answers built, not generated: expected type, retrieved passages, typed candidates, sources."""

from __future__ import annotations

import re
from collections import defaultdict

from ingest.normalise import normalise
from ingest.records import Answer, Candidate, Fact, Source

from .retrieve import retrieve

__all__ = ["answer", "expected_type"]

_TYPE_WORDS = [
    (re.compile(r"^\s*(how much|how many|what (?:is|was) the (?:maximum |total )?(?:value|number|amount))", re.I), "outcome"),
    (re.compile(r"^\s*where\b", re.I), "place"),
    (re.compile(r"\bwhich (?:organi[sz]ations?|council|partnership|police|consultancy|developer|ambulance|agents?|charity|trust|company|body|bodies)\b"
                r"|^\s*(?:which|what) (?:organi[sz]ation|council)|^\s*whose\b", re.I), "organisation"),
    (re.compile(r"^\s*(?:who|whom)\b", re.I), "person"),
    (re.compile(r"\b(?:programme|project|initiative|network|partnership|scheme|deal|name)\b", re.I), "programme"),
]


def expected_type(question: str) -> str:
    """The entity type a question asks for (person, organisation, place, programme, outcome)."""
    for pattern, type_ in _TYPE_WORDS:
        if pattern.search(question):
            return type_
    return "programme"


def answer(question: str, state, vectors, *, k: int = 5, mode: str = "hybrid") -> Answer:
    """Answer `question` from `state`; `answer` is None when no candidate is supported."""
    qtype = expected_type(question)
    question = question.strip()
    hits = retrieve(state, vectors, question, k=max(k, 10), mode=mode) if question else []
    snap = state.snapshot
    qnorm = normalise(question)
    scores: dict[str, float] = defaultdict(float)
    support: dict[str, int] = {}
    names: dict[str, str] = {}
    for rank, hit in enumerate(hits):
        passage = snap.passages[hit.index]
        for m in state.passage_mentions(passage.id):
            if m.type != qtype or normalise(m.text) in qnorm:
                continue
            weight = 1.0 / (rank + 1)
            scores[m.entity] += weight
            support.setdefault(m.entity, rank)
            names.setdefault(m.entity, state.graph.nodes[m.entity].get("name", m.text) if m.entity in state.graph else m.text)
    ranked = sorted(scores, key=lambda e: (-scores[e], support[e]))
    total = sum(scores.values()) or 1.0
    candidates = tuple(Candidate(name=names[e], type=qtype, score=round(scores[e] / total, 4), entity=e) for e in ranked[:10])
    # Sources: the passage that supports the best candidate first, then the rest by rank.
    order = list(range(len(hits)))
    if ranked:
        first = support[ranked[0]]
        order = [first] + [i for i in order if i != first]
    sources = []
    for i in order[:k]:
        p = snap.passages[hits[i].index]
        sources.append(Source(doc=p.doc, title=snap.titles.get(p.doc, p.doc), page=p.page, passage=p.text,
                              start=p.start, end=p.end, score=round(hits[i].score, 4)))
    best = candidates[0] if candidates else None
    facts = ()
    if best is not None:
        facts = (Fact(who=best.name, did="", what="", where=None, source=0),)
    return Answer(question=question, answer=best.name if best else None, answer_type=qtype,
                  candidates=candidates, facts=facts, sources=tuple(sources))
