"""`casegraph watch`: ingest new, changed and removed files as they appear in the corpus folder."""

from __future__ import annotations

import queue
import sys
import threading
from pathlib import Path
from typing import Callable, Iterable

from .loaders import SUPPORTED_SUFFIXES
from .merges import MERGES_FILE
from .pipeline import ingest
from .store import Store

__all__ = ["watch", "warm_up"]


def _relevant(change, path: str) -> bool:
    p = Path(path)
    # an edited merge file re-resolves the graph (the ingest reads it; nothing is re-extracted)
    return (p.suffix.lower() in SUPPORTED_SUFFIXES or p.name == MERGES_FILE) and not p.name.startswith((".", "~$"))


def warm_up(store: Store, consumers: Iterable[Callable]) -> None:
    """Let each consumer load what it keeps between ingests (its `warm_up(store)`, if it has one),
    so the first report dropped in costs only its own work."""
    for consumer in consumers:
        hook = getattr(consumer, "warm_up", None)
        if hook is not None:
            hook(store)


def watch(path, store: Store, *, consumers: Iterable[Callable] = (), debounce_ms: int = 1000,
          stop_event=None, log: Callable[[str], None] | None = None) -> None:
    """Ingest once, then again after each burst of changes (debounced) until stopped."""
    from watchfiles import watch as watch_changes

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    consumers = tuple(consumers)
    stop_event = stop_event or threading.Event()
    bursts: queue.Queue = queue.Queue()

    # The watcher starts before the first ingest, so a file dropped in meanwhile is not missed.
    def pump() -> None:
        for changes in watch_changes(path, watch_filter=_relevant, debounce=debounce_ms,
                                     stop_event=stop_event, raise_interrupt=False):
            bursts.put(changes)
        bursts.put(None)

    threading.Thread(target=pump, name="casegraph-watch", daemon=True).start()

    def run() -> None:
        report = ingest(path, store, consumers=consumers, progress=False, log=log)
        for name, reason in report.failed:
            log(f"failed {name}: {reason}")
        log(report.summary())

    log(f"watching {Path(path).resolve()}")
    run()
    warm_up(store, consumers)
    while not stop_event.is_set():
        try:
            changes = bursts.get(timeout=0.5)
        except queue.Empty:
            continue
        except KeyboardInterrupt:
            break
        if changes is None:
            break
        while not bursts.empty():  # fold bursts that queued up during the last ingest into one
            more = bursts.get_nowait()
            if more is None:
                stop_event.set()
                break
            changes |= more
        log("changed: " + ", ".join(sorted({Path(p).name for _, p in changes})))
        run()
