"""Extraction of programmes: defined collaborations, programme head words, courses, plans, and what is no
programme (made-up names, real spaCy)."""

from .test_extract import names, run


def test_a_name_the_text_defines_as_a_collaboration_is_a_programme():
    rec = run("Saltmarsh Together, a collaboration between Harbourside City Council and Gullcliff Hub focused on "
              "helping those in need, met weekly. Orla Penhallow, a project lead at Harbourside City Council, spoke.")
    assert "Saltmarsh Together" in names(rec, "programme")
    assert "Orla Penhallow" in names(rec, "person")


def test_partnership_or_network_is_a_programme_when_set_up_joined_or_defined_as_one():
    rec = run("Harbourside City Council was among the recent cohort of the Tidewater Collaborative, an active learning "
              "network of councils.\n\nThe Fenward Peer Learning Group met twice in 2019.\n\n"
              "Regional Makers Network – a network of innovation spaces and labs.\n\n"
              "Mara Holt, chief executive of the Gullcliff Housing Partnership, said the Gullcliff Housing Partnership "
              "employs 40 people.")
    progs = names(rec, "programme")
    assert {"Tidewater Collaborative", "Fenward Peer Learning Group", "Regional Makers Network"} <= progs
    assert "Gullcliff Housing Partnership" in names(rec, "organisation")


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


def test_a_lower_case_kind_of_initiative_the_report_launches_is_a_programme():
    rec = run("Dunmore Trust is experimenting with reflection circles, a method that builds a learning culture. "
              "Staff say the reflection circles changed how they work. We ran focus groups in May and the focus "
              "groups were lively.")
    progs = names(rec, "programme")
    assert "reflection circles" in progs
    assert "focus groups" not in progs  # used twice, but never launched, joined or set up


def test_question_words_possessives_numbers_and_manners_are_no_programmes():
    rec = run("What are commissioners doing?\n\nIs service failure inevitable? It depends.\n\nThe plan is on the "
              "Council’s website. One project explored how to respond. They established a ‘Seattle-style’ community "
              "fund.\n\nIntroducing the Kenmore Growth Deal\nThe Kenmore Growth Deal offered the region a chance.")
    progs = names(rec, "programme")
    assert not {"Is", "Council’s", "One project", "Seattle-style", "Introducing the Kenmore Growth Deal"} & progs
    assert "Kenmore Growth Deal" in progs
    assert "Seattle" not in names(rec, "place")


def test_a_plan_for_a_place_names_both_and_a_shortened_facility_is_the_facility():
    rec = run("Develop a Place and Movement Framework for Town Centre and Southern Quarter\nMarch 2025\n\n"
              "A co-location pilot at Marsh Pools & Leisure Centre began. Talks at the Marsh Leisure Centre went well. "
              "West Somerset and Somerset both gained.")
    places = names(rec, "place")
    assert {"Town Centre", "Southern Quarter", "Marsh Pools & Leisure Centre"} <= places
    assert not {"Place and Movement Framework for Town Centre", "Marsh Leisure Centre"} & places
    assert {"West Somerset", "Somerset"} <= places  # towns never fold into a longer town


def test_a_plans_years_are_part_of_its_name_and_an_action_verb_is_not():
    rec = run("Actions\n\t5.1\tAdopt a Digital Strategy 2024-2027 and set up a board.\tApril 2024\tComplete\n"
              "\t2.1\tRefresh the Medium Term Financial Strategy with a savings plan.\tMarch 2025\tOngoing\n"
              "The Dunmore Plan 2017-22 set the goals, as Harwick University 2017 found.")
    progs = names(rec, "programme")
    assert {"Digital Strategy 2024-2027", "Dunmore Plan 2017-22", "Medium Term Financial Strategy"} <= progs
    assert not any(p.startswith("Refresh") for p in progs)


def test_a_name_without_a_bodys_head_word_is_an_initiative_when_the_text_treats_it_as_one():
    rec = run("The Wrenfield Foundation gave £1.2m for Open Door Lowmere, a family coaching service in Lowmere. "
              "Open Door Lowmere started in 2021.\n\n"
              "Saltmarsh Good Neighbours, a charity, will recruit the coaches. Saltmarsh Good Neighbours said it "
              "was delighted.")
    assert "Open Door Lowmere" in names(rec, "programme")
    assert "Open Door Lowmere" not in names(rec, "organisation")
    assert "Saltmarsh Good Neighbours" in names(rec, "organisation")
