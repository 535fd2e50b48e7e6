"""Third-pass extraction rules, each on a tiny hand-written paragraph with made-up names (real spaCy)."""

from ingest.resolve import contains_surface

from .test_extract import names, run


def test_role_apposition_in_title_case_and_contact_lines():
    rec = run("Our key contacts\nOrla Quinnell, Deputy Director for Digital, Brackwater Health Trust\n\n"
              "Tamsin Evershed, Centre for Civic Renewal\n\n"
              "Piran Holloway Panel Co-Chair\n")
    people = names(rec, "person")
    assert {"Orla Quinnell", "Tamsin Evershed", "Piran Holloway"} <= people
    assert not any("Panel" in p for p in people)
    assert "Orla Quinnell" not in names(rec, "organisation")


def test_email_user_part_does_not_make_a_given_name_an_ordinary_word():
    rec = run("Caspian Thorley, Chief Executive, Brackwater Academy caspian.thorley@ brackwater.org\n\n"
              "Caspian Thorley leads the Brackwater Academy.")
    assert "Caspian Thorley" in names(rec, "person")


def test_initial_and_short_given_name_join_the_full_name():
    rec = run("Maximilian Drewe is Director of the Brackwater Trust. Max Drewe opened the new centre in May. "
              "The report was written by M. Drewe and colleagues.")
    people = names(rec, "person")
    assert "Maximilian Drewe" in people
    assert "Max Drewe" not in people


def test_unlabelled_list_items_between_bodies_are_bodies():
    rec = run("Our partners include the Fenwick & Industry Group (lead partner), QZRV, Trelloway, the Alliance for "
              "Useful Practice, and Brackwater Borough Council.")
    orgs = names(rec, "organisation")
    assert {"QZRV", "Trelloway"} <= orgs


def test_odd_label_in_a_list_of_places_is_a_place():
    rec = run("Collaborative councils (Oldham, Wigan, Quenby) are broad programmes of change.")
    assert "Quenby" in names(rec, "place")
    assert "Quenby" not in names(rec, "organisation")


def test_bare_initialism_joins_the_named_body():
    rec = run("The Civic Renewal Training Academy runs courses. Last year the CRTA trained 300 managers, "
              "and the CRTA plans more.")
    acad = [e for e in rec.entities if e.name == "Civic Renewal Training Academy"]
    assert acad and "CRTA" in acad[0].aliases
    assert "CRTA" not in names(rec, "organisation")


def test_org_names_drop_leading_dates_and_job_titles_and_split_right_to_left():
    rec = run("By October 2017 Quenby Council had 2,000 households waiting. Ria is a Board Member of the "
              "New Local Civic Network. Partners were the Department for Work and Pensions and Quenby Partnership "
              "NHS Foundation Trust, and the Association of Directors of Adult Social Services (ADASS).")
    orgs = names(rec, "organisation")
    assert "Quenby Council" in orgs
    assert "New Local Civic Network" in orgs
    assert {"Department for Work and Pensions", "Quenby Partnership NHS Foundation Trust",
            "Association of Directors of Adult Social Services"} <= orgs
    assert not any(o.startswith(("October", "Board", "Pensions")) for o in orgs)


def test_council_place_stands_alone_and_region_heading_is_a_place():
    rec = run("Quenby Council hosts the group.\n\nSouth West\n\nThe next meeting is in Quenby, where partners meet.")
    places = names(rec, "place")
    assert {"Quenby", "South West"} <= places


def test_partners_in_nearby_sentences_get_a_weak_edge_whose_evidence_holds_both():
    text = ("The Tallowmere Trust, a cultural charity, had been running shows since 2006. Working closely with its "
            "partners at Fenmoor Borough Council, it had been driving a new venue.")
    rec = run(text)
    by_id = {e.id: e for e in rec.entities}
    assert any({by_id[r.source].name, by_id[r.target].name} == {"Tallowmere Trust", "Fenmoor Borough Council"}
               for r in rec.relations)
    for r in rec.relations:
        for end in (by_id[r.source], by_id[r.target]):
            assert contains_surface(r.evidence, (end.name, *end.aliases))


def test_libraries_is_a_body_and_thinkers_cited_for_ideas_are_not_people():
    rec = run("Fenmoor Libraries runs 40 branches for Fenmoor County Council. Professor Halvard Quist’s "
              "eight-step change model helped. The Thornbury framework, developed by Idris Palethorpe, was used.")
    assert "Fenmoor Libraries" in names(rec, "organisation")
    assert not {"Halvard Quist", "Idris Palethorpe"} & names(rec, "person")


def test_sentences_split_at_several_blank_lines_keep_their_offsets():
    rec = run("Shift to outcomes\n\n‘deciding how to use resources’\nAdapted from a handbook\n\n"
              "Dr Ysolde Marrack OBE, the chief executive of Quenby Council, spoke at the launch.")
    rels = [r for r in rec.relations if r.source == "person:ysolde-marrack" and r.target == "organisation:quenby-council"]
    assert rels and rels[0].relation in {"leads", "works_for"}
    assert rels[0].evidence.startswith("Dr Ysolde Marrack")
