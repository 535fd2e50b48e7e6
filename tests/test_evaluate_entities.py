"""The outside check's matching rules, on hand-built entities with known scores."""

import pytest

from evaluation.extraction import evaluate_entities, format_entity_report, names_match, normalise_name
from ingest.records import Entity, Relation

GOLD = [{
    "doc": "d.txt",
    "organisations": ["Wigan Council", "Barnardo’s", "Nesta"],
    "people": [{"name": "Donna Hall", "role": "Chief Executive", "organisation": "Wigan Council"}],
    "programmes": ["The Wigan Deal"],
    "places": ["Wigan"],
    "partnerships": [["Wigan Council", "Barnardo’s", "x"], ["Wigan Council", "Nesta", "y"]],
}]


def ent(type_, name, *aliases, docs=("d.txt",)):
    return Entity(id=f"{type_}:{name.lower().replace(' ', '-')}", type=type_, name=name, aliases=aliases, docs=docs)


def test_normalisation_and_fuzzy_match():
    assert normalise_name("The ‘Wigan Deal’!") == "'wigan deal'"
    assert names_match("Wigan Deal", ["wigan deal"])
    assert names_match("Barnardo’s", ["Barnardos"])  # ratio >= 0.9
    assert not names_match("Wigan", ["Wigan Council"])


def test_scores_counts_and_partnerships():
    council = ent("organisation", "Wigan Borough Council", "Wigan Council")
    barn = ent("organisation", "Barnardo's")
    entities = [council, barn, ent("organisation", "Panel"), ent("person", "Donna Hall"),
                ent("programme", "Wigan Deal"), ent("place", "Wigan"), ent("place", "Leigh", docs=("other.txt",))]
    relations = [Relation(council.id, barn.id, "partners_with", "d.txt", "e", 0, 1),
                 Relation(council.id, barn.id, "partners_with", "other.txt", "e", 0, 1)]
    res = evaluate_entities(GOLD, entities, relations)
    org = res["types"]["organisation"]
    assert org["precision"] == pytest.approx(2 / 3) and org["recall"] == pytest.approx(2 / 3)
    assert org["f1"] == pytest.approx(2 / 3)
    for t in ("person", "programme", "place"):
        assert res["types"][t]["f1"] == pytest.approx(1.0)
    assert res["partnerships"]["recall"] == pytest.approx(0.5)
    assert res["misses"]["organisation"] == ["d.txt: Nesta"]
    assert res["false_positives"]["organisation"] == ["d.txt: Panel"]
    table = format_entity_report(res)
    assert "organisation" in table and "d.txt: Nesta" in table and "0.667" in table


def test_places_follow_the_policy_nations_neither_way_and_a_place_read_from_a_body_no_error():
    gold = [{"doc": "d.txt", "organisations": ["Brackwater District Council"], "people": [], "programmes": [],
             "places": ["Lowmere", "England"], "partnerships": []}]
    entities = [ent("organisation", "Brackwater District Council"), ent("place", "Lowmere"),
                ent("place", "Brackwater"),  # read out of the body's name: not an error
                ent("place", "UK"),          # a nation: not counted
                ent("place", "Saltmarsh")]   # a real false positive
    place = evaluate_entities(gold, entities, [])["types"]["place"]
    assert place["recall"] == pytest.approx(1.0)  # 'England' is not asked for
    assert place["precision"] == pytest.approx(1 / 2)
