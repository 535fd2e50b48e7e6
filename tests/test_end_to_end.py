"""End to end: ingest the bundled corpus into a temp store and answer three dev questions with the
right cited document (the questions are copied in tests/data/dev_questions_sample.json)."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = json.loads((Path(__file__).parent / "data" / "dev_questions_sample.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    import app
    from ingest.pipeline import ingest
    from ingest.store import Store
    from search.engine import Engine

    store = Store(tmp_path_factory.mktemp("e2e") / "store")
    report = ingest(ROOT / "corpus", store, consumers=app.consumers(), progress=False, log=lambda m: None)
    assert report.ok, report.failed
    return Engine(store)


@pytest.mark.parametrize("item", SAMPLE, ids=[q["id"] for q in SAMPLE])
def test_dev_sample_answers_with_cited_document(engine, item):
    from evaluation.answers import score_answer

    ans = engine.ask(item["q"])
    flags = score_answer(ans, item)
    assert flags["answer@1"], (ans.answer, item["answers"])
    assert ans.sources[0].doc == item["doc"]
    assert flags["evidence@3"]
