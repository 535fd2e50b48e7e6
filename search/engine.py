"""The query-side view of a store: snapshot, graph and mention table, reloaded when ingest commits."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from ingest.records import Answer, Mention
from ingest.store import Store

from .index import Snapshot, file_vectors, load_snapshot, vector_index

__all__ = ["Engine", "State"]


@dataclass
class State:
    """Everything one answer reads, loaded together so an answer never mixes two corpus states."""

    store: Store
    snapshot: Snapshot
    graph: object
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # passage id -> mentions (graph ids)
    documents: dict[str, dict] = field(default_factory=dict)  # doc name -> manifest entry
    key: str = ""
    extras: dict = field(default_factory=dict)  # holds the StateCache (search.cache.state_cache)

    @property
    def complete(self) -> bool:
        """True when graph and keyword snapshot were both built from this manifest."""
        return self.snapshot.key == self.key and self.graph.graph.get("key", self.key) == self.key

    def passage_mentions(self, pid: str) -> list[Mention]:
        return self.mentions.get(pid, [])


def _load_state(store: Store) -> State:
    import dataclasses

    from graph.build import load_graph

    manifest = store.read_manifest()
    snapshot = load_snapshot(store)
    graph = load_graph(store.graph_path)
    # Map each document's local entity ids onto the graph's merged ids (by id, then by alias).
    alias_index: dict[tuple[str, str], str] = {}
    for node, data in graph.nodes(data=True):
        for alias in [data.get("name", "")] + list(data.get("aliases") or []):
            for doc in data.get("docs") or []:
                alias_index.setdefault((doc, alias.lower()), node)
    by_passage: dict[str, list[Mention]] = {}
    passages_of: dict[str, list[tuple[int, int, str]]] = {}
    for p in snapshot.passages:
        passages_of.setdefault(p.doc, []).append((p.start, p.end, p.id))
    for doc, mentions in snapshot.mentions.items():
        spans = sorted(passages_of.get(doc, []))
        j = 0
        for m in sorted(mentions, key=lambda m: m.start):
            gid = m.entity if m.entity in graph else alias_index.get((m.doc, m.text.lower()))
            if not gid:
                continue
            while j < len(spans) and spans[j][1] <= m.start:
                j += 1
            if j < len(spans) and spans[j][0] <= m.start and m.end <= spans[j][1]:
                by_passage.setdefault(spans[j][2], []).append(dataclasses.replace(m, entity=gid))
    return State(store=store, snapshot=snapshot, graph=graph, mentions=by_passage,
                 documents=dict(manifest["files"]), key=store.state_key(manifest))


class Engine:
    """Answers questions over one store; cheap to keep, thread-safe, reloads after an ingest."""

    def __init__(self, store: Store | str | Path, *, vector_files: bool = False):
        """`vector_files`: search the store's own vector files when they match the Chroma
        collection (`index.file_vectors`), so a short-lived process never imports chromadb."""
        self.store = store if isinstance(store, Store) else Store(Path(store))
        self.vector_files = vector_files
        self._lock = threading.Lock()
        self._state: State | None = None
        self._generation = None
        self._vectors = None

    @property
    def vectors(self):
        if self._vectors is None:
            self._vectors = vector_index(self.store)
        return self._vectors

    def state(self) -> State:
        """The current state, reloaded when the store's manifest moved since the last load."""
        generation = self.store.generation()
        if self._state is None or generation != self._generation:
            with self._lock:
                if self._state is None or generation != self._generation:
                    try:
                        state = _load_state(self.store)
                    except (OSError, ValueError):
                        if self._state is None:
                            raise
                        return self._state  # a file moved under us mid-ingest: try again next call
                    # Between the manifest commit and the index refreshes the parts disagree:
                    # keep answering from the previous state and look again on the next call.
                    if state.complete or self._state is None:
                        self._state = state
                    if state.complete:
                        self._generation = generation
        return self._state

    def warm(self) -> None:
        """Load models and indexes now, so the first question is fast."""
        from ingest.nlp import load_nlp

        from .cache import state_cache

        state_cache(self.state())
        load_nlp()  # the answerer parses a few sentences for most questions ("what does X offer?")
        self.vectors.embed_query("warm up")
        _ = self.vectors.count()

    def ask(self, question: str, *, k: int = 5, mode: str = "hybrid") -> Answer:
        """Answer one question (the `ask --json` contract); `mode` picks hybrid, dense or bm25 retrieval."""
        from .answer import answer

        # Lone surrogates (undecodable bytes from argv, "\ud800" in JSON) would crash the tokenizers.
        question = question.encode("utf-8", "replace").decode("utf-8")
        state = self.state()
        return answer(question, state, self._vectors_for(state), k=k, mode=mode)

    def _vectors_for(self, state: State):
        if not self.vector_files:
            return self.vectors
        if "search.file_vectors" not in state.extras:
            state.extras["search.file_vectors"] = file_vectors(self.store, state.snapshot)
        return state.extras["search.file_vectors"] or self.vectors

    def document(self, doc: str):
        """The ingested Document named `doc` (its clean text), or None: only corpus documents are served."""
        state = self.state()
        entry = state.documents.get(doc)
        if not entry or not entry.get("record"):
            return None
        return self.store.read_records(entry["record"]).document
