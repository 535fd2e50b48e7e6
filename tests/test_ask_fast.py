"""A one-shot `casegraph ask` reads the store's own vector files instead of Chroma, and answers
exactly as the Chroma path does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from ingest.store import Store
from search.engine import Engine
from search.index import file_vectors, vector_index

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "data" / "mini"
QUESTIONS = ["Who leads the Riverside Health Partnership board?", "Who chairs the Harbour Learning Network?",
             "Where was the libraries pilot?", "How much did Riverside Borough Council invest?"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    from .conftest import engine_for

    return engine_for(MINI, tmp_path_factory.mktemp("fast") / "store").store


def test_vector_files_rank_as_chroma_does(store):
    engine = Engine(store)
    snapshot = engine.state().snapshot
    files, chroma = file_vectors(store, snapshot), vector_index(store)
    assert files is not None and files.count() == chroma.count() == len(snapshot.passages)
    assert files.embedder == chroma.embedder
    for q in QUESTIONS:
        vec = files.embed_query(q)
        got, want = files.query(vec, k=10), chroma.query(vec, k=10)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], abs=1e-5)


def test_answers_from_vector_files_equal_answers_from_chroma(store):
    chroma, files = Engine(store), Engine(store, vector_files=True)
    for q in QUESTIONS:
        assert asdict(files.ask(q)) == asdict(chroma.ask(q))


def test_vector_files_are_not_used_when_chroma_last_matched_another_state(store, tmp_path):
    copy = Store(tmp_path / "store")
    shutil.copytree(store.root, copy.root)
    (copy.keyword_dir / "SYNCED").write_text("0123456789abcdef 3")
    assert file_vectors(copy, Engine(copy).state().snapshot) is None
    assert Engine(copy, vector_files=True).ask(QUESTIONS[0]).answer == Engine(store).ask(QUESTIONS[0]).answer


def test_cli_ask_imports_neither_chromadb_nor_torch(store):
    code = ("import sys, cli\ncli.main(['ask', sys.argv[1], '--json', '--store', sys.argv[2]])\n"
            "print('HEAVY', [m for m in ('chromadb', 'torch') if m in sys.modules], file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, QUESTIONS[1], str(store.root)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert "HEAVY []" in done.stderr, done.stderr
    assert json.loads(done.stdout) == json.loads(json.dumps(asdict(Engine(store).ask(QUESTIONS[1])), ensure_ascii=False))


def test_source_scores_read_in_rank_order(store):
    engine = Engine(store, vector_files=True)
    for q in QUESTIONS:
        scores = [s.score for s in engine.ask(q).sources]
        assert scores == sorted(scores, reverse=True), (q, scores)


def test_the_answerers_word_counts_come_with_the_segments_and_match_a_recount(store):
    """The IDF the answerer weighs evidence by is counted at ingest, per document, so a new process
    does not tokenise every passage; the stored counts are the ones a recount gives."""
    from ingest.text import stem
    from search.keyword import content_stems

    snapshot = Engine(store).state().snapshot
    recount: dict[str, int] = {}
    for p in snapshot.passages:
        for w in set(content_stems(p.text)[1]):
            recount[w] = recount.get(w, 0) + 1
    assert snapshot.stem_df and snapshot.stem_df == recount
    assert recount[stem("pilot")] >= 1  # the mini corpus's own words are in it


def test_a_store_indexed_before_the_counts_were_kept_still_answers(store, tmp_path):
    """Segments written by an older casegraph have no word counts: the answerer counts them itself."""
    from search.index import load_snapshot

    old = Store(tmp_path / "old")
    shutil.copytree(store.root, old.root)
    for meta in (old.keyword_dir / "segments").glob("*.json"):
        data = json.loads(meta.read_text("utf-8"))
        del data["stem_df"]
        meta.write_text(json.dumps(data), "utf-8")
    assert load_snapshot(old).stem_df is None
    got, want = Engine(old).ask(QUESTIONS[1]), Engine(store).ask(QUESTIONS[1])
    assert got.answer and got.answer == want.answer
