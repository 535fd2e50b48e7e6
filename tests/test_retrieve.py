"""Retrieval modes over a real store: hybrid fuses BM25 and dense; baselines use one retriever."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "qa"


@pytest.fixture(scope="module")
def engine(qa_engine):
    return qa_engine


def test_modes_rank_the_passage_that_answers(engine):
    from search.question import parse
    from search.retrieve import retrieve

    st = engine.state()
    text = "Who leads the Lanterns Network?"
    for mode in ("hybrid", "dense", "bm25"):
        hits = retrieve(st, engine.vectors, text, k=3, mode=mode, question=parse(text, st))
        assert hits, mode
        assert "Tobias Wren" in st.snapshot.passages[hits[0].index].text, mode
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    bm25 = retrieve(st, engine.vectors, text, k=5, mode="bm25")
    assert all(h.dense == 0.0 and h.bm25 > 0 for h in bm25)
    dense = retrieve(st, engine.vectors, text, k=5, mode="dense")
    assert all(h.bm25 == 0.0 for h in dense)
    hybrid = retrieve(st, engine.vectors, text, k=5, mode="hybrid")
    assert any(h.dense and h.bm25 for h in hybrid)


def test_unknown_mode_and_empty_query(engine):
    from search.retrieve import retrieve

    st = engine.state()
    assert retrieve(st, engine.vectors, "   ") == []
    with pytest.raises(ValueError, match="mode"):
        retrieve(st, engine.vectors, "x", mode="sparse")
