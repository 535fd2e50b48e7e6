"""The extraction trace: each named stage's proposals, drops, retypes, merges and relations, on made-up text."""

from __future__ import annotations

import pytest

from ingest.extract import _Cand, _select, _staffed_places, extract
from ingest.records import DocRecords, Document, TraceEvent, from_dict, to_dict
from ingest.trace import Tracer

TEXT = ("Marrowby Borough Council worked in partnership with Kestrel Housing Association on housing.\n\n"
        "Priya Okonjo, chief executive of Marrowby Borough Council, leads the Tidy Lanes Programme (TLP).\n\n"
        "The TLP team met the Kenmore Public Estate (KPE) team in Marrowby.\n")


@pytest.fixture(scope="module")
def records() -> DocRecords:
    """The made-up text extracted by the rules (the trained recogniser, when installed, is not under test)."""
    from ingest.nlp import parse

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEGRAPH_EXTRACT", "rules")
        document = Document(doc="marrowby.txt", text=TEXT, title="Marrowby", format="txt", sha256="0")
        return extract(document, parse([TEXT])[0])


def _events(records, **match) -> list[TraceEvent]:
    return [e for e in records.trace if all(getattr(e, k) == v for k, v in match.items())]


def test_the_trace_names_the_stage_that_proposed_a_body(records):
    proposed = _events(records, action="proposed", name="Marrowby Borough Council")
    assert "name_chunks" in {e.stage for e in proposed}  # typed by its head word, 'Council'
    first = min(proposed, key=lambda e: e.start)
    assert (first.start, first.end) == (0, 24) and first.entity == "organisation:marrowby-borough-council"
    assert TEXT[first.sent_start:first.sent_end].startswith("Marrowby Borough Council worked in partnership")


def test_a_candidate_dropped_by_selection_names_the_one_that_won(records):
    dropped = [e for e in _events(records, stage="select", action="dropped", name="Priya Okonjo")]
    assert dropped, [e for e in records.trace if e.stage == "select"]
    # spaCy's person label loses to the role apposition ('Priya Okonjo, chief executive of ...') on the same span
    assert "'Priya Okonjo'" in dropped[0].detail and "role_appositions" in dropped[0].detail
    kept = _events(records, action="proposed", stage="role_appositions", name="Priya Okonjo")
    assert kept and kept[0].entity == "person:priya-okonjo"


def test_passes_retype_and_resolution_merges_are_traced(records):
    retyped = _events(records, stage="staffed_places", action="retyped", name="Kenmore Public Estate")
    assert retyped and retyped[0].type == "organisation" and retyped[0].detail.startswith("place -> organisation")
    merged = _events(records, action="merged", name="TLP", stage="defined_acronyms")
    assert merged and merged[0].entity == "programme:tidy-lanes-programme"
    assert "Tidy Lanes Programme" in merged[0].detail
    kept = {e.entity for e in _events(records, action="kept", stage="resolution")}
    assert kept == {e.id for e in records.entities}


def test_each_relation_is_traced_with_its_rule_and_cue_words(records):
    related = _events(records, action="related")
    assert {(e.entity, e.target, e.type) for e in related} == {(r.source, r.target, r.relation) for r in records.relations}
    works = [e for e in related if e.entity == "person:priya-okonjo" and e.target == "organisation:marrowby-borough-council"]
    assert works and works[0].stage == "relation_cues" and "chief executive of" in works[0].detail
    assert works[0].score is None  # the cue rules give no probability; the classifier's events carry one


def test_the_trace_survives_a_store_round_trip_and_old_records_load_without_one(records):
    again = from_dict(DocRecords, to_dict(records))
    assert again == records and isinstance(again.trace[0], TraceEvent)
    old = to_dict(records)
    del old["trace"]
    assert from_dict(DocRecords, old).trace == ()


def test_a_stage_is_watched_for_what_it_adds_drops_and_retypes():
    text = "the Kenmore Public Estate (KPE) team and the Dale Park"
    estate, park = _Cand(4, 25, "place", 4, stage="name_chunks"), _Cand(44, 53, "place", 4, stage="name_chunks")
    tracer = Tracer("t.txt", text)
    out = tracer.stage(_staffed_places, lambda cs: _staffed_places(text, cs), [estate, park])
    assert out == [estate, park]
    [(stage, action, s, e, type_, *_rest)] = tracer._raw
    assert (stage, action, (s, e), type_) == ("staffed_places", "retyped", (4, 25), "organisation")
    # a stage that drops one and adds another
    extra = _Cand(44, 48, "place", 1)
    tracer.stage(_select, lambda cs: [estate, extra], [estate, park])
    actions = {(r[0], r[1], r[2], r[3]) for r in tracer._raw[1:]}
    assert actions == {("select", "proposed", 44, 48), ("select", "dropped", 44, 53)}
    assert extra.stage == "select"


def test_selection_reports_each_loser_with_its_winner():
    long, short = _Cand(0, 20, "organisation", 4), _Cand(5, 12, "person", 3)
    lost: list = []
    assert _select([short, long], lost) == [long]
    assert lost == [(short, long)]


@pytest.mark.parametrize("mode", ["combined", "model"])
def test_the_recognisers_entities_are_proposed_by_the_model_stage(mode, monkeypatch):
    from spacy.tokens import Span

    from ingest.nlp import MODEL_SPAN_KEY, parse

    sdoc = parse([TEXT])[0]
    # a stand-in for the trained recogniser's output: the recogniser is not under test here
    sdoc.spans[MODEL_SPAN_KEY] = [Span(sdoc, 0, 3, label="ORG")]  # 'Marrowby Borough Council'
    monkeypatch.setenv("CASEGRAPH_EXTRACT", mode)
    document = Document(doc="marrowby.txt", text=TEXT, title="Marrowby", format="txt", sha256="0")
    rec = extract(document, sdoc)
    [event] = [e for e in rec.trace if e.stage == "model" and e.action == "proposed"]
    assert (event.name, event.type, event.score) == ("Marrowby Borough Council", "organisation", None)
    assert event.entity == "organisation:marrowby-borough-council"
