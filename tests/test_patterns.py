"""The extractor's word lists, read from the data files in ingest/data/."""

from __future__ import annotations

import pytest

from ingest import patterns as P


def test_word_lists_read_one_entry_a_line_without_comments(tmp_path, monkeypatch):
    (tmp_path / "heads.txt").write_text("# heads of names\n\ncouncil   # a body\nnorth east\n", "utf-8")
    (tmp_path / "sectors.txt").write_text("# word sector\ncouncil council\nteam -\n", "utf-8")
    monkeypatch.setattr(P, "_DATA", tmp_path)
    assert P._words("heads.txt") == {"council", "north east"}
    assert P._sectors("sectors.txt") == {"council": "council", "team": None}
    (tmp_path / "bad.txt").write_text("council\n", "utf-8")
    with pytest.raises(RuntimeError, match="bad.txt: 'council' needs a word and a sector"):
        P._sectors("bad.txt")
    with pytest.raises(RuntimeError, match="cannot read the word list .*missing.txt"):
        P._words("missing.txt")


def test_the_shipped_lists_load_as_the_sets_the_rules_use():
    assert P.ORG_SUFFIX["council"] == "council" and P.ORG_SUFFIX["executive"] is None
    assert P.ORG_PREFIX["department"] == "central_government"
    assert {"yorkshire and the humber", "south west"} <= P.REGIONS
    assert {"dr", "dr.", "cllr"} <= P.TITLES and "obe" in P.POST_NOMINALS
    assert "programme" in P.PROGRAMME_SUFFIX and "centre" in P.PLACE_SUFFIX
    assert "chief" in P.ROLE_WORDS and "deputy" in P.ROLE_MODIFIERS
    assert "covid-19" in P.GENERIC_SINGLE and "a&e" in P.ABBREVIATIONS
    assert not any(w.startswith("#") or w != w.strip() for w in P.ROLE_WORDS | P.REGIONS | set(P.ORG_SUFFIX))
