"""Extraction of people: role appositions, job titles, labels, bylines and contact lines, and the body a
person works for (made-up names, real spaCy)."""

from .test_extract import edges, names, run


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


def test_a_name_before_the_email_address_it_starts_is_a_person():
    rec = run("To join one of the groups please get in touch with Leigh via leigh.marlow@example.org. For the Deal, "
              "please contact Dana Pell dana.pell@example.org.")
    people = names(rec, "person")
    assert {"Leigh", "Dana Pell"} <= people
    assert "Leigh" not in names(rec, "place")


def test_a_job_title_or_an_initial_in_a_list_is_no_body():
    rec = run("‘The sessions helped my day-to-day business.’ Ed Ashby, Deputy Chief Office, Social Security Department, "
              "States of Harwick\n\nCorvell, Grenwold, Baby Q, Kids Company, Winterwood View… these have entered the "
              "language of failure.")
    orgs = names(rec, "organisation")
    assert not {"Deputy Chief Office", "Baby Q"} & orgs


def test_one_word_after_a_job_title_names_the_employer():
    rec = run("Board Member\n\nMarket Director at Zentrix /Director of Velmora\n\nCEO of Harwick County Council\n\n"
              "Deputy Director of Nursing, Harwick District Hospital\n")
    orgs = names(rec, "organisation")
    assert {"Zentrix", "Velmora"} <= orgs
    assert "Nursing" not in orgs
    assert "Velmora" not in names(rec, "place")


def test_a_job_after_two_bodies_joined_by_and_leaves_both_bodies():
    rec = run("Donna Hale CBE\nFormer Chief Executive, Dunmore Council and Dunmore Clinical Commissioning Group and "
              "Public Service Reform Lead for the North West\n\nShe retired in 2018.")
    orgs = names(rec, "organisation")
    assert {"Dunmore Council", "Dunmore Clinical Commissioning Group"} <= orgs


def test_a_quote_attributed_after_a_dash_names_a_person_with_a_role():
    rec = run("“Being able to refer straight in means nobody falls through the gap.”\n— Elin Marwick, Chief Officer, "
              "Harbour Pantry Trust\n\n“It changed how we work.”\n— Tomos Pryce-Hale, Cabinet Member for Communities\n")
    people = names(rec, "person")
    assert {"Elin Marwick", "Tomos Pryce-Hale"} <= people
    assert not {"Elin Marwick", "Tomos Pryce-Hale"} & names(rec, "organisation")


def test_labels_glued_to_a_name_or_a_title():
    rec = run("Report ownerOwen Hartley-Vane, Chief Executive\nAuthorsDr Kofi Mensah and Priya Raman\n")
    assert {"Owen Hartley-Vane", "Kofi Mensah"} <= names(rec, "person")


def test_a_title_before_a_speakers_name_is_not_part_of_the_name():
    rec = run("Cllr Wenna Pascoe, Leader of Brackwater District Council, said the hub would open in May.\n\n"
              "WITNESSES: Dr Ifeoma Trelawny, Orla Quinnell\n")
    people = names(rec, "person")
    assert "Wenna Pascoe" in people and not any(p.startswith(("Cllr", "Dr ")) for p in people)


def test_a_body_named_like_a_person_is_not_a_person():
    rec = run("Marnie Oswin, engagement lead at Healthwatch Brackwater, reported on the engagement work.\n\n"
              "Home visits are provided by Hollyfield Homecare and Saltmarsh Housing.\n")
    people = names(rec, "person")
    assert "Marnie Oswin" in people
    assert not {"Healthwatch Brackwater", "Hollyfield Homecare", "Saltmarsh Housing"} & people
    assert {"Healthwatch Brackwater", "Hollyfield Homecare", "Saltmarsh Housing"} <= names(rec, "organisation")


def test_a_bare_icb_is_a_reference_not_a_body():
    rec = run("Brackwater Integrated Care Board met in public. The ICB had commissioned Saltmarsh Health Trust "
              "to run the new service.\n")
    assert "ICB" not in names(rec, "organisation")


def test_a_given_name_and_a_surname_a_recogniser_called_a_body_are_a_person():
    import ingest.extract as X

    text = "Apologies were received from Tobias Wrenfield, Non-Executive Member."
    chosen = [X._Cand(text.index("Tobias"), text.index(","), "organisation", X.MODEL_PRIO),
              X._Cand(0, 9, "organisation", X.MODEL_PRIO)]  # 'Apologies': one word, stays as it was
    X._named_people(text, chosen)
    assert [c.type for c in chosen] == ["person", "organisation"]
    body = "Grace Wrenfield Trust worked with the council."
    kept = X._named_people(body, [X._Cand(0, body.index(" worked"), "organisation", X.MODEL_PRIO)])
    assert kept[0].type == "organisation"  # a body's head word: a body


def test_minute_takers_initials_are_not_bodies_but_a_spelt_out_short_form_is():
    import ingest.extract as X

    text = "CM noted the budget. RO asked about the Saltmarsh Works Trust (SW) contract. SW replied. Q4 was late."
    def cand(word):
        return X._Cand(text.index(word), text.index(word) + len(word), "organisation", X.MODEL_PRIO)
    assert [X._bare_initials(text, cand(w)) for w in ("CM", "RO", "SW", "Q4")] == [True, True, False, True]
