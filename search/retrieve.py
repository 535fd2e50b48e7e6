"""Hybrid retrieval: BM25 and dense rankings fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Hit", "retrieve", "MODES"]

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Hit:
    """A retrieved passage (index into the snapshot) with its fused score and the parts."""

    index: int
    score: float
    dense: float = 0.0
    bm25: float = 0.0


def retrieve(state, vectors, query: str, *, k: int = 20, mode: str = "hybrid", rrf_k: int = 60) -> list[Hit]:
    """The top `k` passages for `query`, best first."""
    import numpy as np

    snap = state.snapshot
    n = len(snap.passages)
    if n == 0 or not query.strip():
        return []
    pool = max(k * 3, 50)
    dense: dict[int, float] = {}
    if mode in ("hybrid", "dense"):
        from .embed import embed_batch

        vec = embed_batch([query])[0]
        for pid, sim in vectors.query(vec, k=pool):
            i = snap.by_id.get(pid)
            if i is not None:  # ids of another corpus state are ignored
                dense[i] = sim
    bm25: dict[int, float] = {}
    if mode in ("hybrid", "bm25"):
        scores = snap.keyword.scores(query)
        top = np.argsort(-scores)[:pool]
        bm25 = {int(i): float(scores[i]) for i in top if scores[i] > 0}
    fused: dict[int, float] = {}
    for ranking in (dense, bm25):
        for rank, i in enumerate(sorted(ranking, key=ranking.get, reverse=True)):
            fused[i] = fused.get(i, 0.0) + 1.0 / (rrf_k + rank + 1)
    hits = [Hit(i, s, dense.get(i, 0.0), bm25.get(i, 0.0)) for i, s in fused.items()]
    hits.sort(key=lambda h: (-h.score, h.index))
    return hits[:k]
