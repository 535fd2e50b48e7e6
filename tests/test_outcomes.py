"""Outcome records: a stated result read into fields, on made-up sentences."""

from __future__ import annotations

import pytest

from ingest.outcomes import parse_outcome, theme_of

CASES = [
    # sentence, quantity, metric, value, unit, direction, baseline, period
    ("The Harrowgate scheme cut repeat homelessness by 30% in its first year.", "30%",
     "repeat homelessness", 30.0, "percent", "decrease", None, "in its first year"),
    ("Repeat homelessness fell from 40% to 28% between 2021 and 2023.", "28%",
     "Repeat homelessness", 28.0, "percent", "decrease", "40%", "between 2021 and 2023"),
    ("The Lanmore pilot led to 12% fewer A&E attendances compared with the previous year.", "12%",
     "A&E attendances", 12.0, "percent", "decrease", "compared with the previous year", None),
    ("Residents saved £2.5 million on energy bills over three years.", "£2.5 million",
     "energy bills", 2_500_000.0, "gbp", "decrease", None, "over three years"),
    ("Brightwater Works helped 1,200 households into work in 2022.", "1,200",
     "households into work", 1200.0, "households", "none", None, "in 2022"),
    ("The council invested £10 million over a four-year period.", "£10 million",
     "investment", 10_000_000.0, "gbp", "none", None, "over a four-year period"),
    ("Employment among care leavers rose by 15 per cent against a target of 10 per cent.", "15 per cent",
     "Employment among care leavers", 15.0, "percent", "increase", "against a target of 10 per cent", None),
    ("The Fenwick project supported 340 young people across the borough.", "340",
     "young people", 340.0, "people", "none", None, None),
    ("There was a 25% reduction in evictions from council homes during 2023.", "25%",
     "evictions", 25.0, "percent", "decrease", None, "during 2023"),
    ("Delayed transfers of care dropped 18% in 2019/20.", "18%",
     "Delayed transfers of care", 18.0, "percent", "decrease", None, "in 2019/20"),
    ("Reoffending among young people was 9% lower than the national average.", "9%",
     "Reoffending among young people", 9.0, "percent", "decrease", "lower than the national average", None),
    ("The Marlow partnership created 85 new apprenticeships each year.", "85",
     "apprenticeships", 85.0, "count", "increase", None, "each year"),
    ("Orchard Lane Trust carried a pension deficit of £800 million.", "£800 million",
     "pension deficit", 800_000_000.0, "gbp", "none", None, None),
    ("Kelham Arts raises 70 per cent of its £4.5 million annual cost from ticket sales.", "70 per cent",
     "annual cost", 70.0, "percent", "none", None, None),
    ("The lead passed to the £80 million Dunlin Fund.4 That changed things.", "£80 million",
     "Dunlin Fund", 80_000_000.0, "gbp", "none", None, None),
    ("The Fenmoor grant awarded £80,000 to Kelby Council in 2021.", "£80,000",
     "funding awarded", 80_000.0, "gbp", "none", None, "in 2021"),
    ("Average waits for a home care package were cut to 9 days by 2022.", "9",
     "Average waits for a home care package", 9.0, "days", "decrease", None, "by 2022"),
]


@pytest.mark.parametrize("sentence,quantity,metric,value,unit,direction,baseline,period", CASES)
def test_a_stated_result_reads_into_fields(sentence, quantity, metric, value, unit, direction, baseline, period):
    o = parse_outcome(sentence, quantity)
    assert (o.metric, o.value, o.unit, o.direction, o.baseline, o.period) == \
        (metric, pytest.approx(value), unit, direction, baseline, period)
    assert o.value_text == quantity


def test_the_start_of_a_from_to_change_is_not_a_second_record():
    assert parse_outcome("Repeat homelessness fell from 40% to 28% between 2021 and 2023.", "40%") is None


def test_an_approximate_count_is_no_change():
    o = parse_outcome("The service has reached more than 300 families since 2020.", "300")
    assert (o.unit, o.direction, o.period) == ("households", "none", "since 2020")


def test_offsets_pick_the_quantity_when_a_number_repeats():
    sentence = "Waiting lists grew by 5% before the scheme and fell by 5% after it."
    second = sentence.rindex("5%")
    assert parse_outcome(sentence, (second, second + 2)).direction == "decrease"
    assert parse_outcome(sentence, (sentence.index("5%"), sentence.index("5%") + 2)).direction == "increase"


def test_years_and_web_addresses_are_not_results():
    from ingest.outcomes import QUANTITY, _not_a_result

    text = "Reviews continue from 2025/26 onwards; see www.example.org/report/748 pages, note 5 https://example.org."
    assert all(_not_a_result(text, q) for q in QUANTITY.finditer(text))
    assert not _not_a_result("It saved £2m.", QUANTITY.search("It saved £2m."))


def test_a_quantity_the_sentence_lacks_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'12%' is not in the sentence"):
        parse_outcome("Nothing changed.", "12%")


@pytest.mark.parametrize("metric,sentence,theme", [
    ("repeat homelessness", "", "housing"),
    ("A&E attendances", "", "health"),
    ("households into work", "", "housing"),
    ("apprenticeships", "", "employment"),
    ("reoffending", "", "justice"),
    ("Delayed transfers of care", "", "social care"),
    ("school exclusions", "", "children"),
    ("investment", "The council invested £10 million.", "money"),
    ("carbon emissions", "", "environment"),
    ("", "Nothing that names a theme.", None),
])
def test_theme_is_a_coarse_tag_from_words(metric, sentence, theme):
    assert theme_of(metric, sentence) == theme


# -- at ingest: records beside the entities, with who achieved them and where -----------------------

REPORT = ("Harrowgate Council in Dunmore ran the Safe Steps programme with Kestrel Housing Association.\n\n"
          "The Safe Steps programme cut repeat homelessness by 30% in its first year. "
          "Kestrel Housing Association helped 1,200 households into work between 2021 and 2023. "
          "Harrowgate Council saved £2.5 million on temporary accommodation over three years.\n")


@pytest.fixture(scope="module")
def records():
    from ingest.extract import extract
    from ingest.nlp import load_nlp
    from ingest.records import Document, content_hash

    doc = Document(doc="safe-steps.txt", text=REPORT, title="Safe Steps", format="txt", sha256=content_hash(REPORT))
    return extract(doc, load_nlp()(REPORT))


def test_each_stated_result_is_a_record_with_its_achiever_and_offsets(records):
    by_metric = {o.metric: o for o in records.outcomes}
    assert set(by_metric) == {"repeat homelessness", "households into work", "temporary accommodation"}
    steps = by_metric["repeat homelessness"]
    assert steps.achieved_by == ("programme:safe-steps-programme",)
    assert (steps.value, steps.unit, steps.direction, steps.theme) == (30.0, "percent", "decrease", "housing")
    assert by_metric["households into work"].achieved_by == ("organisation:kestrel-housing-association",)
    saved = by_metric["temporary accommodation"]
    assert saved.achieved_by == ("organisation:harrowgate-council",)
    assert saved.place == "place:harrowgate"  # no place in its sentence: the place the council is located in
    ids = {e.id for e in records.entities}
    for o in records.outcomes:
        assert REPORT[o.start:o.end] == o.sentence and REPORT[o.phrase_start:o.phrase_end] == o.phrase
        assert o.entity in ids and set(o.achieved_by) <= ids and o.doc == "safe-steps.txt"


def test_records_round_trip_and_a_store_from_before_outcomes_still_loads(records):
    from ingest.records import DocRecords, from_dict, to_dict

    data = to_dict(records)
    assert from_dict(DocRecords, data) == records
    del data["outcomes"]
    assert from_dict(DocRecords, data).outcomes == ()


# -- in the graph and out of `casegraph export --view outcomes` ----------------------------------------


TIDEWATER = ("Tidewater Trust runs the Warm Rooms scheme in Marrowby.\n\n"
             "The Warm Rooms scheme cut energy bills by 18% compared with the previous winter.\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.build import refresh
    from ingest.pipeline import ingest
    from ingest.store import Store

    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "safe-steps.txt").write_text(REPORT, "utf-8")
    (corpus / "tidewater.txt").write_text(TIDEWATER, "utf-8")
    st = Store(tmp_path_factory.mktemp("store") / "store")
    report = ingest(corpus, st, consumers=(refresh,), progress=False, log=lambda m: None)
    assert report.ok, report.failed
    return st


def test_outcome_nodes_carry_fields_and_records(store):
    from graph.build import load_graph

    g = load_graph(store.graph_path)
    node = next(n for n, d in g.nodes(data=True) if d.get("metric") == "energy bills")
    d = g.nodes[node]
    assert (d["type"], d["unit"], d["direction"], d["baseline"]) == \
        ("outcome", "percent", "decrease", "compared with the previous winter")
    (rec,) = d["outcome_records"]
    assert rec["achieved_by"] == ["programme:warm-rooms-scheme"] and rec["place"] == "place:marrowby"
    assert any(v == node and k == "programme:warm-rooms-scheme" and e["relation"] == "achieved"
               for k, v, e in g.edges(data=True))


def test_export_outcomes_csv_and_json_one_row_per_record(store, tmp_path):
    import csv
    import json

    import cli

    out_csv, out_json = tmp_path / "outcomes.csv", tmp_path / "outcomes.json"
    assert cli.main(["export", "--view", "outcomes", "--format", "csv", "-o", str(out_csv),
                     "--store", str(store.root)]) == 0
    assert cli.main(["export", "--view", "outcomes", "--format", "json", "-o", str(out_json),
                     "--store", str(store.root)]) == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    objs = json.loads(out_json.read_text("utf-8"))
    assert len(rows) == len(objs) == 4
    for column in ("metric", "value", "unit", "direction", "baseline", "period", "achieved_by", "programme",
                   "organisation", "place", "document", "sentence", "start", "end"):
        assert column in rows[0] and column in objs[0]
    warm = next(o for o in objs if o["metric"] == "energy bills")
    assert warm["programme"] == ["Warm Rooms scheme"] and warm["place"] == "Marrowby"
    assert warm["document"] == "tidewater.txt" and warm["value"] == 18.0
    assert TIDEWATER[warm["start"]:warm["end"]] == warm["sentence"]
    row = next(r for r in rows if r["metric"] == "energy bills")
    assert (row["programme"], row["value"], row["unit"]) == ("Warm Rooms scheme", "18", "percent")
    # byte-stable: the same graph writes the same file
    again = tmp_path / "again.csv"
    cli.main(["export", "--view", "outcomes", "--format", "csv", "-o", str(again), "--store", str(store.root)])
    assert again.read_bytes() == out_csv.read_bytes()


def test_export_outcomes_filters_and_says_what_to_do(store, tmp_path, capsys):
    import json

    import cli

    out = tmp_path / "steps.json"
    assert cli.main(["export", "--view", "outcomes", "--format", "json", "--programme", "Safe Steps programme",
                     "-o", str(out), "--store", str(store.root)]) == 0
    assert [o["metric"] for o in json.loads(out.read_text("utf-8"))] == ["repeat homelessness"]
    assert cli.main(["export", "--view", "outcomes", "--format", "graphml", "-o", str(tmp_path / "x"),
                     "--store", str(store.root)]) == 1
    assert "use --format csv or --format json" in capsys.readouterr().err
    assert cli.main(["export", "--view", "outcomes", "--format", "csv", "--place", "Nowhere",
                     "-o", str(tmp_path / "y.csv"), "--store", str(store.root)]) == 1
    assert "no outcome records" in capsys.readouterr().err


def test_two_stores_from_one_corpus_save_the_same_graph_bytes(store, tmp_path):
    from graph.build import refresh
    from ingest.pipeline import ingest
    from ingest.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in (("safe-steps.txt", REPORT), ("tidewater.txt", TIDEWATER)):
        (corpus / name).write_text(text, "utf-8")
    other = Store(tmp_path / "store")
    assert ingest(corpus, other, consumers=(refresh,), progress=False, log=lambda m: None).ok
    assert other.graph_path.read_bytes() == store.graph_path.read_bytes()


# -- the phrase a result is named by, and who achieved it -------------------------------------------


def _run(text: str):
    from ingest.extract import extract
    from ingest.nlp import load_nlp
    from ingest.records import Document, content_hash

    doc = Document(doc="case.txt", text=text, title="case", format="txt", sha256=content_hash(text))
    return extract(doc, load_nlp()(text))


def _outcomes(rec) -> dict:
    return {e.name: e for e in rec.entities if e.type == "outcome"}


def _forms(rec) -> set:
    return {form for e in rec.entities if e.type == "outcome" for form in (e.name, *e.aliases)}


def test_a_result_is_named_by_its_clause_with_the_subject_as_an_alias():
    rec = _run("The Brackwater Reconnect scheme opened in 2021 with the Tollby Housing Trust. "
               "Since then, calls to the out-of-hours team fell by 31%.\n")
    forms = _forms(rec)
    assert "calls to the out-of-hours team fell by 31%" in forms
    assert "fell by 31%" in forms
    assert not any(f.endswith("|") or f.startswith("31%") for f in forms)


def test_a_result_stated_after_the_programme_is_linked_to_it_with_both_sentences_as_evidence():
    rec = _run("The Brackwater Reconnect scheme opened in 2021 with the Tollby Housing Trust. "
               "Since then, calls to the out-of-hours team fell by 31%.\n")
    outcome = next(e for e in rec.entities if e.type == "outcome")
    achieved = [r for r in rec.relations if r.relation == "achieved" and r.target == outcome.id]
    assert achieved and all(r.source.startswith(("programme:", "organisation:")) for r in achieved)
    for r in achieved:
        assert "Brackwater Reconnect" in r.evidence and "fell by 31%" in r.evidence


def test_a_programme_subject_is_left_out_of_the_name_and_a_change_noun_phrase_is_kept_whole():
    rec = _run("The Pellow Street Project cut rent arrears by 22% in its first year.\n\n"
               "Harlington Council said the Pellow Street Project delivered a 38% fall in repeat evictions.\n")
    forms = _forms(rec)
    assert "cut rent arrears by 22% in its first year" in forms and "cut rent arrears by 22%" in forms
    assert "a 38% fall in repeat evictions" in forms


def test_money_spent_granted_or_bid_for_and_targets_are_no_results():
    rec = _run("The Wenlow Foundation granted £1.3 million to the Pellow Street Project. "
               "The project will receive £400,000 from the Marrow Trust. "
               "Harlington Council aims to cut waiting times by 20% by 2030. "
               "The Pellow Street Project has a budget of £2m a year.\n")
    assert _outcomes(rec) == {}


def test_a_result_stated_with_money_is_still_a_result():
    rec = _run("The Pellow Street Project saved an estimated £640,000 in temporary accommodation costs.\n")
    assert any(f.startswith("saved an estimated £640,000") for f in _forms(rec))
