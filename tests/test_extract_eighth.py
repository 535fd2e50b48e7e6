"""Eighth-pass rules: bodies run into other names, employers after job titles, saints' names, mayoralties,
plural kinds, acronyms paired with bodies (made-up names, real spaCy)."""

from ingest.normalise import clean_text

from .test_extract import names, run


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


def test_a_job_title_or_an_initial_in_a_list_is_no_body():
    rec = run("‘The sessions helped my day-to-day business.’ Ed Ashby, Deputy Chief Office, Social Security Department, "
              "States of Harwick\n\nCorvell, Grenwold, Baby Q, Kids Company, Winterwood View… these have entered the "
              "language of failure.")
    orgs = names(rec, "organisation")
    assert not {"Deputy Chief Office", "Baby Q"} & orgs


def test_a_camel_case_brand_is_a_body():
    rec = run("Jonathan held roles with zapSociety, FutureVale and the Connected Towns Catapult.")
    assert "zapSociety" in names(rec, "organisation")


def test_a_saints_name_with_a_third_word_is_an_institution():
    rec = run("After nearly ten years, Bruce moved to St Aldric Ambulance where he was a Regional Director. Then he "
              "joined St Luke Rescue as its chair.")
    assert {"St Aldric Ambulance", "St Luke Rescue"} <= names(rec, "organisation")
    assert not any("Aldric" in n or "Luke" in n for n in names(rec, "person"))


def test_one_word_after_a_job_title_names_the_employer():
    rec = run("Board Member\n\nMarket Director at Zentrix /Director of Velmora\n\nCEO of Harwick County Council\n\n"
              "Deputy Director of Nursing, Harwick District Hospital\n")
    orgs = names(rec, "organisation")
    assert {"Zentrix", "Velmora"} <= orgs
    assert "Nursing" not in orgs
    assert "Velmora" not in names(rec, "place")


def test_an_owner_before_a_possessive_initiative_is_a_body():
    rec = run("The concept was introduced, in 2015, through the Harwick Commission’s Social Venture Initiative, "
              "as a means of promoting purpose-driven procurement.")
    assert "Harwick Commission" in names(rec, "organisation")
    assert "Social Venture Initiative" in names(rec, "programme")


def test_a_job_after_two_bodies_joined_by_and_leaves_both_bodies():
    rec = run("Donna Hale CBE\nFormer Chief Executive, Dunmore Council and Dunmore Clinical Commissioning Group and "
              "Public Service Reform Lead for the North West\n\nShe retired in 2018.")
    orgs = names(rec, "organisation")
    assert {"Dunmore Council", "Dunmore Clinical Commissioning Group"} <= orgs


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


def test_an_acronym_then_its_activity_is_the_acronyms_body():
    rec = run("Oxwell Direct Services (HDS) runs repairs. Clients have been identified for all HDS LATCo services.\t"
              "HDS Clienting and Budget reviews continue. HDS reported a profit.")
    orgs = names(rec, "organisation")
    assert not {"HDS Clienting", "HDS LATCo services", "HDS LATCo"} & orgs


def test_a_hyphened_or_what_works_opener_stays_in_the_name():
    rec = run("It was combined, cunningly, with an All-Party Parliamentary Group dedicated to the case. Another "
              "recommendation was to establish a What Works Centre for Service Renewal to gather evidence.")
    orgs = names(rec, "organisation")
    assert {"All-Party Parliamentary Group", "What Works Centre for Service Renewal"} <= orgs
    assert not {"Party Parliamentary Group", "Works Centre for Service Renewal"} & orgs


def test_a_quote_attributed_after_a_dash_names_a_person_with_a_role():
    rec = run("“Being able to refer straight in means nobody falls through the gap.”\n— Elin Marwick, Chief Officer, "
              "Harbour Pantry Trust\n\n“It changed how we work.”\n— Tomos Pryce-Hale, Cabinet Member for Communities\n")
    people = names(rec, "person")
    assert {"Elin Marwick", "Tomos Pryce-Hale"} <= people
    assert not {"Elin Marwick", "Tomos Pryce-Hale"} & names(rec, "organisation")


def test_labels_glued_to_a_name_or_a_title():
    rec = run("Report ownerOwen Hartley-Vane, Chief Executive\nAuthorsDr Kofi Mensah and Priya Raman\n")
    assert {"Owen Hartley-Vane", "Kofi Mensah"} <= names(rec, "person")


def test_a_plans_years_are_part_of_its_name_and_an_action_verb_is_not():
    rec = run("Actions\n\t5.1\tAdopt a Digital Strategy 2024-2027 and set up a board.\tApril 2024\tComplete\n"
              "\t2.1\tRefresh the Medium Term Financial Strategy with a savings plan.\tMarch 2025\tOngoing\n"
              "The Dunmore Plan 2017-22 set the goals, as Harwick University 2017 found.")
    progs = names(rec, "programme")
    assert {"Digital Strategy 2024-2027", "Dunmore Plan 2017-22", "Medium Term Financial Strategy"} <= progs
    assert not any(p.startswith("Refresh") for p in progs)


def test_firms_named_after_a_kind_of_company_are_bodies_not_people():
    rec = run("He started his career working for international media companies Emcorp and Jacob Stroud amongst others.")
    assert "Jacob Stroud" in names(rec, "organisation")
    assert "Jacob Stroud" not in names(rec, "person")


def test_market_towns_of_five_thousand_people_are_listed_places():
    from ingest.gazetteer import is_place_name

    assert is_place_name("Swaffham") and is_place_name("Ledbury")  # GeoNames, 5,000+ people
    assert not is_place_name("Harwick")
