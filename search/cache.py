"""Per-corpus-state structures the answerer reads (name index, neighbours), built once per state."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

__all__ = ["StateCache", "state_cache"]


@dataclass(frozen=True)
class StateCache:
    """What `parse`, `retrieve` and `answer` precompute for one corpus state."""

    key: str
    names: object  # question.NameIndex
    passages_by_entity: dict  # graph node id -> tuple of passage indexes that mention it
    neighbours: dict  # graph node id -> frozenset of node ids joined by a typed relation
    idf: dict = field(default_factory=dict)  # stem -> IDF over passages (filled on first use)
    tokens: dict = field(default_factory=dict)  # passage index -> (token starts, stems), filled lazily
    sentences: dict = field(default_factory=dict)  # passage index -> sentence spans inside the passage


_LOCK = threading.Lock()


def _build(state) -> StateCache:
    from .question import name_index

    graph = state.graph
    snap = state.snapshot
    by_entity: dict[str, list[int]] = {}
    for i, p in enumerate(snap.passages):
        for m in state.passage_mentions(p.id):
            lst = by_entity.setdefault(m.entity, [])
            if not lst or lst[-1] != i:
                lst.append(i)
    neighbours: dict[str, set[str]] = {}
    for u, v, data in graph.edges(data=True):
        if data.get("relation") == "mentioned_with":
            continue
        neighbours.setdefault(u, set()).add(v)
        neighbours.setdefault(v, set()).add(u)
    # The corpus's word-case table the person-name test reads (tens of ms on the bundled corpus).
    # The parser is not loaded here: a third of questions never parse a sentence, and a one-shot
    # `casegraph ask` should not pay for it; `Engine.warm` loads it for long-running processes.
    from .answer import word_case

    word_case(state)
    return StateCache(
        key=state.key,
        names=name_index(graph),
        passages_by_entity={k: tuple(v) for k, v in by_entity.items()},
        neighbours={k: frozenset(v) for k, v in neighbours.items()},
    )


def state_cache(state) -> StateCache:
    """The cache of `state`, built once on first use and kept on the state itself."""
    cache = state.extras.get("search.cache")
    if cache is None:
        with _LOCK:
            cache = state.extras.get("search.cache")
            if cache is None:
                cache = state.extras["search.cache"] = _build(state)
    return cache

