"""Where a name starts and ends: line wraps, glued labels and footnotes, links, months, lists cut into names
(made-up names, real spaCy)."""

from ingest.normalise import clean_text

from .test_extract import names, run


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


def test_a_month_ends_a_name_run():
    rec = run("Next Steps: Meeting with Bright Futures Commissioning Group in October and Marsh Youth Hub.")
    assert {"Bright Futures Commissioning Group", "Marsh Youth Hub"} <= names(rec, "organisation")
    assert not any("October" in n for n in names(rec, "organisation"))


def test_a_lone_head_word_after_an_ampersand_stays_in_the_name():
    rec = run("The Harbourne Data Platform & Partnership (HDPP) is a shared space for firms. Jobs will be created by the "
              "HDPP over five years.")
    every = {e.name for e in rec.entities}
    assert "Harbourne Data Platform & Partnership" in every
    assert "Harbourne Data Platform" not in every


def test_a_body_name_wrapped_over_a_blank_line_is_one_name():
    rec = run("Latterly, they have been joined by:\nThe county QI faculty; and\nNorth Vale Academic Health\n\n"
              "Science Network\n\nWhat has been the impact of our work?")
    assert "North Vale Academic Health Science Network" in names(rec, "organisation")
    assert "Science Network" not in names(rec, "organisation")


def test_a_department_named_by_its_briefs_runs_over_the_commas():
    rec = run("The projects have approval from the Ministry of Trade, Skills and Coastal Regions and start next year.")
    orgs = names(rec, "organisation")
    assert "Ministry of Trade, Skills and Coastal Regions" in orgs
    assert "Ministry of Trade" not in orgs


def test_a_case_heading_of_two_bodies_and_a_dash_splits():
    rec = run("Kenmore Council and i7Q Holdings Ltd – using a wholly owned council company to reduce costs\n\n"
              "Dana Pell, Chair – Friends of Marlow Water Nature Reserve\n\nIt worked.")
    orgs = names(rec, "organisation")
    assert {"Kenmore Council", "i7Q Holdings Ltd", "Friends of Marlow Water Nature Reserve"} <= orgs
    assert "Marlow Water Nature Reserve" in names(rec, "place")


def test_names_inside_a_cited_title_are_the_titles_words():
    rec = run("A recent report ‘Are we pulling together? Partnership and Civic Renewal Reform’ said more. The Kenmore "
              "Panel’s report ‘Bolder, Braver, Wiser: why we need local deals’ came out.\n"
              "Adapted from Outcomes and Value Leadership Handbook by R. Tolland\n\nIt helped.")
    every = {e.name for e in rec.entities if e.type in {"organisation", "place"}}
    assert not {"Partnership and Civic Renewal", "Braver", "Outcomes and Value Leadership Handbook"} & every


def test_a_footnote_mark_ends_a_name_and_a_city_region_is_placed_at_its_city():
    rec = run("It was taken on by the £80 million Better Futures Fund.4 That has brought outcomes to the fore. A "
              "digital strategy for the Swindon City Region was agreed, and Swindon grew.")
    assert "Better Futures Fund" in names(rec, "programme")
    places = names(rec, "place")
    assert "Swindon" in places and "Swindon City" not in places


def test_a_link_ending_in_a_slash_does_not_swallow_the_next_line():
    text, _ = clean_text(["5 Rob Webb www.robwebb.example/category/payment/pbr-2/\n\n"
                          "National Audit Chamber www.nac.example/press-release/results-2/\n"])
    assert "pbr-2/\n\nNational Audit Chamber" in text or "pbr-2/ National" in text or "pbr-2/\nNational" in text
    assert "pbr-2/National" not in text


def test_a_body_run_into_its_initiative_is_the_body_and_the_initiative():
    rec = run("Garath advised the Harwick Office Procurement Academy on its first cohort. Later the Harwick Office "
              "Procurement Academy trained 400 commissioners.")
    assert "Harwick Office" in names(rec, "organisation")
    assert "Harwick Office Procurement Academy" not in names(rec, "organisation") | names(rec, "programme")
    assert any(e.name == "Procurement Academy" for e in rec.entities)


def test_a_hyphened_or_what_works_opener_stays_in_the_name():
    rec = run("It was combined, cunningly, with an All-Party Parliamentary Group dedicated to the case. Another "
              "recommendation was to establish a What Works Centre for Service Renewal to gather evidence.")
    orgs = names(rec, "organisation")
    assert {"All-Party Parliamentary Group", "What Works Centre for Service Renewal"} <= orgs
    assert not {"Party Parliamentary Group", "Works Centre for Service Renewal"} & orgs
