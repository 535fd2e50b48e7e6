"""Keeps the search indexes in step with the store's records.

The keyword index and the passage table are written as one snapshot folder per corpus state
(`keyword/<key>/`) and switched by rewriting `keyword/CURRENT` atomically, so a reader sees the
old snapshot or the new one, never half. Chroma is synced by passage id: new passages are added
before stale ones are deleted, and embeddings of text that only moved (a renamed file) are reused.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass

from ingest.records import Passage, content_hash, to_dict
from ingest.store import Store, atomic_write_bytes, atomic_write_json

from .keyword import KeywordIndex
from .vector import VectorIndex

__all__ = ["refresh", "Snapshot", "load_snapshot", "vector_index"]


def vector_index(store: Store) -> VectorIndex:
    """The store's Chroma collection. With a shared server (CASEGRAPH_CHROMA_URL) each store gets
    its own collection unless CASEGRAPH_CHROMA_COLLECTION names one, because a refresh deletes
    every passage its own store does not hold."""
    import os

    name = os.environ.get("CASEGRAPH_CHROMA_COLLECTION")
    if not name and os.environ.get("CASEGRAPH_CHROMA_URL"):
        name = "casegraph-" + content_hash(str(store.root.resolve()))[:12]
    return VectorIndex(store.chroma_dir, name)


@dataclass(frozen=True)
class Snapshot:
    """The passages and keyword index of one corpus state, loaded together."""

    key: str
    passages: tuple[Passage, ...]
    titles: dict
    keyword: KeywordIndex
    by_id: dict


def _current(store: Store) -> str | None:
    path = store.keyword_dir / "CURRENT"
    return path.read_text("utf-8").strip() if path.exists() else None


def load_snapshot(store: Store) -> Snapshot:
    """The current keyword snapshot (an empty one for a new store)."""
    for attempt in range(3):
        key = _current(store)
        if not key or not (store.keyword_dir / key / "passages.json").exists():
            return Snapshot("", (), {}, KeywordIndex(None, 0), {})
        folder = store.keyword_dir / key
        try:
            data = json.loads((folder / "passages.json").read_text("utf-8"))
            passages = tuple(Passage(**p) for p in data["passages"])
            keyword = KeywordIndex.load(folder / "bm25", len(passages))
        except FileNotFoundError:
            if attempt == 2:
                raise
            continue  # an ingest switched snapshots while we read: read the new CURRENT
        return Snapshot(key, passages, data["titles"], keyword, {p.id: i for i, p in enumerate(passages)})
    raise AssertionError("unreachable")


def refresh(store: Store, *, log=None) -> dict:
    """Bring the keyword snapshot and Chroma in line with the manifest; returns timings."""
    timings: dict[str, float] = {}
    manifest = store.read_manifest()
    key = store.state_key(manifest)
    t = time.perf_counter()
    passages: list[Passage] = []
    titles: dict[str, str] = {}
    previous = _current(store)
    if previous != key:
        for rec in store.iter_records(manifest):
            passages.extend(rec.passages)
            titles[rec.document.doc] = rec.document.title
        folder = store.keyword_dir / key
        if folder.exists():
            shutil.rmtree(folder)
        KeywordIndex.build([p.text for p in passages]).save(folder / "bm25")
        atomic_write_json(folder / "passages.json",
                          {"passages": [to_dict(p) for p in passages], "titles": titles})
        atomic_write_bytes(store.keyword_dir / "CURRENT", key.encode())
        timings["keyword_index"] = time.perf_counter() - t
    else:
        passages = list(load_snapshot(store).passages)
    # The previous snapshot stays until the next switch: a reader may still be loading it.
    for old in store.keyword_dir.iterdir():
        if old.is_dir() and old.name not in (key, previous):
            shutil.rmtree(old, ignore_errors=True)

    t = time.perf_counter()
    vi = vector_index(store)
    wanted = {p.id: p for p in passages}
    have = vi.ids()
    missing = [p for pid, p in wanted.items() if pid not in have]
    stale = [pid for pid in have if pid not in wanted]
    timings["index_diff"] = time.perf_counter() - t
    timings["embedded"] = 0
    if missing:
        t = time.perf_counter()
        reuse = vi.embeddings_by_text(stale) if stale else {}
        todo = [p for p in missing if content_hash(p.text)[:16] not in reuse]
        from .embed import embed_batch

        fresh = dict(zip((p.id for p in todo), embed_batch([p.text for p in todo]))) if todo else {}
        timings["embedded"] = len(todo)
        timings["embedding"] = time.perf_counter() - t
        t = time.perf_counter()
        vectors = [fresh[p.id] if p.id in fresh else reuse[content_hash(p.text)[:16]] for p in missing]
        vi.add(missing, vectors)
        timings["index_write"] = time.perf_counter() - t
    if stale:
        vi.delete(stale)
    return timings
