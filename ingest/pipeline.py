"""Incremental ingest: a folder or files in, per-document records and a manifest out.

Files are compared with the manifest by content hash: unchanged files cost a hash and nothing
else; changed and new files are loaded, cleaned, chunked, run through spaCy and the extractor;
a file whose content reappears under a new name is moved, not re-extracted; files gone from
the folder are dropped. The manifest is written last (the commit point), then `consumers`
(graph and search refreshers) bring the derived indexes in line with it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .extract import RULES_VERSION
from .nlp import model_version
from .loaders import SUPPORTED_SUFFIXES, LoadError, load_document
from .merges import MERGES_FILE
from .records import DocRecords, Document, Passage, content_hash, passage_id
from .store import Store, StoreError

__all__ = ["IngestReport", "ingest", "scan", "EXTRACT_VERSION"]

# Bump the first part when loading, cleaning or chunking change their output, extract.RULES_VERSION
# when the extraction rules do, and the last part when only titles do (the passages, and so their
# vectors, are kept): every file is then re-extracted on the next ingest (the store records what
# built it).
EXTRACT_VERSION = f"5.{RULES_VERSION}.t2+{model_version()}"

Consumer = Callable[[Store], object]
# (texts, *, threads=None) -> float32 array, one unit row per text, with an `id` naming the model
# and precision. A consumer that reads vectors (the vector index) offers `embed_ahead(store)`,
# which returns the Embedder its vectors come from.
Embedder = Callable[..., object]


@dataclass
class IngestReport:
    """What one ingest did, file by file, and how long each stage took."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        parts = [f"added {len(self.added)}", f"updated {len(self.updated)}", f"removed {len(self.removed)}",
                 f"renamed {len(self.renamed)}", f"unchanged {len(self.unchanged)}", f"failed {len(self.failed)}"]
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)}")
        return ", ".join(parts) + f" in {self.timings.get('total', 0.0):.1f}s"


def scan(path: str | os.PathLike) -> tuple[Path, dict[str, Path], list[tuple[str, str]], bool]:
    """(corpus root, {name: file} of supported files, [(name, reason)] skipped, whole_folder)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder; give a corpus folder or report files")
    if path.is_file():
        files = [path]
        root, whole = path.parent, False
    else:
        root, whole = path, True
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
    found: dict[str, Path] = {}
    skipped: list[tuple[str, str]] = []
    inside = root.resolve()
    for file in files:
        name = file.relative_to(root).as_posix()
        if whole and not file.resolve().is_relative_to(inside):
            skipped.append((name, "a link to a file outside the corpus folder; not read"))
        elif name == MERGES_FILE:
            continue  # the researcher's resolution rules (merges.py), never a report
        elif file.suffix.lower() in SUPPORTED_SUFFIXES:
            found[name] = file
        else:
            skipped.append((name, f"unsupported format {file.suffix or '(none)'}; supported: {' '.join(SUPPORTED_SUFFIXES)}"))
    return root, found, skipped, whole


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in rel.parts)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def _record_key(name: str, sha: str) -> str:
    return content_hash(f"{name}\0{sha}\0{EXTRACT_VERSION}")[:32]


def _renamed(rec: DocRecords, new: str) -> DocRecords:
    """The same records under a new file name (passage ids follow the name)."""
    old = rec.document.doc
    swap = lambda docs: tuple(sorted(new if d == old else d for d in docs))  # noqa: E731
    return DocRecords(
        document=dataclasses.replace(rec.document, doc=new),
        passages=tuple(dataclasses.replace(p, doc=new, id=passage_id(new, rec.document.sha256, p.start, p.end))
                       for p in rec.passages),
        mentions=tuple(dataclasses.replace(m, doc=new) for m in rec.mentions),
        relations=tuple(dataclasses.replace(r, doc=new) for r in rec.relations),
        entities=tuple(dataclasses.replace(e, docs=swap(e.docs)) for e in rec.entities),
        trace=tuple(dataclasses.replace(t, doc=new) for t in rec.trace),
    )


def _manifest_entry(rec: DocRecords | None, sha: str, size: int, key: str | None, error: str | None) -> dict:
    entry = {"sha256": sha, "size": size, "record": key, "status": "failed" if error else "ok",
             "error": error, "ingested_at": _now()}
    if rec is not None:
        d = rec.document
        entry.update(title=d.title, format=d.format, pages=len(d.pages) or None, words=d.words,
                     passages=len(rec.passages), entities=len(rec.entities))
    return entry


def extract_documents(documents: Sequence[Document], passages: Sequence[Sequence[Passage]], timings: dict, *,
                      processes: int | None = None) -> list[DocRecords]:
    """Parse and extract a batch of loaded documents (spaCy loaded once, batched), each with its
    passages; adds seconds in spaCy ("nlp") and the extractor ("extraction") to `timings`."""
    from .extract import extract
    from .nlp import parse

    t = time.perf_counter()
    sdocs = parse([d.text for d in documents], processes=processes)
    timings["nlp"] = timings.get("nlp", 0.0) + time.perf_counter() - t
    t = time.perf_counter()
    out = []
    for document, sdoc, parts in zip(documents, sdocs, passages):
        rec = extract(document, sdoc)
        out.append(dataclasses.replace(rec, passages=tuple(parts)))
    timings["extraction"] = timings.get("extraction", 0.0) + time.perf_counter() - t
    return out


class _Prefetch:
    """Embeds passages on background threads while the main thread parses, and writes each
    document's vectors to the store for the vector index to pick up. The embedder releases the
    GIL, so spaCy and the embedder run side by side: one embedding task at a time while spaCy
    parses (one core each), then as many as there are cores. Each task runs on one core:
    splitting every operator over two cores stalled on a busy machine."""

    STEP = 16  # passages a task (the embedder takes them one at a time)

    def __init__(self, store: Store, embed: Embedder):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        self.store, self.embed = store, embed
        self.workers = max(1, min(os.cpu_count() or 1, 8))
        self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="casegraph-embed")
        self.slots = threading.Semaphore(1)  # widened by finish(), when spaCy is done
        self.lock = threading.Lock()
        self.seconds = 0.0
        self.docs: list[tuple[str, list[str], list, list]] = []  # key, ids, kept vectors, futures
        self.kept = self.embedded = 0
        self.widened = False

    def submit(self, key: str, passages: Sequence[Passage], previous: str | None = None) -> None:
        """Embed a document's passages, except those whose vectors its `previous` record kept: a
        file re-extracted for new rules keeps its passages, and embedding them again cost as much
        as parsing."""
        known = self.store.read_vectors(previous, self.embed.id) if previous and previous != key else {}
        kept = [p.id for p in passages if p.id in known]
        todo = [p for p in passages if p.id not in known]
        self.kept, self.embedded = self.kept + len(kept), self.embedded + len(todo)
        futures = [self.pool.submit(self._batch, [p.text for p in todo[i : i + self.STEP]])
                   for i in range(0, len(todo), self.STEP)]
        if passages:
            self.docs.append((key, kept + [p.id for p in todo], [known[i] for i in kept], futures))

    def _batch(self, texts: list[str]):
        with self.slots:
            t = time.perf_counter()
            vectors = self.embed(texts, threads=1)
            with self.lock:
                self.seconds += time.perf_counter() - t
            return vectors

    def _widen(self) -> None:
        if not self.widened:
            self.widened = True
            for _ in range(self.workers - 1):
                self.slots.release()

    def cancel(self) -> None:
        """Drop what has not started (the records were not committed)."""
        self._widen()
        self.pool.shutdown(cancel_futures=True)

    def finish(self, timings: dict) -> None:
        """Wait for every document's vectors and write them; a failure only costs the prefetch
        (the vector index embeds what it does not find)."""
        import numpy as np

        self._widen()
        t = time.perf_counter()
        for key, ids, kept, futures in self.docs:
            try:
                rows = [np.asarray(kept, dtype="float32").reshape(len(kept), -1)] if kept else []
                self.store.write_vectors(key, ids, np.concatenate(rows + [f.result() for f in futures]), self.embed.id)
            except Exception as exc:  # noqa: BLE001 - logged; the vector index embeds what is missing
                print(f"note: embedding ahead of the index failed ({type(exc).__name__}: {exc}); "
                      "the index will embed instead", file=sys.stderr)
        self.pool.shutdown()
        timings["embedding"] = timings.get("embedding", 0.0) + self.seconds
        timings["embedded_ahead"], timings["vectors_kept"] = self.embedded, self.kept
        timings["embedding_wait"] = time.perf_counter() - t


def ingest(
    path: str | os.PathLike,
    store: Store,
    *,
    consumers: Iterable[Consumer] = (),
    progress: bool = True,
    max_bytes: int | None = None,
    log: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest a corpus folder (or files) into `store`, incrementally; see the module docstring.
    When a consumer offers an `embed_ahead`, new passages are embedded with it while spaCy parses."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    consumers = tuple(consumers)
    ahead = next((c.embed_ahead for c in consumers if getattr(c, "embed_ahead", None)), None)
    report = IngestReport()
    t0 = time.perf_counter()
    root, found, report.skipped, whole = scan(path)
    for name, reason in report.skipped:
        log(f"skipped {name}: {reason}")

    with store.write_lock():
        manifest = store.read_manifest()
        files: dict = dict(manifest["files"])
        manifest_corpus = manifest.get("corpus")
        if whole and manifest_corpus and Path(manifest_corpus) != root.resolve():
            log(f"note: store {store.root} was built from {manifest_corpus}; now syncing it to {root.resolve()}")

        def fail(name: str, reason: str, sha: str = "", size: int = 0) -> None:
            report.failed.append((name, reason))
            files[name] = _manifest_entry(None, sha, size, None, reason)

        # 1. hash and compare
        t = time.perf_counter()
        hashes: dict[str, tuple[str, int]] = {}
        todo: list[str] = []
        for name, file in found.items():
            try:
                size = file.stat().st_size
                limit = max_bytes if max_bytes is not None else _max_bytes()
                if size > limit:
                    raise LoadError(name, f"file is {size / 2**20:.1f} MB, over the {limit / 2**20:.0f} MB limit; "
                                          "raise it with CASEGRAPH_MAX_BYTES or --max-mb")
                sha = content_hash(file.read_bytes())
            except LoadError as exc:
                fail(name, exc.reason)
                continue
            except OSError as exc:
                fail(name, f"cannot read: {exc.strerror or exc}")
                continue
            hashes[name] = (sha, size)
            old = files.get(name)
            if old and old.get("sha256") == sha and old.get("status") == "ok" and old.get("record") == _record_key(name, sha) \
                    and store.record_path(old["record"]).exists():
                report.unchanged.append(name)
            else:
                todo.append(name)
        gone = sorted(n for n in files if n not in found) if whole else []
        report.timings["hash"] = time.perf_counter() - t

        # 2. renames: a new name whose content is a vanished file's content is moved, not re-extracted
        by_sha = {files[n]["sha256"]: n for n in gone if files[n].get("status") == "ok" and files[n].get("record")}
        for name in list(todo):
            sha, size = hashes[name]
            if name not in files and sha in by_sha:
                old_name = by_sha.pop(sha)
                try:
                    rec = _renamed(store.read_records(files[old_name]["record"]), name)
                except StoreError:
                    continue
                key = _record_key(name, sha)
                store.write_records(key, rec)
                files[name] = _manifest_entry(rec, sha, size, key, None)
                del files[old_name]
                gone.remove(old_name)
                todo.remove(name)
                report.renamed.append((old_name, name))

        # 3. load, then extract in batches (spaCy is loaded only when there is work)
        loaded: list[tuple[str, Document]] = []
        t = time.perf_counter()
        bar = _bar(len(todo), "loading", progress)
        for name in todo:
            try:
                doc = load_document(found[name], name, max_bytes=max_bytes)
                loaded.append((name, dataclasses.replace(doc, ingested_at=_now())))
            except LoadError as exc:
                fail(name, exc.reason, *hashes[name])
            except Exception as exc:  # a loader bug must not lose the rest of the corpus
                fail(name, f"could not be read ({type(exc).__name__}: {exc})", *hashes[name])
            bar.update(1)
        bar.close()
        report.timings["load"] = time.perf_counter() - t

        t = time.perf_counter()
        prefetch = _Prefetch(store, ahead(store)) if ahead is not None and loaded else None
        bar = _bar(len(loaded), "extracting", progress)
        try:
            # Records of the same loading/cleaning/chunking version (EXTRACT_VERSION's first part)
            # cut the same file into the same passages, so their vectors can be kept.
            same_cut = manifest.get("extract_version", "").split(".")[0] == EXTRACT_VERSION.split(".")[0]
            previous = {n: e.get("record") for n, e in files.items()} if same_cut else {}
            _extract_all(loaded, hashes, files, store, report, bar, prefetch, previous)
        except BaseException:
            if prefetch is not None:
                prefetch.cancel()
            raise
        bar.close()
        if prefetch is not None:
            prefetch.finish(report.timings)
        report.timings["extract"] = time.perf_counter() - t

        for name in gone:
            del files[name]
            report.removed.append(name)
        merges = _read_merges(Path(manifest_corpus) if not whole and manifest_corpus else root, report)

        # 4. commit: the manifest, then the derived indexes, then garbage
        t = time.perf_counter()
        generation = manifest.get("generation", 0) + (1 if (todo or gone or report.renamed) else 0)
        store.write_manifest({"files": files, "corpus": str(root.resolve()) if whole else manifest_corpus,
                              "generation": generation, "extract_version": EXTRACT_VERSION, "merges": merges})
        report.timings["manifest"] = time.perf_counter() - t
        for consumer in consumers:
            t = time.perf_counter()
            extra = consumer(store)
            report.timings[getattr(consumer, "__module__", "consumer").split(".")[0]] = time.perf_counter() - t
            if isinstance(extra, dict):
                report.timings.update({k: v for k, v in extra.items() if isinstance(v, (int, float))})
        _collect_garbage(store, files)
    report.timings["total"] = time.perf_counter() - t0
    return report


def _read_merges(folder: Path, report: IngestReport) -> dict | None:
    """The corpus's merge file as the manifest keeps it (None without one). Read on every ingest: an
    edit changes the graph's resolution without re-extracting anything. A malformed file is a
    failure of this ingest, and the graph is resolved without its rules until it is fixed."""
    from .merges import MergeFileError, load_merges, rules_to_json

    try:
        rules = load_merges(folder)
    except MergeFileError as exc:
        report.failed.append((MERGES_FILE, f"{exc} (the graph was resolved without the file's rules)"))
        data = (folder / MERGES_FILE).read_bytes() if (folder / MERGES_FILE).exists() else b""
        return {"sha256": content_hash(data), "rules": [], "error": str(exc)}
    return rules_to_json(rules) if rules.sha256 else None


def _extract_all(loaded, hashes, files, store: Store, report: IngestReport, bar, prefetch, previous: dict) -> None:
    """Extract loaded documents in batches, writing each one's records and manifest entry;
    `previous` names each file's earlier record, whose vectors the prefetch may keep."""
    from .chunk import chunk

    for i in range(0, len(loaded), 32):  # one spaCy pool per 32 files, not per file
        batch = loaded[i : i + 32]
        parts = [tuple(chunk(d)) for _, d in batch]
        if prefetch is not None:
            for (name, _), passages in zip(batch, parts):
                prefetch.submit(_record_key(name, hashes[name][0]), passages, previous.get(name))
        # With an embedding thread, spaCy keeps to one process: one core each, and no fork while a
        # thread runs (a forked child can inherit a lock held by the other thread).
        done = extract_documents([d for _, d in batch], parts, report.timings,
                                 processes=1 if prefetch is not None else None)
        for (name, _), rec in zip(batch, done):
            sha, size = hashes[name]
            key = _record_key(name, sha)
            store.write_records(key, rec)
            (report.updated if name in files and files[name].get("status") == "ok" else report.added).append(name)
            files[name] = _manifest_entry(rec, sha, size, key, None)
            bar.update(1)


def _collect_garbage(store: Store, files: dict) -> None:
    """Delete record files no manifest entry points at (left by a crash or a change)."""
    keep = {f"{e['record']}{suffix}" for e in files.values() if e.get("record") for suffix in (".json", ".graph.json", ".vec.npz")}
    if store.docs_dir.exists():
        for path in store.docs_dir.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)


def _max_bytes() -> int:
    from .loaders import max_bytes_limit

    return max_bytes_limit()


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, desc: str, enabled: bool):
    if not enabled or total == 0:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="file", file=sys.stderr, leave=False)
