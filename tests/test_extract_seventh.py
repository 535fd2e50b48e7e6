"""Seventh-pass rules: wrapped names, libraries at their towns, sectors, towns joined by 'and' (made-up names, real spaCy)."""

from .test_extract import names, run


def test_a_lone_head_word_after_an_ampersand_stays_in_the_name():
    rec = run("The Harbourne Data Platform & Partnership (HDPP) is a shared space for firms. Jobs will be created by the "
              "HDPP over five years.")
    every = {e.name for e in rec.entities}
    assert "Harbourne Data Platform & Partnership" in every
    assert "Harbourne Data Platform" not in every


def test_a_name_followed_by_events_is_an_activity_not_a_body():
    rec = run("The theatre runs regular Quiet Lantern events for families, and its Tea n Talk sessions at the hall "
              "were shortlisted for an award.")
    assert not {"Quiet Lantern", "Tea n Talk"} & names(rec, "organisation")


def test_a_body_name_wrapped_over_a_blank_line_is_one_name():
    rec = run("Latterly, they have been joined by:\nThe county QI faculty; and\nNorth Vale Academic Health\n\n"
              "Science Network\n\nWhat has been the impact of our work?")
    assert "North Vale Academic Health Science Network" in names(rec, "organisation")
    assert "Science Network" not in names(rec, "organisation")


def test_secretary_of_state_and_a_surname_is_no_body():
    rec = run("Accepting these findings, Secretary of State Pickering relieved the council of its statutory responsibilities.")
    assert not any("Pickering" in n for n in names(rec, "organisation"))


def test_two_single_names_joined_by_and_with_a_listed_town_are_places():
    rec = run("Colleges formed the Wexcombe to Cambridge (via Stevenage and Hollowmere) Growth Corridor last year.")
    assert {"Stevenage", "Hollowmere"} <= names(rec, "place")
    assert not any("Stevenage" in n for n in names(rec, "organisation"))


def test_a_whole_sector_is_no_body():
    rec = run("Dana Pell spent 13 years in the Civil Service and has also worked extensively within the NHS. She now "
              "chairs Brackmoor Trust.")
    orgs = names(rec, "organisation")
    assert "Brackmoor Trust" in orgs
    assert not {"Civil Service", "NHS"} & orgs


def test_a_library_is_placed_at_its_town():
    rec = run("Many branches changed. Little Wexcombe Library, for example, increased its opening hours. The Friends of "
              "Hollowmere Library raised funds, and the Central Library kept its café.")
    places = names(rec, "place")
    assert {"Little Wexcombe", "Hollowmere"} <= places
    assert not {"Little Wexcombe Library", "Hollowmere Library", "Central"} & places


def test_an_ordinary_word_before_council_is_no_place_and_england_frames_nothing():
    rec = run("Funding came from the Arts Council to engage young people across the arts. Many councils in England "
              "have declared an emergency, and Dunmore Council was first.")
    places = names(rec, "place")
    assert "Dunmore" in places
    assert not {"Arts", "England"} & places


def test_forms_of_one_council_or_university_are_one_body():
    rec = run("Rothwick Metropolitan Borough Council was praised. Rothwick MBC family workers met weekly, and a director of "
              "Rothwick Borough Council spoke. Staff trained at Brackmoor University and the University of Brackmoor "
              "hosted them. Kenmore County Council and Kenmore City Council disagreed; Kenmore Council said little.")
    orgs = names(rec, "organisation")
    assert "Rothwick Metropolitan Borough Council" in orgs
    assert not {"Rothwick MBC", "Rothwick Borough Council"} & orgs
    assert len({"Brackmoor University", "University of Brackmoor"} & orgs) == 1
    assert {"Kenmore County Council", "Kenmore City Council"} <= orgs  # two bodies: the bare form joins neither


def test_a_department_named_by_its_briefs_runs_over_the_commas():
    rec = run("The projects have approval from the Ministry of Trade, Skills and Coastal Regions and start next year.")
    orgs = names(rec, "organisation")
    assert "Ministry of Trade, Skills and Coastal Regions" in orgs
    assert "Ministry of Trade" not in orgs


def test_a_places_acronym_joins_the_place_and_a_staffed_estate_is_a_body():
    rec = run("Support investment bids for Kenmore Branch Line (KBL) by March. A framework for KBL is now commissioned.\n\n"
              "Engage with Fairholt Public Estate (FPE) team at County to identify funding.")
    assert "Kenmore Branch Line" in names(rec, "place")
    assert "KBL" not in {e.name for e in rec.entities}
    assert "Fairholt Public Estate" in names(rec, "organisation")


def test_a_shortened_body_name_is_the_one_body_it_shortens():
    rec = run("The Reform Challenge Panel published its report in 2014. Five years on from the Service Reform Challenge "
              "Panel report, the Challenge Panel still matters, and the Reform Panel is remembered. Kenmore County "
              "Council and Fenwick County Council agreed.")
    orgs = names(rec, "organisation")
    assert not {"Challenge Panel", "Reform Panel"} & orgs
    assert len({"Reform Challenge Panel", "Service Reform Challenge Panel"} & orgs) == 1
    assert {"Kenmore County Council", "Fenwick County Council"} <= orgs


def test_a_case_heading_of_two_bodies_and_a_dash_splits():
    rec = run("Kenmore Council and i7Q Holdings Ltd – using a wholly owned council company to reduce costs\n\n"
              "Dana Pell, Chair – Friends of Marlow Water Nature Reserve\n\nIt worked.")
    orgs = names(rec, "organisation")
    assert {"Kenmore Council", "i7Q Holdings Ltd", "Friends of Marlow Water Nature Reserve"} <= orgs
    assert "Marlow Water Nature Reserve" in names(rec, "place")


def test_a_job_titles_qualifier_and_a_generic_department_are_no_bodies():
    rec = run("Her roles included Troubled Families Programme Manager and East Fenland Regional Project Manager.\n\n"
              "Dana Pell, Assistant Director Children’s Services, Brackmoor Trust\n\nOur children need support.")
    orgs = names(rec, "organisation")
    assert "Brackmoor Trust" in orgs
    assert not {"East Fenland Regional", "Children’s Services"} & orgs


def test_two_single_names_after_in_name_one_area_and_regions_stand_alone():
    rec = run("The most developed site is in Marbury and Welk, a small community of 3,100 households. The Marbury and "
              "Welk team meets weekly, and the Marburys and Welk hub opened in May.\n\n"
              "Our peers across Yorkshire and Humber region helped, as did Vale South West Trust.\n\n"
              "She held roles in Veredus and Capita before that.")
    places = names(rec, "place")
    assert "Marbury and Welk" in places
    assert "Yorkshire and Humber" in places
    assert not {"Marbury", "Welk", "South West", "Veredus and Capita"} & places
    assert not {"Marbury", "Welk"} & names(rec, "organisation")
    assert "Vale South West Trust" in names(rec, "organisation")


def test_initials_before_a_kept_head_word_name_the_body():
    rec = run("The Green Valley Lab at Brackmoor University studies outcomes. That is one question the GV Lab set out "
              "to answer last year.")
    orgs = names(rec, "organisation")
    assert "Green Valley Lab" in orgs
    assert "GV Lab" not in orgs


def test_a_name_before_the_email_address_it_starts_is_a_person():
    rec = run("To join one of the groups please get in touch with Leigh via leigh.marlow@example.org. For the Deal, "
              "please contact Dana Pell dana.pell@example.org.")
    people = names(rec, "person")
    assert {"Leigh", "Dana Pell"} <= people
    assert "Leigh" not in names(rec, "place")


def test_a_name_with_its_acronym_before_the_head_word_is_one_name():
    rec = run("Secure funding through Vale Futures (VFP) Partnership for the project. Colleagues from two live Better "
              "Lives Outcome (BLO) SIBs met. As part of the Kenmore Lea Recreation Ground (KLRG) Friends Group we help.")
    every = {e.name: e for e in rec.entities}
    assert "Vale Futures (VFP) Partnership" in every
    assert "Vale Futures Partnership" in every["Vale Futures (VFP) Partnership"].aliases
    assert every["Better Lives Outcome (BLO) SIBs"].type == "programme"
    assert "Vale Futures" not in every and "Better Lives Outcome" not in every
    assert "Kenmore Lea Recreation Ground (KLRG) Friends" not in every


def test_names_inside_a_cited_title_are_the_titles_words():
    rec = run("A recent report ‘Are we pulling together? Partnership and Civic Renewal Reform’ said more. The Kenmore "
              "Panel’s report ‘Bolder, Braver, Wiser: why we need local deals’ came out.\n"
              "Adapted from Outcomes and Value Leadership Handbook by R. Tolland\n\nIt helped.")
    every = {e.name for e in rec.entities if e.type in {"organisation", "place"}}
    assert not {"Partnership and Civic Renewal", "Braver", "Outcomes and Value Leadership Handbook"} & every


def test_staff_of_a_body_a_plural_kind_fragment_and_a_phase_are_no_names():
    rec = run("Collaboration with Kenmore Council Officers has improved and was shared with all Heads of Service. The "
              "cohort involved the Vale NHS Trusts’ quality improvement faculty. Phase 2 of the Town Hall – set out the "
              "vision.")
    every = {e.name for e in rec.entities}
    assert not {"Kenmore Council Officers", "Heads of Service", "Vale NHS", "Phase 2 of the Town Hall"} & every
    assert "Town Hall" in names(rec, "place")


def test_a_footnote_mark_ends_a_name_and_a_city_region_is_placed_at_its_city():
    rec = run("It was taken on by the £80 million Better Futures Fund.4 That has brought outcomes to the fore. A "
              "digital strategy for the Swindon City Region was agreed, and Swindon grew.")
    assert "Better Futures Fund" in names(rec, "programme")
    places = names(rec, "place")
    assert "Swindon" in places and "Swindon City" not in places


def test_a_body_named_with_its_nation_is_the_body_of_that_name():
    rec = run("Funding came from Crafts Council England in 2016. With funding from the Crafts Council, the library ran "
              "digital sessions for young people.")
    orgs = names(rec, "organisation")
    assert "Crafts Council England" in orgs
    assert "Crafts Council" not in orgs


def test_question_words_possessives_numbers_and_manners_are_no_programmes():
    rec = run("What are commissioners doing?\n\nIs service failure inevitable? It depends.\n\nThe plan is on the "
              "Council’s website. One project explored how to respond. They established a ‘Seattle-style’ community "
              "fund.\n\nIntroducing the Kenmore Growth Deal\nThe Kenmore Growth Deal offered the region a chance.")
    progs = names(rec, "programme")
    assert not {"Is", "Council’s", "One project", "Seattle-style", "Introducing the Kenmore Growth Deal"} & progs
    assert "Kenmore Growth Deal" in progs
    assert "Seattle" not in names(rec, "place")


def test_an_acronym_and_the_head_word_join_the_programme_they_abbreviate():
    rec = run("Colleagues from two live Better Lives Outcome (BLO) SIBs met. Later the BLO SIBs reported back.")
    progs = names(rec, "programme")
    assert "Better Lives Outcome (BLO) SIBs" in progs
    assert "BLO SIBs" not in progs


def test_a_plan_for_a_place_names_both_and_a_shortened_facility_is_the_facility():
    rec = run("Develop a Place and Movement Framework for Town Centre and Southern Quarter\nMarch 2025\n\n"
              "A co-location pilot at Marsh Pools & Leisure Centre began. Talks at the Marsh Leisure Centre went well. "
              "West Somerset and Somerset both gained.")
    places = names(rec, "place")
    assert {"Town Centre", "Southern Quarter", "Marsh Pools & Leisure Centre"} <= places
    assert not {"Place and Movement Framework for Town Centre", "Marsh Leisure Centre"} & places
    assert {"West Somerset", "Somerset"} <= places  # towns never fold into a longer town


def test_the_rest_of_a_name_after_new_is_no_place():
    rec = run("The library offers a mental health information service – New Leaves;\n\nthe co-location of services.")
    assert "Leaves" not in names(rec, "place")


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
