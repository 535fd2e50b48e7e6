"""Keeps the search indexes in step with the store's records.

Each ingested document gets one search segment, named by its record key and never changed: the
passages, their mentions and the title (`<record>.<version>.json`) and the BM25 postings
(`<record>.<version>.npz`). A corpus state is a snapshot file listing its segments
(`keyword/<state key>.json`), switched by rewriting `keyword/CURRENT` atomically, so a reader sees
the old state or the new one, never half. Adding one report writes one segment and a short list.

Chroma is synced by passage id: new passages are added before stale ones are deleted, and
embeddings of text that only moved (a renamed file) are reused. The collection keeps the embedder
it was filled with; an empty one, or one CASEGRAPH_EMBED_PRECISION asks to change, is (re)built
with today's. `keyword/SYNCED` names the
snapshot Chroma last matched; from there only the documents that changed are compared, and when it
is missing or the counts disagree (a crash, a copied store) every id is compared.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field

from ingest.records import DocRecords, Mention, Passage, content_hash, from_dict, to_dict
from ingest.store import Store, atomic_write_bytes, atomic_write_json

from .embed import Embedder, embedder, embedder_from_id, precision_choice
from .keyword import KeywordIndex, build_postings, postings_bytes, read_postings, stem_counts
from .vector import FileVectors, VectorIndex, collection_embedder

__all__ = ["refresh", "Snapshot", "load_snapshot", "vector_index", "file_vectors", "index_embedder", "SEGMENT_VERSION"]

# Bump when tokenising or the segment layout changes: every segment is then rebuilt once.
SEGMENT_VERSION = "s3"


def vector_index(store: Store) -> VectorIndex:
    """The store's Chroma collection. With a shared server (CASEGRAPH_CHROMA_URL) each store gets
    its own collection unless CASEGRAPH_CHROMA_COLLECTION names one, because a refresh deletes
    every passage its own store does not hold."""
    import os

    name = os.environ.get("CASEGRAPH_CHROMA_COLLECTION")
    if not name and os.environ.get("CASEGRAPH_CHROMA_URL"):
        name = "casegraph-" + content_hash(str(store.root.resolve()))[:12]
    return VectorIndex(store.chroma_dir, name)


def file_vectors(store: Store, snapshot: "Snapshot") -> FileVectors | None:
    """The snapshot's passage vectors from the store's vector files, when they are exactly what the
    embedded Chroma collection holds: Chroma last matched this snapshot (`keyword/SYNCED`), the
    collection records one embedder, and every passage has a vector from it. Else None (ask Chroma)."""
    import os

    import numpy as np

    if os.environ.get("CASEGRAPH_CHROMA_URL") or os.environ.get("CASEGRAPH_CHROMA_COLLECTION") or not snapshot.key:
        return None
    if (_read_text(store.keyword_dir / "SYNCED") or "") != f"{snapshot.key} {len(snapshot.passages)}":
        return None
    made_by = collection_embedder(store.chroma_dir)
    records = _snapshot_records(store, snapshot.key)
    if made_by is None or records is None:
        return None
    vectors: dict = {}
    for record in records:
        vectors.update(store.read_vectors(record, made_by))
    ids = [p.id for p in snapshot.passages]
    if any(i not in vectors for i in ids):
        return None
    try:
        return FileVectors(ids, np.stack([vectors[i] for i in ids]).astype("float32"), embedder_from_id(made_by))
    except RuntimeError:
        return None


@dataclass(frozen=True)
class Snapshot:
    """The passages, mentions and keyword index of one corpus state, loaded together."""

    key: str
    passages: tuple[Passage, ...]
    titles: dict
    keyword: KeywordIndex
    by_id: dict
    mentions: dict = field(default_factory=dict)  # doc -> tuple of that document's mentions
    stem_df: dict | None = None  # the answerer's stem -> passages holding it (None: not counted)


def _segments_dir(store: Store):
    return store.keyword_dir / "segments"


def _segment_paths(store: Store, record: str):
    folder = _segments_dir(store)
    return folder / f"{record}.{SEGMENT_VERSION}.json", folder / f"{record}.{SEGMENT_VERSION}.npz"


def _snapshot_path(store: Store, key: str):
    return store.keyword_dir / f"{key}.json"


def _read_text(path) -> str | None:
    return path.read_text("utf-8").strip() if path.exists() else None


def _current(store: Store) -> str | None:
    return _read_text(store.keyword_dir / "CURRENT")


def _read_meta(store: Store, record: str) -> dict:
    """A segment's passages, mentions and title (not its postings)."""
    return json.loads(_segment_paths(store, record)[0].read_text("utf-8"))


def _read_segment(store: Store, record: str) -> dict:
    data = _read_meta(store, record)
    data["postings"] = read_postings(_segment_paths(store, record)[1])
    return data


def _write_segment(store: Store, record: str, rec: DocRecords) -> None:
    """Both files of one document's segment; the postings first, so the JSON marks it complete."""
    meta_path, postings_path = _segment_paths(store, record)
    atomic_write_bytes(postings_path, postings_bytes(build_postings([p.text for p in rec.passages])))
    atomic_write_json(meta_path, {"doc": rec.document.doc, "title": rec.document.title,
                                  "passages": [to_dict(p) for p in rec.passages],
                                  "mentions": [to_dict(m) for m in rec.mentions],
                                  "stem_df": stem_counts([p.text for p in rec.passages])})


def _snapshot_records(store: Store, key: str) -> list[str] | None:
    path = _snapshot_path(store, key)
    if not path.exists():
        return None
    return json.loads(path.read_text("utf-8"))["records"]


def load_snapshot(store: Store) -> Snapshot:
    """The current snapshot (an empty one for a new store or one not indexed yet)."""
    for attempt in range(3):
        key = _current(store)
        try:
            records = _snapshot_records(store, key) if key else None
            if records is None:
                return Snapshot("", (), {}, KeywordIndex.from_segments([]), {})
            passages: list[Passage] = []
            titles: dict[str, str] = {}
            mentions: dict[str, tuple[Mention, ...]] = {}
            postings = []
            stem_df: Counter | None = Counter()
            for record in records:
                seg = _read_segment(store, record)
                # Segments written before the counts were kept have none: the answerer recounts.
                if stem_df is not None and "stem_df" in seg:
                    stem_df.update(seg["stem_df"])
                else:
                    stem_df = None
                passages.extend(from_dict(Passage, p) for p in seg["passages"])
                titles[seg["doc"]] = seg["title"]
                mentions[seg["doc"]] = tuple(from_dict(Mention, m) for m in seg["mentions"])
                postings.append(seg["postings"])
        except FileNotFoundError:
            if attempt == 2:
                raise
            continue  # an ingest switched snapshots while we read: read the new CURRENT
        return Snapshot(key, tuple(passages), titles, KeywordIndex.from_segments(postings),
                        {p.id: i for i, p in enumerate(passages)}, mentions,
                        dict(stem_df) if stem_df is not None else None)
    raise AssertionError("unreachable")


def refresh(store: Store, *, log=None) -> dict:
    """Bring the keyword snapshot and Chroma in line with the manifest; returns timings."""
    timings: dict[str, float] = {}
    manifest = store.read_manifest()
    key = store.state_key(manifest)
    records = [manifest["files"][n]["record"] for n in sorted(manifest["files"]) if manifest["files"][n].get("record")]
    previous = _current(store)
    t = time.perf_counter()
    built = 0
    for record in records:
        if not _segment_paths(store, record)[0].exists():
            _write_segment(store, record, store.read_records(record))
            built += 1
    if previous != key or not _snapshot_path(store, key).exists():
        atomic_write_json(_snapshot_path(store, key), {"records": records})
        atomic_write_bytes(store.keyword_dir / "CURRENT", key.encode())
    timings["keyword_index"] = time.perf_counter() - t
    timings["segments_built"] = built

    t = time.perf_counter()
    vi = vector_index(store)
    made_by = index_embedder(vi, log=log)
    missing, stale, total = _chroma_diff(store, vi, records, previous)
    timings["index_diff"] = time.perf_counter() - t
    timings["embedded"] = 0
    if missing:
        t = time.perf_counter()
        # vectors the ingest made while parsing, then those of text that only moved, then embed
        record_of = {n: e["record"] for n, e in manifest["files"].items() if e.get("record")}
        fresh: dict = {}
        for record in sorted({record_of[p.doc] for p in missing if p.doc in record_of}):
            fresh.update(store.read_vectors(record, made_by.id))
        timings["vectors_read"] = sum(p.id in fresh for p in missing)
        reuse = vi.embeddings_by_text(stale) if stale else {}
        todo = [p for p in missing if p.id not in fresh and content_hash(p.text)[:16] not in reuse]
        if todo:
            fresh.update(zip((p.id for p in todo), made_by([p.text for p in todo])))
            _write_back(store, record_of, todo, fresh, made_by.id)
        timings["embedded"] = len(todo)
        timings["index_embedding"] = time.perf_counter() - t
        t = time.perf_counter()
        vectors = [fresh[p.id] if p.id in fresh else reuse[content_hash(p.text)[:16]] for p in missing]
        vi.add(missing, vectors)
        timings["index_write"] = time.perf_counter() - t
    if stale:
        vi.delete(stale)
    atomic_write_bytes(store.keyword_dir / "SYNCED", f"{key} {total}".encode())
    _collect_garbage(store, key, previous)
    return timings


def _write_back(store: Store, record_of: dict, embedded: list[Passage], vectors: dict, embedder: str) -> None:
    """Add vectors the index had to make to their documents' vector files, so the files keep
    every passage (a rebuilt index, or a file re-extracted for new rules, embeds nothing)."""
    by_record: dict[str, list[Passage]] = {}
    for p in embedded:
        if p.doc in record_of:
            by_record.setdefault(record_of[p.doc], []).append(p)
    for record, ps in by_record.items():
        have = store.read_vectors(record, embedder)
        have.update((p.id, vectors[p.id]) for p in ps)
        store.write_vectors(record, list(have), list(have.values()), embedder)


def index_embedder(vi: VectorIndex, *, log=None) -> Embedder:
    """The embedder the index's vectors come from: its own, unless it is empty or the environment
    names another precision, in which case it is emptied and today's embedder fills it."""
    have = vi.embedder
    want = embedder()
    if have == want:
        return have
    held = vi.count()
    if held and precision_choice() is None:
        return have
    if held:
        (log or _note)(f"note: re-embedding every passage: the index holds {have.id} vectors and "
            f"CASEGRAPH_EMBED_PRECISION asks for {want.id}")
    vi.rebuild(want)
    return want


def _note(msg: str) -> None:
    import sys

    print(msg, file=sys.stderr)


# The ingest embeds new passages with the index's embedder while spaCy parses.
refresh.embed_ahead = lambda store: index_embedder(vector_index(store))


def _passages_of(store: Store, records) -> list[Passage]:
    return [from_dict(Passage, p) for r in records for p in _read_meta(store, r)["passages"]]


def _chroma_diff(store: Store, vi: VectorIndex, records: list[str], previous: str | None):
    """(passages to add, ids to delete, passages in the new state). Compares only the documents
    that changed since the state Chroma last matched, when that state is known and the count agrees."""
    synced = (_read_text(store.keyword_dir / "SYNCED") or "").split()
    before = _snapshot_records(store, synced[0]) if len(synced) == 2 and synced[0] == previous else None
    if before is not None and vi.count() == int(synced[1]):
        old, now = set(before), set(records)
        new = _passages_of(store, [r for r in records if r not in old])
        stale = [p.id for p in _passages_of(store, [r for r in before if r not in now])]
        fresh_ids = {p.id for p in new}
        return new, [i for i in stale if i not in fresh_ids], int(synced[1]) - len(stale) + len(new)
    passages = _passages_of(store, records)
    have = vi.ids()
    wanted = {p.id for p in passages}
    return [p for p in passages if p.id not in have], [i for i in have if i not in wanted], len(passages)


def _collect_garbage(store: Store, key: str, previous: str | None) -> None:
    """Keep the current and the previous snapshot (a reader may still be loading it) and their
    segments; delete the rest, including the folders of the older one-folder-per-state layout."""
    keep_snaps = {k for k in (key, previous) if k}
    keep_records: set[str] = set()
    for k in keep_snaps:
        keep_records.update(_snapshot_records(store, k) or [])
    for path in store.keyword_dir.iterdir():
        if path.is_dir() and path.name != "segments":
            shutil.rmtree(path, ignore_errors=True)
        elif path.suffix == ".json" and path.stem not in keep_snaps:
            path.unlink(missing_ok=True)
    segments = _segments_dir(store)
    for path in segments.iterdir() if segments.exists() else ():
        if path.name.split(".")[0] not in keep_records or f".{SEGMENT_VERSION}." not in path.name:
            path.unlink(missing_ok=True)
