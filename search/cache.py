"""Per-corpus-state structures the answerer reads (name index, neighbours, word case), built once per state.

The bottom of `search`'s question answering: question, retrieve, layout, spans and answer read
it, and it reads none of them, so every per-state cache lives here behind one lock.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from ingest.text import STOP_WORDS, phrase_key

__all__ = ["StateCache", "NameIndex", "state_cache", "name_index", "word_case"]


@dataclass(frozen=True)
class NameIndex:
    """Graph names and aliases by key, for matching question n-grams to node ids."""

    by_key: dict  # name key -> tuple of node ids
    max_words: int
    keys_by_first: dict  # first character -> keys (for fuzzy candidates)


@dataclass(frozen=True)
class StateCache:
    """What `parse`, `retrieve` and `answer` precompute for one corpus state."""

    key: str
    names: NameIndex
    passages_by_entity: dict  # graph node id -> tuple of passage indexes that mention it
    neighbours: dict  # graph node id -> frozenset of node ids joined by a typed relation
    case: dict  # word -> (times in lower case, times capitalised where a name may start)
    idf: dict = field(default_factory=dict)  # stem -> IDF over passages (filled on first use)
    tokens: dict = field(default_factory=dict)  # passage index -> (token starts, stems), filled lazily
    sentences: dict = field(default_factory=dict)  # passage index -> sentence spans inside the passage
    docs: dict = field(default_factory=dict)  # document name -> its text rebuilt from passages (layout)
    labels: dict = field(default_factory=dict)  # document name -> its label lines (layout)
    outcomes: dict = field(default_factory=dict)  # search.outcomes: records, passages by document; results by passage


_LOCK = threading.Lock()


def name_index(graph) -> NameIndex:
    """Build the name/alias/acronym index of a graph (once per corpus state)."""
    by_key: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("type") == "document":
            continue
        names = [data.get("name") or ""] + list(data.get("aliases") or [])
        for name in names:
            key = phrase_key(name)
            if len(key) < 2 or key in STOP_WORDS:
                continue
            by_key.setdefault(key, set()).add(node)
    keys_by_first: dict[str, list[str]] = {}
    for key in by_key:
        keys_by_first.setdefault(key[0], []).append(key)
    max_words = max((len(k.split()) for k in by_key), default=1)
    return NameIndex({k: tuple(sorted(v)) for k, v in by_key.items()}, min(max_words, 12), keys_by_first)


_CASE_WORD = re.compile(r"(?<![\w@.’'-])[A-Za-z][a-z’'-]+(?![\w@’'-]|\.\w)")
_CASE_SKIP = re.compile(r"(?:[A-Z][\w’'-]*\s|(?:^|[.!?:•●]\s*|\n\s*))$")


def _word_case(passages) -> dict[str, tuple[int, int]]:
    low: dict[str, int] = {}
    cap: dict[str, int] = {}
    for p in passages:
        text = p.text
        for m in _CASE_WORD.finditer(text):
            w = m.group(0)
            if w[0].islower():
                low[w] = low.get(w, 0) + 1
            elif not _CASE_SKIP.search(text[max(0, m.start() - 30) : m.start()]):
                cap[w.lower()] = cap.get(w.lower(), 0) + 1
    return {w: (low.get(w, 0), cap.get(w, 0)) for w in set(low) | set(cap)}


def word_case(state) -> dict[str, tuple[int, int]]:
    """word -> (times written in lower case, times capitalised where a name may start: not at a
    sentence's start nor inside a run of capitalised words), over the corpus, once per state."""
    return state_cache(state).case


def _build(state) -> StateCache:
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
    # The parser is not loaded here: a third of questions never parse a sentence, and a one-shot
    # `casegraph ask` should not pay for it; `Engine.warm` loads it for long-running processes.
    return StateCache(
        key=state.key,
        names=name_index(graph),
        passages_by_entity={k: tuple(v) for k, v in by_entity.items()},
        neighbours={k: frozenset(v) for k, v in neighbours.items()},
        # the corpus's word-case table the person-name test reads (tens of ms on the bundled corpus)
        case=_word_case(snap.passages),
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
