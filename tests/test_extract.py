"""Extraction on small hand-written paragraphs, through the real spaCy pipeline."""

from pathlib import Path

import pytest

from ingest.extract import extract
from ingest.nlp import load_nlp
from ingest.records import RELATION_TYPES, Document, content_hash
from ingest.resolve import contains_surface

DATA = Path(__file__).parent / "data" / "extract"


def run(text: str, name: str = "case.txt"):
    doc = Document(doc=name, text=text, title=name, format="txt", sha256=content_hash(text))
    return extract(doc, load_nlp()(text))


@pytest.fixture(scope="module")
def case():
    return run((DATA / "council-case-study.txt").read_text("utf-8"), "council-case-study.txt")


def ents(rec, type_):
    return {e.name: e for e in rec.entities if e.type == type_}


def names(rec, type_):
    return {e.name for e in rec.entities if e.type == type_}


def rels(rec, relation):
    return {(r.source, r.target, r.role) for r in rec.relations if r.relation == relation}


def edges(rec, relation):
    return {(r.source, r.target) for r in rec.relations if r.relation == relation}


def aliases(rec, name):
    return next(e.aliases for e in rec.entities if e.name == name)


def partners(rec):
    return {frozenset((r.source, r.target)) for r in rec.relations if r.relation == "partners_with"}


def typed_pairs(rec):
    return {frozenset((r.source, r.target)) for r in rec.relations if r.relation != "mentioned_with"}


def test_byline_and_role_apposition(case):
    assert "Donna Hall" in ents(case, "person")
    assert ("person:donna-hall", "organisation:wigan-council", "Chief Executive") in rels(case, "leads")


def test_glued_pdf_label_is_a_person(case):
    people = ents(case, "person")
    assert "James Ronicle" in people
    assert not any("Lead" in name for name in people)


def test_title_stripped_and_kept_as_alias_with_role(case):
    jo = ents(case, "person")["Jo Casebourne"]
    assert "Dr Jo Casebourne" in jo.aliases
    assert ("person:jo-casebourne", "organisation:institute-for-government", "programme director") in rels(case, "works_for")


def test_acronym_definition_is_one_entity_with_sector(case):
    orgs = ents(case, "organisation")
    ccg = orgs["Wigan Borough Clinical Commissioning Group"]
    assert "WBCCG" in ccg.aliases and ccg.sector == "nhs"
    assert orgs["Wigan Council"].sector == "council"
    assert not any(name in {"WBCCG", "Council"} for name in orgs)


def test_partnership_sentence_gives_typed_edge(case):
    assert ("organisation:wigan-council", "organisation:wigan-borough-clinical-commissioning-group", None) in rels(case, "partners_with")


def test_money_invested_is_no_outcome(case):
    # 'invested £10 million' is what the council put in, not what it achieved
    outcomes = ents(case, "outcome")
    assert not any("£10 million" in n for n in outcomes)


def test_council_place_and_located_in(case):
    assert "Wigan" in ents(case, "place")
    assert ("organisation:wigan-council", "place:wigan", None) in rels(case, "located_in")


def test_every_edge_has_evidence_holding_both_ends(case):
    by_id = {e.id: e for e in case.entities}
    text = case.document.text
    assert case.relations
    for r in case.relations:
        assert r.relation in RELATION_TYPES
        assert text[r.start:r.end] == r.evidence
        for end in (r.source, r.target):
            assert contains_surface(r.evidence, (by_id[end].name, *by_id[end].aliases)), (r, end)
    for m in case.mentions:
        assert text[m.start:m.end] == m.text
        assert m.entity in by_id


def test_common_nouns_and_line_breaks():
    rec = run("The Panel met the Friends of the project.\nFriends and panel members came.\n\n"
              "Leaders of Oldham Metropolitan Borough\nCouncil spoke to the panel.")
    orgs = ents(rec, "organisation")
    assert "Panel" not in orgs and "Friends" not in orgs
    assert "Oldham Metropolitan Borough Council" in orgs


# -- second-pass rules: each on a tiny made-up paragraph ------------------------------------------


def test_role_then_name_and_is_apposition_make_people_not_organisations():
    rec = run("The county worked with a practice partner in the form of Northwold Council, spearheaded by its "
              "director of children’s services, Debra Quillfeather.\n\nTamsin Orrell\nTamsin Orrell is Deputy "
              "Director, Digital at Westmere Health Trust. She leads the service.")
    people = ents(rec, "person")
    assert {"Debra Quillfeather", "Tamsin Orrell"} <= set(people)
    assert not {"Debra Quillfeather", "Tamsin Orrell"} & set(ents(rec, "organisation"))


def test_cited_authors_and_quoted_sages_are_not_people():
    rec = run("As Horace Pettifer (1994) argued, change is adaptive. ‘Never give up on the ones you serve.’ – "
              "Albert Crumble\n\nMaria Gotobed, Chief Executive of Westmere Council, agreed.")
    people = ents(rec, "person")
    assert "Maria Gotobed" in people
    assert "Horace Pettifer" not in people and "Albert Crumble" not in people


def test_footnote_lines_give_no_entities():
    rec = run("Commissioning grew fast.1\n\n1 Pettifer, Horace (2003). Adaptive Change. Brimble Press "
              "https://example.org/x\n")
    assert not ents(rec, "person") and "Brimble Press" not in ents(rec, "organisation")


def test_quoted_and_cued_programme_names():
    rec = run("In Westmere we developed the ‘Be Westmere’ experience, a half-day course for all staff. "
              "Initiatives such as Kind Neighbours (local support) and Home Ahead (leaving hospital) started "
              "after the course.")
    progs = ents(rec, "programme")
    assert {"Be Westmere", "Kind Neighbours", "Home Ahead"} <= set(progs)
    assert not {"Be Westmere", "Kind Neighbours", "Home Ahead"} & set(ents(rec, "organisation"))


def test_job_titles_are_not_organisations_and_title_case_phrases_are_dropped():
    rec = run("Our key contacts\nPat Quillon, Health Partner, Brightwork Studio pat@brightwork.example\n\n"
              "The best schemes aim at Best Value, and value for residents.")
    orgs = ents(rec, "organisation")
    assert "Brightwork Studio" in orgs
    assert "Health Partner" not in orgs and "Best Value" not in orgs
    assert "Pat Quillon" in ents(rec, "person")


def test_place_list_and_national_frame():
    from ingest.gazetteer import is_place_name

    assert is_place_name("Swindon") and is_place_name("denmark") and not is_place_name("Westmere")
    rec = run("Partners met in Swindon. Services across the UK are under strain.")
    places = ents(rec, "place")
    assert "Swindon" in places and "UK" not in places
