"""The one place that knows the store layout.

A store is a folder (default `.casegraph/` beside `corpus/`, or `--store` / `CASEGRAPH_STORE`):

    manifest.json     ingested files: content hash, status, error, record file, and the
                      extract version they were built with; the corpus's merge file's
                      rules ("merges")                                             (commit point)
    docs/<key>.json   DocRecords of one file (document, passages, mentions, relations)
    docs/<key>.graph.json  its entities and relations only (what resolution reads)
    docs/<key>.vec.npz     its passages' embeddings (ids + float32 rows), made while spaCy parses
    graph.json        the resolved knowledge graph (networkx node-link data, sorted)
    graph.key         the corpus state the graph was built from
    graph.rules       the resolution settings it was built with (merge file hash, vector merging)
    resolution_log.json  every cross-document merge decision of the last graph build
    names.vec.npz     embeddings of entity names vector merging compared (by name)
    keyword/<key>/    a BM25 snapshot with its passage table; keyword/CURRENT names the live one
    chroma/           the embedded Chroma database (unless CASEGRAPH_CHROMA_URL is set)
    .lock             held by the one writer (ingest, watch, UI upload)
    serve.json        while `casegraph serve` runs: the port and token of its ask API (owner-only)

Every file write is atomic (temp file + fsync + rename), and the manifest is written last, so a
crash at any point leaves the previous consistent store, which the next ingest repairs.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .records import DocRecords, from_dict, to_dict

__all__ = ["Store", "StoreError", "atomic_write_bytes", "atomic_write_json", "default_store", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1


class StoreError(Exception):
    """The store cannot be read or written (permissions, disk full, corrupt file)."""


def default_store(corpus: str | os.PathLike | None = None) -> Path:
    """`$CASEGRAPH_STORE`, else `.casegraph/` beside the corpus folder (or in the cwd)."""
    env = os.environ.get("CASEGRAPH_STORE")
    if env:
        return Path(env)
    base = Path(corpus).resolve().parent if corpus else Path.cwd()
    return base / ".casegraph"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}; check free space and permissions") from exc


def atomic_write_json(path: Path, data: Any) -> None:
    """Atomic, byte-stable JSON write (sorted keys, fixed indent). orjson: the graph of a large
    store is tens of MB, and the standard library took ten times as long to write it."""
    import orjson

    atomic_write_bytes(path, orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
                                               | orjson.OPT_SERIALIZE_NUMPY))


@dataclass(frozen=True)
class Store:
    """Paths and small read/write helpers for one store folder."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def at(cls, root: str | os.PathLike | None = None, corpus: str | os.PathLike | None = None) -> "Store":
        return cls(Path(root) if root else default_store(corpus))

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def graph_path(self) -> Path:
        return self.root / "graph.json"

    @property
    def graph_rules_path(self) -> Path:
        return self.root / "graph.rules"

    @property
    def resolution_log_path(self) -> Path:
        """The last graph build's merge decisions: a sorted JSON list of {kept, merged, stage, score, why}."""
        return self.root / "resolution_log.json"

    @property
    def name_vectors_path(self) -> Path:
        return self.root / "names.vec.npz"

    @property
    def keyword_dir(self) -> Path:
        return self.root / "keyword"

    @property
    def chroma_dir(self) -> Path:
        return self.root / "chroma"

    @property
    def lock_path(self) -> Path:
        return self.root / ".lock"

    @property
    def serve_path(self) -> Path:
        return self.root / "serve.json"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    # -- manifest -------------------------------------------------------------------------
    def read_manifest(self) -> dict:
        """The manifest, or an empty one for a new store."""
        if not self.manifest_path.exists():
            return {"schema": SCHEMA_VERSION, "files": {}, "generation": 0}
        try:
            return json.loads(self.manifest_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read {self.manifest_path}: {exc}; delete the store folder and re-ingest") from exc

    def write_manifest(self, manifest: dict) -> None:
        manifest = dict(manifest, schema=SCHEMA_VERSION)
        atomic_write_json(self.manifest_path, manifest)

    def state_key(self, manifest: dict | None = None) -> str:
        """Identifies a corpus state (the record files the manifest points at); derived indexes
        record the key they were built from and are rebuilt only when it moves."""
        from .records import content_hash

        manifest = manifest if manifest is not None else self.read_manifest()
        keys = sorted(e["record"] for e in manifest["files"].values() if e.get("record"))
        return content_hash("\n".join(keys))[:16]

    def generation(self) -> tuple[int, ...]:
        """Changes whenever an ingest commits or a derived index catches up; readers reload when it moves."""
        out = []
        for path in (self.manifest_path, self.keyword_dir / "CURRENT", self.graph_path.with_suffix(".key")):
            try:
                out.append(path.stat().st_mtime_ns)
            except OSError:
                out.append(0)
        return tuple(out)

    # -- per-document records -------------------------------------------------------------
    def record_path(self, key: str) -> Path:
        return self.docs_dir / f"{key}.json"

    def graph_input_path(self, key: str) -> Path:
        return self.docs_dir / f"{key}.graph.json"

    def write_records(self, key: str, records: DocRecords) -> None:
        """The document's records, then the slim copy resolution reads (entities and relations):
        a quarter of the bytes, which is most of the graph refresh at 100x the bundled corpus."""
        atomic_write_json(self.record_path(key), to_dict(records))
        atomic_write_json(self.graph_input_path(key), to_dict(_graph_input(records)))

    def read_records(self, key: str) -> DocRecords:
        return self._read(self.record_path(key))

    def vectors_path(self, key: str) -> Path:
        return self.docs_dir / f"{key}.vec.npz"

    def write_vectors(self, key: str, ids: list[str], vectors, embedder: str) -> None:
        """Embeddings of a document's passages, row i for ids[i], and the id of the embedder that
        made them (the vector index reads them)."""
        import io

        import numpy as np

        buf = io.BytesIO()
        np.savez(buf, ids=np.array(ids, dtype=str), vectors=np.asarray(vectors, dtype="float32"),
                 embedder=np.array(embedder))
        atomic_write_bytes(self.vectors_path(key), buf.getvalue())

    def read_vectors(self, key: str, embedder: str) -> dict:
        """{passage id: vector} from `write_vectors`; empty when there is no readable file or
        another embedder made it (vectors of two embedders do not compare)."""
        import numpy as np

        try:
            with np.load(self.vectors_path(key)) as data:
                if "embedder" not in data.files or str(data["embedder"]) != embedder:
                    return {}
                return dict(zip(data["ids"].tolist(), data["vectors"]))
        except (OSError, ValueError, KeyError):
            return {}

    def write_name_vectors(self, vectors: dict, embedder: str) -> None:
        """Entity-name embeddings ({name: vector}) kept for the next graph build, in name order."""
        import io

        import numpy as np

        names = sorted(vectors)
        buf = io.BytesIO()
        np.savez(buf, names=np.array(names, dtype=str),
                 vectors=np.asarray([vectors[n] for n in names], dtype="float32").reshape(len(names), -1),
                 embedder=np.array(embedder))
        atomic_write_bytes(self.name_vectors_path, buf.getvalue())

    def read_name_vectors(self, embedder: str) -> dict:
        """{name: vector} from `write_name_vectors`; empty when missing, unreadable or made by another embedder."""
        import numpy as np

        try:
            with np.load(self.name_vectors_path) as data:
                if "embedder" not in data.files or str(data["embedder"]) != embedder:
                    return {}
                return dict(zip(data["names"].tolist(), data["vectors"]))
        except (OSError, ValueError, KeyError):
            return {}

    def read_graph_input(self, key: str) -> DocRecords:
        """The document's entities and relations (no text, passages or mentions)."""
        path = self.graph_input_path(key)
        if not path.exists():  # a store written before the slim copies existed
            return _graph_input(self.read_records(key))
        return self._read(path)

    def _read(self, path: Path) -> DocRecords:
        import orjson

        try:
            return from_dict(DocRecords, orjson.loads(path.read_bytes()))
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"cannot read {path}: {exc}; re-run `casegraph ingest` to rebuild it") from exc

    def iter_graph_inputs(self, manifest: dict | None = None, cache: dict | None = None) -> Iterator[DocRecords]:
        """`read_graph_input` of every successfully ingested file in the manifest, in name order.
        With `cache` ({record key: records}, kept by a long-lived caller such as `watch`), files
        read before are not read again (a record key names immutable content) and keys no longer
        in the manifest are dropped from it."""
        if cache is None:
            return self._iter(manifest, self.read_graph_input)
        manifest = manifest if manifest is not None else self.read_manifest()
        keys = {e["record"] for e in manifest["files"].values() if e.get("record")}
        for stale in [k for k in cache if k not in keys]:
            del cache[stale]

        def read(key: str) -> DocRecords:
            if key not in cache:
                cache[key] = self.read_graph_input(key)
            return cache[key]

        return self._iter(manifest, read)

    def _iter(self, manifest: dict | None, read) -> Iterator[DocRecords]:
        manifest = manifest if manifest is not None else self.read_manifest()
        for name in sorted(manifest["files"]):
            entry = manifest["files"][name]
            if entry.get("record"):
                yield read(entry["record"])

    # -- writers' lock --------------------------------------------------------------------
    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time (ingest, watch, UI upload); readers never block."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.lock_path, "a+")
        except OSError as exc:
            raise StoreError(f"cannot open store {self.root}: {exc.strerror or exc}; check permissions") from exc
        with fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _graph_input(records: DocRecords) -> DocRecords:
    import dataclasses

    return dataclasses.replace(records, document=dataclasses.replace(records.document, text=""),
                               passages=(), mentions=(), trace=())
