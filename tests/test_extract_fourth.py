"""Fourth-pass extraction rules, each on a tiny hand-written paragraph with made-up names (real spaCy)."""

from .test_extract import names, run


def edges(rec, relation):
    return {(r.source, r.target) for r in rec.relations if r.relation == relation}


def test_person_of_a_body_is_split_into_the_person_and_the_body_with_a_works_for_edge():
    rec = run("The Lanterns Network is a peer learning group. It is led by Tobias Wren of Saltmarsh University.\n\n"
              "Ada Pennock joins Becky Thorne of Harbourside City Council to reflect on the year.")
    assert {"Tobias Wren", "Becky Thorne"} <= names(rec, "person")
    assert {"Saltmarsh University", "Harbourside City Council"} <= names(rec, "organisation")
    assert not any(" of " in n for t in ("organisation", "place") for n in names(rec, t))
    assert ("person:tobias-wren", "organisation:saltmarsh-university") in edges(rec, "works_for")
    assert ("person:becky-thorne", "organisation:harbourside-city-council") in edges(rec, "works_for")


def test_a_name_used_as_a_body_is_no_person():
    # spaCy labels "Jobmatch Plus" a person here; the words after it say it is a body
    rec = run("The challenges could be met by bringing together nurses, teachers and Jobmatch Plus staff.")
    assert "Jobmatch Plus" in names(rec, "organisation")
    assert "Jobmatch Plus" not in names(rec, "person")


def test_a_name_the_text_defines_as_a_collaboration_is_a_programme():
    rec = run("Saltmarsh Together, a collaboration between Harbourside City Council and Gullcliff Hub focused on "
              "helping those in need, met weekly. Orla Penhallow, a project lead at Harbourside City Council, spoke.")
    assert "Saltmarsh Together" in names(rec, "programme")
    assert "Orla Penhallow" in names(rec, "person")


def test_partnership_cues_type_the_edge_between_bodies():
    rec = run("How Brackwater Health Trust and Gullcliff Studio used service design to reach more people.\n\n"
              "Key partners include: Harbourside County Council; Harbourside CCG; and Tidewater Education Trust.\n\n"
              "Saltmarsh Council works with young carers in conjunction with Pennock Foundation.")
    typed = edges(rec, "partners_with")
    pairs = {frozenset(p) for p in typed}
    assert frozenset({"organisation:brackwater-health-trust", "organisation:gullcliff-studio"}) in pairs
    assert frozenset({"organisation:harbourside-county-council", "organisation:harbourside-ccg"}) in pairs
    assert frozenset({"organisation:saltmarsh-council", "organisation:pennock-foundation"}) in pairs


def test_body_always_written_with_s_keeps_it_and_a_short_form_joins_its_long_name():
    rec = run("The contract was awarded to Penwick’s in 2018. Staff from Penwick’s moved in, and Penwick’s staff "
              "trained the team.\n\nHarbourside Council hired ClearPath Studio to redesign the service. The ClearPath "
              "team interviewed 40 residents, and ClearPath developed a new referral route.")
    bodies = names(rec, "organisation")
    assert "Penwick’s" in bodies and "Penwick" not in bodies
    ent = next(e for e in rec.entities if e.name == "ClearPath Studio")
    assert "ClearPath" in ent.aliases and "ClearPath" not in bodies
    assert ("organisation:harbourside-council", "organisation:clearpath-studio") in edges(rec, "commissions")


def test_a_council_area_in_one_report_is_the_same_place_where_another_calls_it_a_body():
    from ingest.resolve import resolve_corpus

    a = run("The next meeting will be hosted by Brindleford Council in March.", "a.txt")
    b = run("Anna Reed (then strategic director of children’s services at Brindleford) and I threw a party for the team.",
            "b.txt")
    assert "Brindleford" in names(b, "organisation")  # spaCy's label, alone in its report
    ents, _ = resolve_corpus([a, b])
    found = [e for e in ents if e.name == "Brindleford"]
    assert found and all(e.type == "place" for e in found)
    assert any(e.name == "Brindleford Council" and e.type == "organisation" for e in ents)


def test_partnership_or_network_is_a_programme_when_set_up_joined_or_defined_as_one():
    rec = run("Harbourside City Council was among the recent cohort of the Tidewater Collaborative, an active learning "
              "network of councils.\n\nThe Fenward Peer Learning Group met twice in 2019.\n\n"
              "Regional Makers Network – a network of innovation spaces and labs.\n\n"
              "Mara Holt, chief executive of the Gullcliff Housing Partnership, said the Gullcliff Housing Partnership "
              "employs 40 people.")
    progs = names(rec, "programme")
    assert {"Tidewater Collaborative", "Fenward Peer Learning Group", "Regional Makers Network"} <= progs
    assert "Gullcliff Housing Partnership" in names(rec, "organisation")
