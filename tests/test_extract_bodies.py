"""Extraction of organisations: what names a body, and the words that look like one but are not (made-up
names, real spaCy)."""

from .test_extract import aliases, names, partners, run, typed_pairs


def test_unlabelled_list_items_between_bodies_are_bodies():
    rec = run("Our partners include the Fenwick & Industry Group (lead partner), QZRV, Trelloway, the Alliance for "
              "Useful Practice, and Brackwater Borough Council.")
    orgs = names(rec, "organisation")
    assert {"QZRV", "Trelloway"} <= orgs


def test_libraries_is_a_body_and_thinkers_cited_for_ideas_are_not_people():
    rec = run("Fenmoor Libraries runs 40 branches for Fenmoor County Council. Professor Halvard Quist’s "
              "eight-step change model helped. The Thornbury framework, developed by Idris Palethorpe, was used.")
    assert "Fenmoor Libraries" in names(rec, "organisation")
    assert not {"Halvard Quist", "Idris Palethorpe"} & names(rec, "person")


def test_a_named_unit_of_a_body_is_the_unit_and_a_department_is_its_body():
    rec = run("The Council collaborates with Brackwater NHS Trust’s Stay Well Team on initiatives. Tara Quill is Head of "
              "Commissioning and Planning in Fenwick County Council’s Children and Family Services, where she leads.")
    orgs = names(rec, "organisation")
    assert {"Stay Well Team", "Fenwick County Council"} <= orgs
    assert "Brackwater NHS Trust’s Stay Well Team" in aliases(rec, "Stay Well Team")
    assert not any("’s" in n or "Services" in n or n.startswith("Commissioning") for n in orgs)


def test_abbreviations_and_lower_case_defined_terms_are_no_bodies():
    rec = run("Members of these groups come together at the AGM to vote. It adds £2 billion of gross value added (GVA) "
              "over the period. The GVA grows.")
    assert not {"AGM", "GVA"} & names(rec, "organisation")


def test_authors_cited_for_an_idea_are_no_bodies():
    rec = run("According to Honeywell and Marsh I am an activist.")
    assert not {"Honeywell", "Marsh"} & (names(rec, "organisation") | names(rec, "person"))


def test_a_plural_kind_of_body_and_people_of_a_place_are_no_bodies():
    rec = run("Expand the partnership to include all District Councils and key institutions, as district councils wish. "
              "We needed a service that would reach all Londoners.")
    orgs = names(rec, "organisation")
    assert "District Councils" not in orgs and "Londoners" not in orgs


def test_partners_in_a_body_is_the_body():
    rec = run("Partners in the Saltmarsh Academy include charities and businesses: Redline is the lead partner and "
              "delivery partners include the Harbour & Industry Group, NCVX, and the Alliance for Good Evidence.")
    assert "Saltmarsh Academy" in names(rec, "organisation")
    assert not any(n.startswith("Partners") for n in names(rec, "organisation"))
    assert frozenset({"organisation:saltmarsh-academy", "organisation:harbour-industry-group"}) in partners(rec)


def test_bodies_placed_by_a_kind_noun_or_a_commissioning_body():
    rec = run("Properties are managed by external agents Farrow and Pinecrest. Both report monthly.\n\n"
              "Glasswave, commissioned by Dunmore County Council, delivers health checks at its centres.")
    assert {"Farrow", "Pinecrest", "Glasswave", "Dunmore County Council"} <= names(rec, "organisation")
    assert frozenset({"organisation:glasswave", "organisation:dunmore-county-council"}) in typed_pairs(rec)


def test_a_name_followed_by_events_is_an_activity_not_a_body():
    rec = run("The theatre runs regular Quiet Lantern events for families, and its Tea n Talk sessions at the hall "
              "were shortlisted for an award.")
    assert not {"Quiet Lantern", "Tea n Talk"} & names(rec, "organisation")


def test_secretary_of_state_and_a_surname_is_no_body():
    rec = run("Accepting these findings, Secretary of State Pickering relieved the council of its statutory responsibilities.")
    assert not any("Pickering" in n for n in names(rec, "organisation"))


def test_a_whole_sector_is_no_body():
    rec = run("Dana Pell spent 13 years in the Civil Service and has also worked extensively within the NHS. She now "
              "chairs Brackmoor Trust.")
    orgs = names(rec, "organisation")
    assert "Brackmoor Trust" in orgs
    assert not {"Civil Service", "NHS"} & orgs


def test_a_job_titles_qualifier_and_a_generic_department_are_no_bodies():
    rec = run("Her roles included Troubled Families Programme Manager and East Fenland Regional Project Manager.\n\n"
              "Dana Pell, Assistant Director Children’s Services, Brackmoor Trust\n\nOur children need support.")
    orgs = names(rec, "organisation")
    assert "Brackmoor Trust" in orgs
    assert not {"East Fenland Regional", "Children’s Services"} & orgs


def test_staff_of_a_body_a_plural_kind_fragment_and_a_phase_are_no_names():
    rec = run("Collaboration with Kenmore Council Officers has improved and was shared with all Heads of Service. The "
              "cohort involved the Vale NHS Trusts’ quality improvement faculty. Phase 2 of the Town Hall – set out the "
              "vision.")
    every = {e.name for e in rec.entities}
    assert not {"Kenmore Council Officers", "Heads of Service", "Vale NHS", "Phase 2 of the Town Hall"} & every
    assert "Town Hall" in names(rec, "place")


def test_bodies_named_by_a_singular_kind_or_as_examples_of_a_kind_and_camel_case_brands():
    rec = run("It secured a commitment from local credit card provider Zentra. Dana Pell is a Director at not-for-profit "
              "Civic Capital. The region’s tech sector (e.g. Kestrova, Qubit9) is growing. After a career in FirstHarbour "
              "he joined us.\nAn independent provider\nInput- or output-based contracts vary.")
    orgs = names(rec, "organisation")
    assert {"Zentra", "Civic Capital", "Kestrova", "Qubit9"} <= orgs
    assert "Input" not in orgs
    assert "FirstHarbour" not in names(rec, "place")


def test_names_of_things_and_headings_run_into_a_clause_are_no_bodies():
    rec = run("Meetings follow the Ferndale House Rule, and the 2025/26 Budget was set by Ashby Borough Council "
              "after the Harbour Place Study.\n\nRecommendation 4: Prioritisation\n· Match the Council’s plans to "
              "the money it has, as the Wexcombe Trust advised.")
    orgs = names(rec, "organisation")
    assert "Ashby Borough Council" in orgs and "Wexcombe Trust" in orgs
    assert not any(w in n for n in orgs for w in ("Rule", "Budget", "Study", "Match"))


def test_a_function_at_a_body_is_the_body():
    rec = run("Dara Quill is Deputy Director, Digital at Public Health Harwick. An international digital leader, she "
              "joined in 2015.")
    orgs = names(rec, "organisation")
    assert "Public Health Harwick" in orgs
    assert not any(n.startswith("Digital") for n in orgs)


def test_a_plural_kind_without_the_is_no_body():
    rec = run("Expand the Zero Carbon Vale Partnership (ZCVP) to include all District Councils and partners. To quote "
              "the recent review of Community Rehabilitation Companies, change takes time.")
    orgs = names(rec, "organisation")
    assert not {"District Councils", "Community Rehabilitation Companies"} & orgs
    assert "Zero Carbon Vale Partnership" in orgs | names(rec, "programme")


def test_a_camel_case_brand_is_a_body():
    rec = run("Jonathan held roles with zapSociety, FutureVale and the Connected Towns Catapult.")
    assert "zapSociety" in names(rec, "organisation")


def test_a_saints_name_with_a_third_word_is_an_institution():
    rec = run("After nearly ten years, Bruce moved to St Aldric Ambulance where he was a Regional Director. Then he "
              "joined St Luke Rescue as its chair.")
    assert {"St Aldric Ambulance", "St Luke Rescue"} <= names(rec, "organisation")
    assert not any("Aldric" in n or "Luke" in n for n in names(rec, "person"))


def test_an_owner_before_a_possessive_initiative_is_a_body():
    rec = run("The concept was introduced, in 2015, through the Harwick Commission’s Social Venture Initiative, "
              "as a means of promoting purpose-driven procurement.")
    assert "Harwick Commission" in names(rec, "organisation")
    assert "Social Venture Initiative" in names(rec, "programme")


def test_a_theatre_is_a_body_and_the_mayor_of_a_place_is_an_office():
    rec = run("In 2010 it founded Harwick Park Open Air Theatre, one of the leading regional theatres. The plan brings "
              "together the councils in Bristol, the Severn Combined Authority, the Mayor of Bristol, and charities. "
              "The Mayor of Leeds, Jo Bloggs, opened it.")
    orgs = names(rec, "organisation")
    assert "Harwick Park Open Air Theatre" in orgs
    assert "Mayor of Bristol" in orgs
    assert "Mayor of Leeds" not in orgs


def test_an_acronym_joined_to_a_body_by_and_is_a_body():
    rec = run("The dashboard is used alongside new metrics provided by OFVAL and the Housing & Local Vale Ombudsman "
              "to guide the Council. Dunmore MBC and the Vale Trust signed it. GVA and the Vale Trust grew.")
    orgs = names(rec, "organisation")
    assert "OFVAL" in orgs
    assert not {"MBC", "GVA"} & orgs


def test_firms_named_after_a_kind_of_company_are_bodies_not_people():
    rec = run("He started his career working for international media companies Emcorp and Jacob Stroud amongst others.")
    assert "Jacob Stroud" in names(rec, "organisation")
    assert "Jacob Stroud" not in names(rec, "person")


def test_a_heading_or_column_word_is_not_a_body_but_a_named_one_in_a_sentence_is():
    rec = run("Background\n\nThe hub opened in 2021 with money from Brackwater District Council.\n\n"
              "| Measure | Goal | 2024 |\n| Families supported | 120 | 148 |\n\n"
              "Emergency places were funded by Crisis and by Shelterbox Saltmarsh.\n\n"
              "Unsubscribe\n")
    orgs = names(rec, "organisation")
    assert not {"Background", "Measure", "Unsubscribe"} & orgs
    assert {"Brackwater District Council", "Crisis"} <= orgs
