"""Extraction evaluated by mode (evaluation/modes.py) and relation scoring by type, on made-up data."""

import json

import pytest

from evaluation.modes import evaluate_relations, format_table, run
from ingest.records import Entity, Relation

GOLD = [{"doc": "a.txt", "organisations": ["Wrenfield Trust", "Brackenford District Council"], "people": [],
         "programmes": ["Open Doors"], "places": ["Lowmere"], "partnerships": [],
         "relations": [["Wrenfield Trust", "funds", "Open Doors"], ["Brackenford District Council", "runs", "Open Doors"],
                       ["Open Doors", "located_in", "Lowmere"]]}]


def _ent(id_, name, type_):
    return Entity(id=id_, type=type_, name=name, docs=("a.txt",))


def _rel(s, t, r):
    return Relation(source=s, target=t, relation=r, doc="a.txt", evidence="...", start=0, end=3)


def test_relations_are_scored_per_type_and_as_any_edge():
    ents = [_ent("o:w", "Wrenfield Trust", "organisation"), _ent("o:b", "Brackenford District Council", "organisation"),
            _ent("p:o", "Open Doors", "programme"), _ent("pl:l", "Lowmere", "place")]
    rels = [_rel("o:w", "p:o", "funds"),            # right
            _rel("p:o", "o:b", "partners_with"),    # the right ends, the wrong type
            _rel("o:w", "o:b", "partners_with"),    # not stated
            _rel("o:w", "pl:l", "mentioned_with")]  # weak edges are not relations
    rows = evaluate_relations(GOLD, ents, rels)
    assert rows["funds"] == {"precision": 1.0, "recall": 1.0, "predicted": 1, "gold": 1}
    assert rows["runs"]["recall"] == 0.0 and rows["located_in"]["recall"] == 0.0
    assert rows["partners_with"]["precision"] == 0.0 and rows["partners_with"]["predicted"] == 2
    assert rows["typed"]["precision"] == pytest.approx(1 / 3) and rows["typed"]["recall"] == pytest.approx(1 / 3)
    assert rows["any edge"]["recall"] == pytest.approx(2 / 3)  # funds, and runs found as a wrongly typed edge


def test_modes_table_on_a_small_annotated_folder(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Brackenford District Council runs Open Doors in Lowmere. The scheme is funded by the Wrenfield Trust.\n",
        encoding="utf-8")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps(GOLD), encoding="utf-8")
    result = run([("mini", folder, gold)], ["rules"])
    row = result["mini"]["rules"]
    assert set(row) >= {"organisation", "person", "programme", "place", "partnerships", "relations", "prf"}
    assert row["organisation"] == pytest.approx(1.0)
    assert row["relations"]["typed"]["gold"] == 3
    table = format_table(result)
    assert "mini" in table and "rules" in table


def test_both_never_seen_splits_are_written_out_with_their_gold_and_questions(tmp_path):
    """The fresh split (train/fresh) is measured like the held-out one: files, gold lists, questions
    naming those files; and the two splits share no document."""
    from evaluation.modes import heldout_set
    from evaluation.qa_sets import questions

    names = {}
    for split in ("fresh", "heldout"):
        (tmp_path / split).mkdir()
        files, gold = heldout_set(tmp_path / split, split)
        assert files and len(files) == len(gold)
        assert all(f.exists() and f.read_text("utf-8").strip() for f in files)
        names[split] = {f.name for f in files}
        asked = {it["doc"] for it in questions(split)}
        assert asked and asked <= names[split]
    assert not names["fresh"] & names["heldout"]
    assert all(n.startswith("fresh--") for n in names["fresh"])
