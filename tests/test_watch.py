"""`casegraph watch` picks up new, changed and removed files; a live Engine sees them."""

import shutil
import threading
import time
from pathlib import Path

import app
from ingest.store import Store
from ingest.watch import watch
from search.engine import Engine

DATA = Path(__file__).parent / "data" / "mini"


def _wait_for(predicate, timeout=180.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_watch_ingests_changes_and_a_running_engine_sees_them(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    store = Store(tmp_path / "store")
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(corpus, store),
                              kwargs=dict(consumers=app.consumers(), debounce_ms=200, stop_event=stop,
                                          log=lambda m: None), daemon=True)
    thread.start()
    try:
        assert _wait_for(lambda: len(store.read_manifest()["files"]) == 2)
        engine = Engine(store)
        assert engine.document("new-report.txt") is None

        (corpus / "new-report.txt").write_text(
            "The Lakeside Food Network was set up by Lakeside City Council in 2021.\n\n"
            "Grace Whitfield, director of the Lakeside Food Network, said 340 families were helped.\n")
        assert _wait_for(lambda: "new-report.txt" in store.read_manifest()["files"])
        assert _wait_for(lambda: engine.document("new-report.txt") is not None)
        sources = engine.ask("Who is director of the Lakeside Food Network?").sources
        assert sources and sources[0].doc == "new-report.txt"

        (corpus / "new-report.txt").unlink()
        assert _wait_for(lambda: "new-report.txt" not in store.read_manifest()["files"])
        assert _wait_for(lambda: engine.document("new-report.txt") is None)
    finally:
        stop.set()
        thread.join(timeout=10)
