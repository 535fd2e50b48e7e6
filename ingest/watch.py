"""`casegraph watch`: ingest new, changed and removed files as they appear in the corpus folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Iterable

from .loaders import SUPPORTED_SUFFIXES
from .pipeline import ingest
from .store import Store

__all__ = ["watch"]


def _relevant(change, path: str) -> bool:
    p = Path(path)
    return p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith((".", "~$"))


def watch(path, store: Store, *, consumers: Iterable[Callable] = (), debounce_ms: int = 1000,
          stop_event=None, log: Callable[[str], None] | None = None) -> None:
    """Ingest once, then again after each burst of changes (debounced) until interrupted."""
    from watchfiles import watch as watch_changes

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    consumers = tuple(consumers)
    report = ingest(path, store, consumers=consumers, progress=False, log=log)
    log(f"watching {Path(path).resolve()} — {report.summary()}")
    for changes in watch_changes(path, watch_filter=_relevant, debounce=debounce_ms, stop_event=stop_event,
                                 raise_interrupt=False):
        names = sorted({Path(p).name for _, p in changes})
        log(f"changed: {', '.join(names)}")
        report = ingest(path, store, consumers=consumers, progress=False, log=log)
        for name, reason in report.failed:
            log(f"failed {name}: {reason}")
        log(report.summary())
