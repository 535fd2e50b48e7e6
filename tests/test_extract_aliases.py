"""One entity per thing: acronyms, initials, short forms, recurring names and other forms of one name
(made-up names, real spaCy)."""

from ingest.extract import _Cand, _repeat_mentions

from .test_extract import edges, names, run


def test_initial_and_short_given_name_join_the_full_name():
    rec = run("Maximilian Drewe is Director of the Brackwater Trust. Max Drewe opened the new centre in May. "
              "The report was written by M. Drewe and colleagues.")
    people = names(rec, "person")
    assert "Maximilian Drewe" in people
    assert "Max Drewe" not in people


def test_bare_initialism_joins_the_named_body():
    rec = run("The Civic Renewal Training Academy runs courses. Last year the CRTA trained 300 managers, "
              "and the CRTA plans more.")
    acad = [e for e in rec.entities if e.name == "Civic Renewal Training Academy"]
    assert acad and "CRTA" in acad[0].aliases
    assert "CRTA" not in names(rec, "organisation")


def test_body_always_written_with_s_keeps_it_and_a_short_form_joins_its_long_name():
    rec = run("The contract was awarded to Penwick’s in 2018. Staff from Penwick’s moved in, and Penwick’s staff "
              "trained the team.\n\nHarbourside Council hired ClearPath Studio to redesign the service. The ClearPath "
              "team interviewed 40 residents, and ClearPath developed a new referral route.")
    bodies = names(rec, "organisation")
    assert "Penwick’s" in bodies and "Penwick" not in bodies
    ent = next(e for e in rec.entities if e.name == "ClearPath Studio")
    assert "ClearPath" in ent.aliases and "ClearPath" not in bodies
    assert ("organisation:harbourside-council", "organisation:clearpath-studio") in edges(rec, "commissions")


def test_a_body_named_once_is_a_mention_wherever_its_name_recurs():
    text = "Kestrel Arts England backs venues.\n\nKestrel Arts England invested in Storyloft. Kestrel Arts England Fund"
    first = _Cand(0, len("Kestrel Arts England"), "organisation", 2)
    found = [(c.start, c.type) for c in _repeat_mentions(text, [first])]
    assert found == [(text.index("Kestrel", 5), "organisation")]  # not inside the longer 'Kestrel Arts England Fund'


def test_a_defined_acronym_recurs_and_the_introducing_form_is_an_alias():
    text = "They set up Harbourne Holdings Limited (h7K), a company. Later h7K works closely with both agents."
    first = _Cand(text.index("Harbourne"), text.index(" (h7K)"), "organisation", 3)
    found = [text[c.start:c.end] for c in _repeat_mentions(text, [first])]
    assert found == ["h7K"]
    rec = run("The LATCo was called Brightfield 360 (BF360), part of a wider group. BF360 runs the parks.")
    assert "Brightfield 360 (BF360)" in next(e.aliases for e in rec.entities if e.name == "Brightfield 360")


def test_forms_of_one_council_or_university_are_one_body():
    rec = run("Rothwick Metropolitan Borough Council was praised. Rothwick MBC family workers met weekly, and a director of "
              "Rothwick Borough Council spoke. Staff trained at Brackmoor University and the University of Brackmoor "
              "hosted them. Kenmore County Council and Kenmore City Council disagreed; Kenmore Council said little.")
    orgs = names(rec, "organisation")
    assert "Rothwick Metropolitan Borough Council" in orgs
    assert not {"Rothwick MBC", "Rothwick Borough Council"} & orgs
    assert len({"Brackmoor University", "University of Brackmoor"} & orgs) == 1
    assert {"Kenmore County Council", "Kenmore City Council"} <= orgs  # two bodies: the bare form joins neither


def test_a_shortened_body_name_is_the_one_body_it_shortens():
    rec = run("The Reform Challenge Panel published its report in 2014. Five years on from the Service Reform Challenge "
              "Panel report, the Challenge Panel still matters, and the Reform Panel is remembered. Kenmore County "
              "Council and Fenwick County Council agreed.")
    orgs = names(rec, "organisation")
    assert not {"Challenge Panel", "Reform Panel"} & orgs
    assert len({"Reform Challenge Panel", "Service Reform Challenge Panel"} & orgs) == 1
    assert {"Kenmore County Council", "Fenwick County Council"} <= orgs


def test_initials_before_a_kept_head_word_name_the_body():
    rec = run("The Green Valley Lab at Brackmoor University studies outcomes. That is one question the GV Lab set out "
              "to answer last year.")
    orgs = names(rec, "organisation")
    assert "Green Valley Lab" in orgs
    assert "GV Lab" not in orgs


def test_a_name_with_its_acronym_before_the_head_word_is_one_name():
    rec = run("Secure funding through Vale Futures (VFP) Partnership for the project. Colleagues from two live Better "
              "Lives Outcome (BLO) SIBs met. As part of the Kenmore Lea Recreation Ground (KLRG) Friends Group we help.")
    every = {e.name: e for e in rec.entities}
    assert "Vale Futures (VFP) Partnership" in every
    assert "Vale Futures Partnership" in every["Vale Futures (VFP) Partnership"].aliases
    assert every["Better Lives Outcome (BLO) SIBs"].type == "programme"
    assert "Vale Futures" not in every and "Better Lives Outcome" not in every
    assert "Kenmore Lea Recreation Ground (KLRG) Friends" not in every


def test_a_body_named_with_its_nation_is_the_body_of_that_name():
    rec = run("Funding came from Crafts Council England in 2016. With funding from the Crafts Council, the library ran "
              "digital sessions for young people.")
    orgs = names(rec, "organisation")
    assert "Crafts Council England" in orgs
    assert "Crafts Council" not in orgs


def test_an_acronym_and_the_head_word_join_the_programme_they_abbreviate():
    rec = run("Colleagues from two live Better Lives Outcome (BLO) SIBs met. Later the BLO SIBs reported back.")
    progs = names(rec, "programme")
    assert "Better Lives Outcome (BLO) SIBs" in progs
    assert "BLO SIBs" not in progs


def test_an_acronym_then_its_activity_is_the_acronyms_body():
    rec = run("Oxwell Direct Services (HDS) runs repairs. Clients have been identified for all HDS LATCo services.\t"
              "HDS Clienting and Budget reviews continue. HDS reported a profit.")
    orgs = names(rec, "organisation")
    assert not {"HDS Clienting", "HDS LATCo services", "HDS LATCo"} & orgs
