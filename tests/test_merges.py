"""The researcher's merge file and near-duplicate merging, through the real pipeline on a tiny
made-up corpus: rules merge, keep apart, rename and retype, survive re-ingests, and every decision
lands in the store's resolution log."""

import json

import pytest

from graph.build import refresh
from ingest.merges import MERGES_FILE, MergeFileError, parse_merges
from ingest.near_duplicates import NameGroup, VectorMerge, guard, near_pairs
from ingest.pipeline import ingest, scan
from ingest.store import Store

REPORTS = {
    "a.txt": "Green Doors annual note\n\nHarrowby Borough Council leads the Green Doors programme. Jane Okafor is "
             "chief executive of Harrowby Borough Council. Harrowby Borough Council worked in partnership with "
             "Oakridge Community Trust in 2021.\n",
    "b.txt": "Housing advice note\n\nHarrowby Council funded Tidewell Arts in 2022. The Green Doors programme is run "
             "by Harrowby Council.\n",
    "c.txt": "Fenmoor learning review\n\nFenmoor Council commissioned Brightwater Consulting in 2023. Fenmoor Council "
             "worked in partnership with Oakridge Community Trust.\n",
}

RULES = """\
# the two names of one council
[[merge]]
names = ["Harrowby Council", "Harrowby Borough Council"]
type = "organisation"

[[rename]]
from = "Brightwater Consulting"
to = "Brightwater Consulting Group"

[[retype]]
name = "Tidewell Arts"
type = "programme"
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def _ingest(corpus, store):
    return ingest(corpus, store, consumers=(refresh,), progress=False, log=lambda m: None)


def _nodes(store) -> dict:
    return {n["id"]: n for n in json.loads(store.graph_path.read_text("utf-8"))["nodes"]}


def _log(store) -> list[dict]:
    return json.loads(store.resolution_log_path.read_text("utf-8"))


def test_merge_file_merges_renames_retypes_and_survives_reingest(corpus, tmp_path):
    store = Store(tmp_path / "store")
    assert _ingest(corpus, store).ok
    nodes = _nodes(store)
    assert {"organisation:harrowby-council", "organisation:harrowby-borough-council"} <= set(nodes)  # no rule yet

    (corpus / MERGES_FILE).write_text(RULES, "utf-8")
    report = _ingest(corpus, store)
    assert report.ok and sorted(report.unchanged) == sorted(REPORTS)  # nothing re-extracted
    nodes = _nodes(store)
    council = nodes["organisation:harrowby-borough-council"]
    assert "organisation:harrowby-council" not in nodes
    assert council["docs"] == ["a.txt", "b.txt"] and "Harrowby Council" in council["aliases"]
    assert "organisation:brightwater-consulting" not in nodes
    assert nodes["organisation:brightwater-consulting-group"]["aliases"] == ["Brightwater Consulting"]
    assert nodes["programme:tidewell-arts"]["type"] == "programme" and "organisation:tidewell-arts" not in nodes
    edges = json.loads(store.graph_path.read_text("utf-8"))["edges"]
    assert all(e["source"] in nodes and e["target"] in nodes for e in edges)

    log = _log(store)
    assert {"kept": "organisation:harrowby-borough-council", "merged": "Harrowby Council", "stage": "merge-file",
            "score": None, "why": f'{MERGES_FILE} line 2 merges "Harrowby Council" and "Harrowby Borough Council"'} in log
    assert any(d["stage"] == "rename" and d["kept"] == "organisation:brightwater-consulting-group"
               and d["merged"] == "Brightwater Consulting" and "line 6" in d["why"] for d in log)
    assert any(d["kept"] == "programme:tidewell-arts" and "retypes" in d["why"] for d in log)

    built, logged = store.graph_path.read_bytes(), store.resolution_log_path.read_bytes()
    assert _ingest(corpus, store).ok  # a re-ingest keeps the rules' effect
    assert store.graph_path.read_bytes() == built and store.resolution_log_path.read_bytes() == logged
    fresh = Store(tmp_path / "fresh")  # and a store built anew gives the same bytes
    assert _ingest(corpus, fresh).ok
    assert fresh.graph_path.read_bytes() == built and fresh.resolution_log_path.read_bytes() == logged

    (corpus / MERGES_FILE).unlink()  # rules removed: the graph goes back to the resolver's own
    assert _ingest(corpus, store).ok
    assert "organisation:harrowby-council" in _nodes(store) and _log(store) == []


def test_malformed_merge_file_names_file_and_line_and_the_ingest_goes_on(corpus, tmp_path):
    store = Store(tmp_path / "store")
    (corpus / MERGES_FILE).write_text('[[merge]]\nnames = ["Harrowby Council", "Harrowby Borough Council"]\n'
                                      '\n[[rename]]\nfrom = "Brightwater Consulting"\n', "utf-8")
    report = _ingest(corpus, store)
    assert sorted(report.added) == sorted(REPORTS)  # the reports were ingested
    [(name, reason)] = report.failed
    assert name == MERGES_FILE
    assert f"{MERGES_FILE}, line 4: [[rename]] needs 'to'" in reason and "fix the rule" in reason
    assert "without the file's rules" in reason
    nodes = _nodes(store)  # resolution ran without the file's rules: no merge
    assert {"organisation:harrowby-council", "organisation:harrowby-borough-council"} <= set(nodes)

    (corpus / MERGES_FILE).write_text('[[merge]]\nnames = ["Harrowby Council", "Harrowby Borough Council"]\n', "utf-8")
    report = _ingest(corpus, store)  # fixed: the next ingest applies it
    assert report.ok and "organisation:harrowby-council" not in _nodes(store)


@pytest.mark.parametrize("text, line, says", [
    ('[[merge]]\nnames = ["A Trust",\nB Trust]\n', 3, "not valid TOML"),
    ('[[merge]]\nnames = ["A Trust", "B Trust"\n', 2, "Unclosed array"),
    ('[[merge]]\nnames = ["A Trust"]\n', 1, "two or more"),
    ('[[merge]]\nnames = ["A Trust", "B Trust"]\n\n[[merges]]\nnames = ["C", "D"]\n', 4, "unknown section 'merges'"),
    ('[[retype]]\nname = "A Trust"\ntype = "charity"\n', 1, "not an entity type"),
    ('[[merge]]\nnames = ["A Trust", "B Trust"]\n[[never]]\nnames = ["B Trust", "A Trust"]\n', 3, "line 1 joins"),
])
def test_merge_file_errors_name_the_line_and_the_fix(text, line, says):
    with pytest.raises(MergeFileError) as err:
        parse_merges(text, "corpus/" + MERGES_FILE)
    message = str(err.value)
    assert message.startswith(f"corpus/{MERGES_FILE}") and f"line {line}" in message and says in message


def test_merge_file_is_never_read_as_a_report(corpus):
    (corpus / MERGES_FILE).write_text(RULES, "utf-8")
    _, found, skipped, _ = scan(corpus)
    assert MERGES_FILE not in found and not skipped
    from ingest.watch import _relevant

    assert _relevant(None, str(corpus / MERGES_FILE))  # watch re-ingests when it is edited


def test_vector_merge_joins_a_near_duplicate_and_never_keeps_them_apart(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEGRAPH_VECTOR_MERGE", "on")
    store = Store(tmp_path / "store")
    assert _ingest(corpus, store).ok
    nodes = _nodes(store)
    assert "organisation:harrowby-council" not in nodes
    assert nodes["organisation:harrowby-borough-council"]["docs"] == ["a.txt", "b.txt"]
    assert nodes["organisation:fenmoor-council"]["docs"] == ["c.txt"]  # a different body stays apart
    [vector] = [d for d in _log(store) if d["stage"] == "vector"]
    assert vector["kept"] == "organisation:harrowby-borough-council" and vector["merged"] == "Harrowby Council"
    assert vector["score"] >= 0.85 and "guard" in vector["why"]
    assert store.name_vectors_path.exists()

    (corpus / MERGES_FILE).write_text('[[never]]\nnames = ["Harrowby Council", "Harrowby Borough Council"]\n', "utf-8")
    assert _ingest(corpus, store).ok
    nodes = _nodes(store)
    assert {"organisation:harrowby-council", "organisation:harrowby-borough-council"} <= set(nodes)
    [never] = [d for d in _log(store) if d["stage"] == "never"]
    assert {never["kept"], never["merged"]} == {"organisation:harrowby-council", "organisation:harrowby-borough-council"}
    assert f"{MERGES_FILE} line 1 keeps" in never["why"] and "refused a vector merge" in never["why"]

    monkeypatch.setenv("CASEGRAPH_VECTOR_MERGE", "off")  # a setting change alone rebuilds the graph
    (corpus / MERGES_FILE).unlink()
    assert _ingest(corpus, store).ok
    assert "organisation:harrowby-council" in _nodes(store)


def test_guard_lets_kind_words_and_slips_through_but_not_other_words():
    assert guard("Harrowby Council", "Harrowby Borough Council")
    assert guard("Harrowby Borough Council", "Harowby Borough Council")
    assert guard("Harrowby Council", "Fenmoor Council") is None
    assert guard("Harrowby County Council", "Harrowby City Council") is None
    assert guard("Management Team", "Corporate Management Team") is None


def test_near_pairs_reads_acronyms_and_embeds_only_candidates():
    from search.embed import embedder

    emb = embedder()
    groups = [NameGroup("organisation", ("Harrowby Borough Council",), frozenset({"a.txt"})),
              NameGroup("organisation", ("Harrowby Council",), frozenset({"b.txt"})),
              NameGroup("organisation", ("HBC",), frozenset({"c.txt"})),
              NameGroup("organisation", ("Fenmoor Council",), frozenset({"c.txt"})),
              NameGroup("organisation", ("Harrowby Trust",), frozenset({"a.txt"}))]  # shares a.txt: never paired
    vm = VectorMerge(0.85, lambda names: emb(names, threads=1))
    pairs = near_pairs(groups, vm)
    assert [(i, j, stage) for i, j, stage, _, _ in pairs] == [(0, 2, "alias"), (0, 1, "vector")]
    assert vm.used == {"Harrowby Borough Council", "Harrowby Council"}
