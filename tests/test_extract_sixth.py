"""Sixth-pass rules: repeated names, programme tails, academies as courses (made-up names, real spaCy)."""

from ingest.extract import _Cand, _repeat_mentions

from .test_extract import names, run


def partners(rec):
    return {frozenset((r.source, r.target)) for r in rec.relations if r.relation != "mentioned_with"}


def test_a_body_named_once_is_a_mention_wherever_its_name_recurs():
    text = "Kestrel Arts England backs venues.\n\nKestrel Arts England invested in Storyloft. Kestrel Arts England Fund"
    first = _Cand(0, len("Kestrel Arts England"), "organisation", 2)
    found = [(c.start, c.type) for c in _repeat_mentions(text, [first])]
    assert found == [(text.index("Kestrel", 5), "organisation")]  # not inside the longer 'Kestrel Arts England Fund'


def test_a_recurring_name_carries_the_relation_of_its_sentence():
    rec = run("Kestrel Arts England backs many venues. Storyloft raises most of its money from trading.\n\n"
              "Kestrel Arts England invested £3 million in the project and has been supporting Storyloft as a charity.")
    mentions = [m.start for m in rec.mentions if m.entity == "organisation:kestrel-arts-england"]
    assert len(mentions) == 2
    assert frozenset({"organisation:kestrel-arts-england", "organisation:storyloft"}) in partners(rec)


def test_a_lower_case_programme_word_closing_a_name_is_optional():
    rec = run("Our work spans the Clean Gutters programme and the Leading Change training offer. The Leading Change "
              "Programme is designed for senior staff.")
    progs = {e.name: e.aliases for e in rec.entities if e.type == "programme"}
    assert "Clean Gutters" in progs["Clean Gutters programme"]
    assert "Leading Change" in progs["Leading Change Programme"]
    assert "Leading Change" not in names(rec, "organisation")


def test_an_academy_run_as_a_course_is_a_programme_and_one_that_employs_is_a_body():
    rec = run("The Brackmoor Commissioning Academy is designed to give organisations the tools they need. Each "
              "Brackmoor Commissioning Academy takes place over five days. The Fenwick Academy employs 30 staff.")
    assert "Brackmoor Commissioning Academy" in names(rec, "programme")
    assert "Fenwick Academy" in names(rec, "organisation")


def test_a_defined_acronym_recurs_and_the_introducing_form_is_an_alias():
    text = "They set up Harbourne Holdings Limited (h7K), a company. Later h7K works closely with both agents."
    first = _Cand(text.index("Harbourne"), text.index(" (h7K)"), "organisation", 3)
    found = [text[c.start:c.end] for c in _repeat_mentions(text, [first])]
    assert found == ["h7K"]
    rec = run("The LATCo was called Brightfield 360 (BF360), part of a wider group. BF360 runs the parks.")
    assert "Brightfield 360 (BF360)" in next(e.aliases for e in rec.entities if e.name == "Brightfield 360")


def test_bodies_placed_by_a_kind_noun_or_a_commissioning_body():
    rec = run("Properties are managed by external agents Farrow and Pinecrest. Both report monthly.\n\n"
              "Glasswave, commissioned by Dunmore County Council, delivers health checks at its centres.")
    assert {"Farrow", "Pinecrest", "Glasswave", "Dunmore County Council"} <= names(rec, "organisation")
    assert frozenset({"organisation:glasswave", "organisation:dunmore-county-council"}) in partners(rec)


def test_a_lower_case_kind_of_initiative_the_report_launches_is_a_programme():
    rec = run("Dunmore Trust is experimenting with reflection circles, a method that builds a learning culture. "
              "Staff say the reflection circles changed how they work. We ran focus groups in May and the focus "
              "groups were lively.")
    progs = names(rec, "programme")
    assert "reflection circles" in progs
    assert "focus groups" not in progs  # used twice, but never launched, joined or set up
