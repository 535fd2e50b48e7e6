"""The training corpus's question-answer sets as the answer scorer and `casegraph eval --heldout` read
them: each split of train/corpus.jsonl written out as files and ingested into its own store
(train/.stores/<split>), and the split's questions (train/qa) naming those files."""

from __future__ import annotations

import sys
import time
from pathlib import Path

__all__ = ["STORES", "doc_file", "write_split", "build_store", "questions"]

ROOT = Path(__file__).resolve().parents[1]
STORES = ROOT / "train" / ".stores"


def doc_file(doc_id: str, fmt: str) -> str:
    """The file name a training document is written under (for questions, and by evaluation.modes)."""
    return doc_id.replace("/", "--") + (".md" if fmt == "markdown" else ".txt")


def write_split(split: str, folder: Path) -> dict[str, str]:
    """Write the split's documents into `folder`; returns {doc id: file name}."""
    from train import corpus as C

    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for d in C.read_jsonl():
        if d.split != split:
            continue
        name = doc_file(d.id, d.format)
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != d.text:
            path.write_text(d.text, encoding="utf-8")
        names[d.id] = name
    return names


def build_store(split: str, root: Path = STORES):
    """Ingest the split into root/<split> (incremental: unchanged files are skipped); returns the Store."""
    from app import ingest_and_index
    from ingest.store import Store

    corpus = root / f"{split}-corpus"
    write_split(split, corpus)
    st = Store(root / split)
    t = time.perf_counter()
    report = ingest_and_index(corpus, st, progress=False, log=lambda msg: print(msg, file=sys.stderr))
    print(f"{split}: {report.summary()} ({time.perf_counter() - t:.0f}s)", file=sys.stderr)
    return st


def questions(split: str) -> list[dict]:
    """The QA items of `split`, with `doc` as the file name in that split's store."""
    from train import corpus as C
    from train.qa import load

    fmt = {d.id: d.format for d in C.read_jsonl()}
    items, errors = load()
    if errors:
        raise ValueError(f"train/qa has {len(errors)} errors; run python train/qa.py check")
    return [dict(it, doc=doc_file(it["doc"], fmt[it["doc"]]), doc_id=it["doc"]) for it in items if it["split"] == split]
