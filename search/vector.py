"""The dense index: one Chroma collection of passage embeddings.

Embedded (`PersistentClient` in the store) by default; a Chroma server (`chroma run`) when
`CASEGRAPH_CHROMA_URL` is set, so several users share one index. We always pass embeddings
ourselves: Chroma's default embedding function downloads a model, and we never let it. The
collection's metadata names the embedder that made its vectors (`embedder`), and queries use it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urlparse

from ingest.records import Passage, content_hash
from ingest.store import StoreError

from .embed import MODEL_NAME, Embedder, embedder, embedder_from_id

__all__ = ["VectorIndex", "COLLECTION"]

COLLECTION = "casegraph-passages"
# Collections made before the embedder was recorded hold fp32 vectors.
_UNRECORDED = f"{MODEL_NAME}/fp32"


# Chroma's client start-up is not safe to run twice at once in one process: `casegraph serve` opens
# the store from the UI and from its ask API side by side, and two concurrent PersistentClient
# inits left one without its bindings ("Could not connect to tenant default_tenant").
_CLIENT_LOCK = threading.Lock()


def _client(path: Path):
    with _CLIENT_LOCK:
        return _new_client(path)


def _new_client(path: Path):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    url = os.environ.get("CASEGRAPH_CHROMA_URL")
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                   ssl=parsed.scheme == "https", settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorIndex:
    """Passage embeddings in Chroma, addressed by passage id."""

    def __init__(self, path: Path, collection: str | None = None):
        self.path = Path(path)
        self.name = collection or COLLECTION
        self._collection = None

    @property
    def collection(self):
        if self._collection is None:
            try:
                client = _client(self.path)
                try:  # opening an existing collection writes nothing, so a read-only store still answers
                    self._collection = client.get_collection(self.name, embedding_function=None)
                except Exception as missing:
                    if "does not exist" not in str(missing) and type(missing).__name__ != "NotFoundError":
                        raise
                    try:
                        self._collection = self._create(client, embedder())
                    except Exception as exists:  # another thread of this process created it first
                        if "already exists" not in str(exists):
                            raise
                        self._collection = client.get_collection(self.name, embedding_function=None)
            except Exception as exc:
                if "readonly" in str(exc).replace("-", "").replace(" ", "").lower():
                    raise StoreError(f"the vector index in {self.path} is read-only ({exc}); "
                                     "make the store writable or copy it somewhere writable") from exc
                raise
        return self._collection

    def _create(self, client, made_by: Embedder):
        return client.create_collection(self.name, embedding_function=None, metadata={"embedder": made_by.id},
                                        configuration={"hnsw": {"space": "cosine"}})

    @property
    def embedder(self) -> Embedder:
        """The embedder this collection's vectors were made with; its queries must use it too."""
        return embedder_from_id((self.collection.metadata or {}).get("embedder", _UNRECORDED))

    def rebuild(self, made_by: Embedder) -> None:
        """Empty the collection and record `made_by` as the embedder of what goes in next."""
        client = _client(self.path)
        client.delete_collection(self.name)
        self._collection = self._create(client, made_by)

    def embed_query(self, text: str):
        """The query's vector from the embedder that made the collection's."""
        return self.embedder.query(text)

    def ids(self) -> set[str]:
        """Every passage id in the index."""
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def count(self) -> int:
        return self.collection.count()

    def add(self, passages: Sequence[Passage], embeddings, *, batch: int = 2000) -> None:
        """Upsert passages with their embeddings (idempotent by passage id)."""
        for i in range(0, len(passages), batch):
            chunk = passages[i : i + batch]
            self.collection.upsert(
                ids=[p.id for p in chunk],
                embeddings=[list(map(float, v)) for v in embeddings[i : i + batch]],
                metadatas=[{"doc": p.doc, "start": p.start, "end": p.end, "h": content_hash(p.text)[:16]}
                           for p in chunk],
            )

    def embeddings_by_text(self, ids: Iterable[str]) -> dict[str, list[float]]:
        """Stored embeddings of these ids keyed by text hash, so moved text is not re-embedded."""
        ids = list(ids)
        out: dict[str, list[float]] = {}
        for i in range(0, len(ids), 2000):
            got = self.collection.get(ids=ids[i : i + 2000], include=["embeddings", "metadatas"])
            for meta, emb in zip(got["metadatas"], got["embeddings"]):
                if meta and meta.get("h"):
                    out[meta["h"]] = list(emb)
        return out

    def delete(self, ids: Iterable[str], *, batch: int = 2000) -> None:
        ids = list(ids)
        for i in range(0, len(ids), batch):
            self.collection.delete(ids=ids[i : i + batch])

    def query(self, embedding, k: int = 20) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) for the k nearest passages, best first."""
        n = self.count()
        if n == 0:
            return []
        res = self.collection.query(query_embeddings=[list(map(float, embedding))], n_results=min(k, n),
                                    include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]


class FileVectors:
    """Exact cosine search over the store's own vector files (`docs/<key>.vec.npz`), which hold the
    same vectors as the Chroma collection: a one-shot question reads them instead of importing
    chromadb (over a second of a new process) and opening its index. Same interface as VectorIndex
    for answering: `embed_query`, `query`, `count`."""

    def __init__(self, ids: Sequence[str], matrix, made_by: Embedder):
        self.ids = list(ids)
        self.matrix = matrix
        self.embedder = made_by

    def embed_query(self, text: str):
        return self.embedder.query(text)

    def count(self) -> int:
        return len(self.ids)

    def query(self, embedding, k: int = 20) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) for the k nearest passages, best first."""
        import numpy as np

        if not self.ids:
            return []
        sims = self.matrix @ np.asarray(embedding, dtype="float32")
        top = np.argsort(-sims, kind="stable")[: min(k, len(self.ids))]
        return [(self.ids[i], float(sims[i])) for i in top]


def collection_embedder(path: Path, name: str = COLLECTION) -> str | None:
    """The embedder id recorded on the embedded Chroma collection, read from its SQLite file
    without importing chromadb; None when it cannot be read (another layout: ask Chroma)."""
    import sqlite3

    db = Path(path) / "chroma.sqlite3"
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as con:
            row = con.execute("SELECT m.str_value FROM collection_metadata m JOIN collections c "
                              "ON c.id = m.collection_id WHERE c.name = ? AND m.key = 'embedder'", (name,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row and row[0] else None
