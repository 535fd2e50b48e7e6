"""Extraction of places: councils' areas, counties, towns from the gazetteer, regions, facilities at their
towns (made-up names, real spaCy)."""

from ingest.gazetteer import is_place_name

from .test_extract import names, run


def test_odd_label_in_a_list_of_places_is_a_place():
    rec = run("Collaborative councils (Oldham, Wigan, Quenby) are broad programmes of change.")
    assert "Quenby" in names(rec, "place")
    assert "Quenby" not in names(rec, "organisation")


def test_council_place_stands_alone_and_region_heading_is_a_place():
    rec = run("Quenby Council hosts the group.\n\nSouth West\n\nThe next meeting is in Quenby, where partners meet.")
    places = names(rec, "place")
    assert {"Quenby", "South West"} <= places


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


def test_counties_and_london_boroughs_are_places():
    assert is_place_name("Merton") and is_place_name("Lincolnshire") and is_place_name("Tower Hamlets")
    rec = run("Before that she spent years in Merton and Lincolnshire, where the service began.")
    assert {"Merton", "Lincolnshire"} <= names(rec, "place")


def test_a_listed_town_inside_a_facility_or_states_name_is_a_place():
    rec = run("In 2017 its reading sessions at Rugby Library were shortlisted. Ed Vane, Director, Welfare Department, "
              "States of Jersey, spoke.")
    assert {"Rugby", "Jersey"} <= names(rec, "place")


def test_two_single_names_joined_by_and_with_a_listed_town_are_places():
    rec = run("Colleges formed the Wexcombe to Cambridge (via Stevenage and Hollowmere) Growth Corridor last year.")
    assert {"Stevenage", "Hollowmere"} <= names(rec, "place")
    assert not any("Stevenage" in n for n in names(rec, "organisation"))


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


def test_a_places_acronym_joins_the_place_and_a_staffed_estate_is_a_body():
    rec = run("Support investment bids for Kenmore Branch Line (KBL) by March. A framework for KBL is now commissioned.\n\n"
              "Engage with Fairholt Public Estate (FPE) team at County to identify funding.")
    assert "Kenmore Branch Line" in names(rec, "place")
    assert "KBL" not in {e.name for e in rec.entities}
    assert "Fairholt Public Estate" in names(rec, "organisation")


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


def test_the_rest_of_a_name_after_new_is_no_place():
    rec = run("The library offers a mental health information service – New Leaves;\n\nthe co-location of services.")
    assert "Leaves" not in names(rec, "place")


def test_market_towns_of_five_thousand_people_are_listed_places():
    from ingest.gazetteer import is_place_name

    assert is_place_name("Swaffham") and is_place_name("Ledbury")  # GeoNames, 5,000+ people
    assert not is_place_name("Harwick")
