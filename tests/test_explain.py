"""`explain`: why an entity or an edge is in the graph, over a tiny made-up corpus ingested for real."""

from __future__ import annotations

import json

import pytest

import cli
from graph.explain import RESOLUTION_LOG, explain, format_explanation, split_edge
from graph.views import ViewError
from ingest.store import Store

REPORTS = {
    "marrowby.txt": ("Marrowby Borough Council worked in partnership with Kestrel Housing Association on housing.\n\n"
                     "Priya Okonjo, chief executive of Marrowby Borough Council, leads the Tidy Lanes Programme (TLP).\n"),
    "kestrel.txt": ("Kestrel Housing Association repaired homes in Marrowby.\n\n"
                    "In 2023 Kestrel Housing Association worked in partnership with Marrowby Borough Council again.\n"),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """The two reports ingested into a store with its graph (the search indexes are not under test)."""
    from graph.build import refresh
    from ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("explain")
    (root / "corpus").mkdir()
    for name, text in REPORTS.items():
        (root / "corpus" / name).write_text(text, "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEGRAPH_EXTRACT", "rules")
        store = Store(root / "store")
        report = ingest(root / "corpus", store, consumers=(refresh,), progress=False, log=lambda m: None)
    assert report.ok, report.failed
    return store


def test_explain_an_entity_gives_each_documents_stages_and_sentences(store):
    data = explain(store, "marrowby borough council")  # found as the UI's search finds it: case does not matter
    assert data["kind"] == "entity" and data["entity"]["id"] == "organisation:marrowby-borough-council"
    docs = {d["doc"]: d for d in data["documents"]}
    assert set(docs) == {"marrowby.txt", "kestrel.txt"}
    events = docs["marrowby.txt"]["events"]
    assert ("proposed", "name_chunks") in {(e["action"], e["stage"]) for e in events}
    assert ("kept", "resolution") in {(e["action"], e["stage"]) for e in events}
    first = next(e for e in events if e["start"] == 0)
    assert first["sentence"] == ("Marrowby Borough Council worked in partnership with Kestrel Housing Association "
                                 "on housing.")
    # one node from two documents' entities
    assert {m["doc"] for m in data["merges"]} == {"marrowby.txt", "kestrel.txt"}
    assert all(m["why"] == "the same name" for m in data["merges"])


def test_explain_an_edge_gives_the_rule_and_its_cue_words(store):
    data = explain(store, "Priya Okonjo -> Marrowby Borough Council")
    assert data["kind"] == "edge" and [e["relation"] for e in data["edges"]] == ["leads"]
    [doc] = data["documents"]
    [event] = [e for e in doc["events"] if e["action"] == "related"]
    assert event["stage"] == "relation_cues" and "chief executive of" in event["detail"]
    assert event["sentence"].startswith("Priya Okonjo, chief executive of Marrowby Borough Council")
    assert explain(store, "Priya Okonjo", "Marrowby Borough Council")["edges"] == data["edges"]


def test_explain_shows_the_resolution_log_lines_of_the_entity(store):
    log = [{"kept": "Kestrel Housing Association", "merged": "Kestrel Housing", "stage": "vectors", "score": 0.91,
            "why": "close names, same type"},
           {"kept": "Tidy Lanes Programme", "merged": "TLP", "stage": "acronym", "score": None, "why": "initials"}]
    (store.root / RESOLUTION_LOG).write_text(json.dumps(log), "utf-8")
    try:
        data = explain(store, "Kestrel Housing Association")
        assert data["resolution_log"] == log[:1]
        assert "resolution log:" in format_explanation(data)
    finally:
        (store.root / RESOLUTION_LOG).unlink()


def test_explain_an_unknown_name_says_what_is_close(store):
    with pytest.raises(ViewError, match="did you mean: Marrowby Borough Council"):
        explain(store, "Marowby Borugh Counsel")
    assert split_edge("A -> B") == ("A", "B") and split_edge("A → B") == ("A", "B") and split_edge("A-B") is None


def test_cli_explain_prints_the_stages_and_the_sentence(store, capsys):
    assert cli.main(["explain", "Marrowby Borough Council", "--store", str(store.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Marrowby Borough Council (organisation, organisation:marrowby-borough-council)")
    assert "proposed name_chunks" in out and "kept     resolution" in out
    assert 'sentence: "Marrowby Borough Council worked in partnership with Kestrel Housing Association' in out
    assert cli.main(["explain", "Marrowby Borough Council", "--json", "--store", str(store.root)]) == 0
    assert json.loads(capsys.readouterr().out)["entity"]["name"] == "Marrowby Borough Council"
    assert cli.main(["explain", "Nobody At All", "--store", str(store.root)]) == 1
    assert "casegraph explain: no entity named 'Nobody At All'" in capsys.readouterr().err


def test_the_why_panel_renders_the_explanation_escaped(store):
    import ui

    page = ui.render_why(explain(store, "Marrowby Borough Council"))
    assert page.count('class="cg-why-doc"') == 2 and 'data-stage="name_chunks"' in page
    assert "<b>proposed</b> by <code>name_chunks</code> as organisation" in page
    assert "“Marrowby Borough Council worked in partnership with Kestrel Housing Association on housing.”" in page
    assert "/casegraph/doc?name=marrowby.txt&amp;start=0&amp;end=24" in page
    assert "Merged across documents" in page
