"""The naive baseline `casegraph eval` compares against: one retriever's top passage and its first
mention of the expected type. Kept out of the answerer, which never calls it."""

from __future__ import annotations

from ingest.records import Answer, Candidate, Source
from search.question import parse
from search.retrieve import retrieve

__all__ = ["naive_answer"]


def naive_answer(question: str, state, vectors, *, k: int = 5, mode: str = "dense") -> Answer:
    """The issue's naive baseline: the top passage of one retriever (`mode` dense or bm25), its
    first mention of the expected type."""
    q = parse(question)
    hits = retrieve(state, vectors, question, k=k, mode=mode)
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
