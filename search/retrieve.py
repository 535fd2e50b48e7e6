"""Retrieval: BM25 and dense rankings fused by reciprocal rank, boosted by the question's entities.

`mode="dense"` and `mode="bm25"` are the single-retriever baselines (no fusion, no boosts), so an
evaluation run compares retrieval alone under the same answer building.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.text import AMOUNT_PARTS

__all__ = ["Hit", "retrieve", "MODES", "ENTITY_BOOST", "NEIGHBOUR_BOOST"]

MODES = ("hybrid", "dense", "bm25")

# Boosts are in RRF units (1/(60+rank)). Measured on the dev set: a boost worth a whole retriever
# rank (1/61) floods the pool with passages that only name the entity (answer@1 0.62, evidence@3
# 0.83); a tenth of that breaks ties among passages both retrievers like (0.66 / 0.87).
# RRF's k: 20 lets the top ranks of either retriever count (dev, gold sentence among retrieved
# passages: k=60 evidence@3 0.81, MRR 0.71; k=20 0.83, 0.76).
RRF_K = 20
ENTITY_BOOST = 0.1 / 61
NEIGHBOUR_BOOST = 0.1 / 61


@dataclass(frozen=True)
class Hit:
    """A retrieved passage (index into the snapshot) with its fused score and the parts."""

    index: int
    score: float
    dense: float = 0.0
    bm25: float = 0.0


def _dense(state, vectors, query: str, pool: int) -> dict[int, float]:
    snap = state.snapshot
    vec = vectors.embed_query(query)  # the embedder that made the index's vectors
    out: dict[int, float] = {}
    for pid, sim in vectors.query(vec, k=pool):
        i = snap.by_id.get(pid)
        if i is not None:  # ids of another corpus state are ignored
            out[i] = sim
    return out


def _bm25(state, query: str, pool: int) -> dict[int, float]:
    import numpy as np

    scores = state.snapshot.keyword.scores(query)
    if not len(scores):
        return {}
    top = np.argpartition(-scores, min(pool, len(scores) - 1))[:pool] if len(scores) > pool else np.arange(len(scores))
    return {int(i): float(scores[i]) for i in top if scores[i] > 0}


def retrieve(state, vectors, query: str, *, k: int = 20, mode: str = "hybrid", rrf_k: int | None = None,
             question=None, boost: bool = True) -> list[Hit]:
    """The top `k` passages for `query`, best first; `question` (a parsed Question) adds entity boosts."""
    if mode not in MODES:
        raise ValueError(f"unknown retrieval mode {mode!r}; use one of {', '.join(MODES)}")
    snap = state.snapshot
    n = len(snap.passages)
    if n == 0 or not query.strip():
        return []
    pool = max(k * 3, 50)
    dense = _dense(state, vectors, query, pool) if mode in ("hybrid", "dense") else {}
    # Hybrid search also looks for the named entities' other names (acronyms, aliases) by keyword.
    expanded = " ".join([query, *question.aliases, *_amount_forms(query)]) if mode == "hybrid" and question is not None else query
    bm25 = _bm25(state, expanded, pool) if mode in ("hybrid", "bm25") else {}
    if mode != "hybrid":
        only = dense or bm25
        hits = [Hit(i, s, dense.get(i, 0.0), bm25.get(i, 0.0)) for i, s in only.items()]
        hits.sort(key=lambda h: (-h.score, h.index))
        return hits[:k]
    rrf_k = RRF_K if rrf_k is None else rrf_k
    fused: dict[int, float] = {}
    for ranking in (dense, bm25):
        for rank, i in enumerate(sorted(ranking, key=lambda j: (-ranking[j], j))):
            fused[i] = fused.get(i, 0.0) + 1.0 / (rrf_k + rank + 1)
    if boost and question is not None and question.entities:
        _entity_boost(state, question, fused)
    hits = [Hit(i, s, dense.get(i, 0.0), bm25.get(i, 0.0)) for i, s in fused.items()]
    hits.sort(key=lambda h: (-h.score, h.index))
    return hits[:k]


def _entity_boost(state, question, fused: dict[int, float]) -> None:
    """Raise passages that mention the question's entities (and, less, their graph neighbours).

    Only passages already in the fused pool are boosted, so an entity named in hundreds of
    passages does not flood the ranking with passages that match nothing else of the question."""
    from .cache import state_cache

    cache = state_cache(state)
    named = set(question.entities)
    share = ENTITY_BOOST / max(len(named), 1)
    near: set[str] = set()
    for e in named:
        near |= cache.neighbours.get(e, frozenset())
    near -= named
    snap = state.snapshot
    for i in list(fused):
        ents = {m.entity for m in state.passage_mentions(snap.passages[i].id)}
        hit = len(ents & named)
        if hit:
            fused[i] += share * hit
        if ents & near:
            fused[i] += NEIGHBOUR_BOOST


_SHORT = {"million": "m", "billion": "bn", "thousand": "k", "m": "million", "bn": "billion", "k": "thousand"}


def _amount_forms(query: str) -> list[str]:
    """Other ways reports write the question's amounts, as single keyword tokens: '£1.4 million'
    is also '£1.4million' and '£1.4m'."""
    out = []
    for m in AMOUNT_PARTS.finditer(query):
        if not m.group(2):
            continue  # a bare amount is written one way
        num, unit = m.group(1), m.group(2).lower()
        for u in {unit, _SHORT[unit]}:
            out += [f"£{num}{u}", f"£{num} {u}"]
    return [f for f in dict.fromkeys(out) if f not in query]
