"""Scale-out: with CASEGRAPH_CHROMA_URL set, the dense index lives in a Chroma server.

Starts the real `chroma run` (shipped with chromadb) on a free loopback port, ingests the fixture
corpus into it, answers questions, and stops the server.
"""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import app
from bench.measure import stop_process
from ingest.pipeline import ingest
from ingest.store import Store
from search.engine import Engine
from search.index import load_snapshot, vector_index

DATA = Path(__file__).parent / "data" / "mini"
CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_url(tmp_path, monkeypatch):
    """A fresh `chroma run` on a free loopback port; CASEGRAPH_CHROMA_URL points at it."""
    if not CHROMA.exists():
        pytest.fail(f"{CHROMA} is missing: chromadb ships the `chroma` command; run `make setup`")
    port = _free_port()
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("chroma run did not start: " + (tmp_path / "chroma.log").read_text(errors="replace")[-800:])
            time.sleep(0.2)
        monkeypatch.setenv("CASEGRAPH_CHROMA_URL", url)
        yield url
    finally:
        stop_process(proc)
        log.close()


def _server_collection(url: str, store: Store):
    """The store's own collection on the server (each store gets one unless one is named)."""
    import chromadb

    name = vector_index(store).name
    from chromadb.config import Settings

    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=Settings(anonymized_telemetry=False))
    return client.get_collection(name)


def test_ingest_and_ask_against_a_chroma_server(chroma_url, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    store = Store(tmp_path / "store")
    report = ingest(corpus, store, consumers=app.consumers(), progress=False, log=lambda m: None)
    assert report.ok and len(report.added) == 2

    # the vectors are in the server, not in the store folder
    assert not store.chroma_dir.exists()
    passages = load_snapshot(store).passages
    served = _server_collection(chroma_url, store).get(include=["metadatas"])
    assert set(served["ids"]) == {p.id for p in passages}
    assert {m["doc"] for m in served["metadatas"]} == {"harbour-learning.md", "riverside-partnership.txt"}

    # dense-only retrieval can only come from the server
    engine = Engine(store)
    dense = engine.ask("Which council invested in community groups?", mode="dense")
    assert dense.sources and dense.sources[0].doc == "riverside-partnership.txt"
    ans = engine.ask("Who leads the Riverside Health Partnership board?")
    assert "Maria Okafor" in [c.name for c in ans.candidates[:3]]
    assert any("Maria Okafor" in s.passage for s in ans.sources)

    # unchanged corpus: nothing re-embedded, the server keeps the same passages
    again = ingest(corpus, store, consumers=app.consumers(), progress=False, log=lambda m: None)
    assert sorted(again.unchanged) == ["harbour-learning.md", "riverside-partnership.txt"]
    assert again.timings.get("embedded", 0) == 0
    assert _server_collection(chroma_url, store).count() == len(passages)


def test_a_removed_report_leaves_the_server_index(chroma_url, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA, corpus)
    store = Store(tmp_path / "store")
    ingest(corpus, store, consumers=app.consumers(), progress=False, log=lambda m: None)
    (corpus / "harbour-learning.md").unlink()
    report = ingest(corpus, store, consumers=app.consumers(), progress=False, log=lambda m: None)
    assert report.removed == ["harbour-learning.md"]
    served = _server_collection(chroma_url, store).get(include=["metadatas"])
    assert served["ids"] and {m["doc"] for m in served["metadatas"]} == {"riverside-partnership.txt"}
