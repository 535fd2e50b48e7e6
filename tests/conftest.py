"""Shared test setup: offline, no telemetry, and a fresh store folder for every test."""

import pytest


@pytest.fixture(autouse=True)
def _offline_store(tmp_path, monkeypatch):
    """Keep every test offline and point the store at the test's own tmp folder."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("CASEGRAPH_STORE", str(tmp_path / ".casegraph"))
    # The answer tests pin how answers are built and ranked on made-up reports; withholding under
    # the calibrated threshold is tested on its own (test_scorer.py).
    monkeypatch.setenv("CASEGRAPH_MIN_CONFIDENCE", "0")


# Debian's chromium, driven by Playwright: the browser tests fail if it cannot start (they never skip).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Real headless Chromium, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def engine_for(corpus, store_dir):
    """A warm Engine over `corpus` (a folder or file) ingested for real into `store_dir`."""
    from app import ingest_and_index
    from ingest.store import Store
    from search.engine import Engine

    store = Store(store_dir)
    report = ingest_and_index(corpus, store, progress=False, log=lambda m: None)
    assert report.ok, report.failed
    engine = Engine(store)
    engine.warm()
    return engine


def engine_for_text(tmp_path_factory, name: str, text: str):
    """A warm Engine over one made-up report `name` with `text`."""
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / name).write_text(text, "utf-8")
    return engine_for(corpus, tmp_path_factory.mktemp("store") / "store")


@pytest.fixture(scope="session")
def qa_engine(tmp_path_factory):
    """The made-up QA corpus (tests/data/qa) ingested once through the real pipeline."""
    from pathlib import Path

    return engine_for(Path(__file__).parent / "data" / "qa", tmp_path_factory.mktemp("qa") / "store")
