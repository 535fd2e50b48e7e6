"""Fifth-pass extraction rules, each on a tiny hand-written paragraph with made-up names (real spaCy)."""

from ingest.gazetteer import is_place_name

from .test_extract import names, run


def aliases(rec, name):
    return next(e.aliases for e in rec.entities if e.name == name)


def test_a_named_unit_of_a_body_is_the_unit_and_a_department_is_its_body():
    rec = run("The Council collaborates with Brackwater NHS Trust’s Stay Well Team on initiatives. Tara Quill is Head of "
              "Commissioning and Planning in Fenwick County Council’s Children and Family Services, where she leads.")
    orgs = names(rec, "organisation")
    assert {"Stay Well Team", "Fenwick County Council"} <= orgs
    assert "Brackwater NHS Trust’s Stay Well Team" in aliases(rec, "Stay Well Team")
    assert not any("’s" in n or "Services" in n or n.startswith("Commissioning") for n in orgs)


def test_a_glued_footnote_number_is_not_part_of_the_name():
    rec = run("Following the pilot and Place Based Community Budgets,3 this was a high-water mark. With only £7 million, "
              "the Saltmarsh Digital Innovation Fund5 will need more.")
    assert "Saltmarsh Digital Innovation Fund" in names(rec, "programme")
    assert "Place Based Community Budgets" in names(rec, "organisation")
    assert not any(n[-1].isdigit() for t in ("organisation", "programme") for n in names(rec, t))


def test_a_name_list_spacy_glued_with_a_slash_or_comma_is_cut_into_bodies():
    rec = run("However, the mantle for local reform was instead taken on by the Harbour Office/DWP £80 million "
              "Better Lives Fund.")
    orgs = names(rec, "organisation")
    assert {"Harbour Office", "DWP"} <= orgs
    assert not any("/" in n for n in orgs)


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


def test_a_month_ends_a_name_run():
    rec = run("Next Steps: Meeting with Bright Futures Commissioning Group in October and Marsh Youth Hub.")
    assert {"Bright Futures Commissioning Group", "Marsh Youth Hub"} <= names(rec, "organisation")
    assert not any("October" in n for n in names(rec, "organisation"))


def test_counties_and_london_boroughs_are_places():
    assert is_place_name("Merton") and is_place_name("Lincolnshire") and is_place_name("Tower Hamlets")
    rec = run("Before that she spent years in Merton and Lincolnshire, where the service began.")
    assert {"Merton", "Lincolnshire"} <= names(rec, "place")


def partners(rec):
    return {frozenset((r.source, r.target)) for r in rec.relations if r.relation == "partners_with"}


def test_a_long_sentence_with_a_partnership_cue_ties_its_two_bodies():
    text = ("Brackwater Foundation Trust and their visionary chief executive, Tom Pell, who worked with us over three long "
            "and busy years to develop the largest prevention project in the whole of the country, did so in "
            "conjunction with Gullcliff Children’s Society.")
    start, end = text.index("Trust") + 5, text.index("Gullcliff")
    assert end - start > 160  # longer than the plain cue-word window
    rec = run(text)
    assert frozenset({"organisation:brackwater-foundation-trust", "organisation:gullcliff-childrens-society"}) in partners(rec)


def test_partners_in_a_body_is_the_body():
    rec = run("Partners in the Saltmarsh Academy include charities and businesses: Redline is the lead partner and "
              "delivery partners include the Harbour & Industry Group, NCVX, and the Alliance for Good Evidence.")
    assert "Saltmarsh Academy" in names(rec, "organisation")
    assert not any(n.startswith("Partners") for n in names(rec, "organisation"))
    assert frozenset({"organisation:saltmarsh-academy", "organisation:harbour-industry-group"}) in partners(rec)


def test_a_listed_town_inside_a_facility_or_states_name_is_a_place():
    rec = run("In 2017 its reading sessions at Rugby Library were shortlisted. Ed Vane, Director, Welfare Department, "
              "States of Jersey, spoke.")
    assert {"Rugby", "Jersey"} <= names(rec, "place")
