"""The text cleaner and the matching normaliser, on small texts shaped like real PDF/Word output."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.normalise import clean_text, normalise


def clean(text: str) -> str:
    return clean_text([text])[0]


# -- normalise ----------------------------------------------------------------------------------


def test_normalise_folds_quotes_dashes_space_and_case():
    assert normalise("  Barnardo’s  “Reachout”\u00a0– OK\n") == "barnardo's \"reachout\" - ok"


def test_normalise_nfkc_and_invisible_characters():
    assert normalise("ﬁnance\u00adteam\u200b") == "financeteam"


def test_normalise_matches_a_compound_broken_at_its_hyphen():
    assert normalise("community-\nfocussed") == normalise("community-focussed")


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert "  " not in once and once == once.strip()


# -- clean_text: wraps, hyphens, paragraphs -----------------------------------------------------


def test_rejoins_hard_wrapped_lines_marked_by_trailing_spaces():
    raw = "This is the second year we have \nreviewed the national state \nof public services.\n\nNext paragraph here.\n"
    assert clean(raw) == (
        "This is the second year we have reviewed the national state of public services.\n\nNext paragraph here."
    )


def test_hyphenation_is_undone_but_real_compounds_keep_their_hyphen():
    raw = (
        "Thanks to our partners, contributors, and collabo-\nrators. Our collaborators "
        "are many. We want context-\nspecific commissioning, community-\nfocussed and "
        "a community that is focussed on the specific context.\n"
    )
    text = clean(raw)
    assert "and collaborators." in text
    assert "context-specific commissioning" in text
    assert "community-focussed" in text


def test_headings_stay_on_their_own_line():
    raw = (
        "Our think pieces\nCommissioning is an \napproach to transformation\nBenjamin Taylor and Garath \n"
        "Symonds, the Academy\n‘Commissioning is simultaneously \nmisunderstood, denigrated, \n"
        "and important.’ Here, in \nsurveying the range.\n"
    )
    assert clean(raw).split("\n") == [
        "Our think pieces",
        "Commissioning is an approach to transformation",
        "Benjamin Taylor and Garath Symonds, the Academy",
        "‘Commissioning is simultaneously misunderstood, denigrated, and important.’ Here, in surveying the range.",
    ]


def test_rejoins_a_sentence_cut_by_a_blank_line():
    raw = "All of Suffolk’s 44 libraries have \n\nremained open and all libraries \nare run by paid staff.\n"
    assert clean(raw) == "All of Suffolk’s 44 libraries have remained open and all libraries are run by paid staff."


def test_a_running_label_between_halves_of_a_sentence_moves_ahead():
    raw = (
        "More importantly, you will find that helping each other is a theme across public service \n\n"
        "Introduction and overview\n\ntransformation – a coalescing of ideas.\n"
    )
    assert clean(raw) == (
        "Introduction and overview\n\n"
        "More importantly, you will find that helping each other is a theme across public service "
        "transformation – a coalescing of ideas."
    )


def test_unmarked_wraps_are_found_by_line_width():
    # pypdfium2 text has no trailing spaces: a line that stops short of the width is a break
    raw = (
        "The council worked closely with its partners across the\n"
        "region to design a new model for children's services in\n"
        "Leicestershire, which launched in 2019.\n"
        "Key contacts\n"
    )
    assert clean(raw) == (
        "The council worked closely with its partners across the region to design a new model for "
        "children's services in Leicestershire, which launched in 2019.\nKey contacts"
    )


def test_one_paragraph_per_line_text_is_left_alone():
    raw = "Group Lead: Nigel Ball\n\nNorth\n\nThe Northern group met twice in 2019.\n"
    assert clean(raw) == raw.strip()


def test_web_address_broken_across_lines_joins_without_space():
    raw = "See www.parliament.uk/business/\ncommittees/work-and-\npensions-committee/ for more.\n"
    assert "www.parliament.uk/business/committees/work-and-pensions-committee/" in clean(raw)


def test_table_rows_and_breadcrumbs_stay_lines_of_their_own():
    """A row's last cell and the next row's first are two names, not one wrapped line."""
    raw = ("Partner | Region | Contact | Lead officer for the pilot programme this year\n"
           "Brackwater District Council | North West | agreed | Orla Quinnell\n"
           "Saltmarsh City Council | South East | declined | Piran Holloway\n")
    lines = clean(raw).split("\n")
    assert lines[1] == "Brackwater District Council | North West | agreed | Orla Quinnell"
    assert lines[2].startswith("Saltmarsh City Council")
    assert clean("Home | News | Health and care\nCouncil backs new hub\n").split("\n")[0] == "Home | News | Health and care"


# -- clean_text: layout artefacts ---------------------------------------------------------------


def test_bullet_glyphs_go_and_items_stay_separate():
    raw = "We feature two partners:\n●● The Connected Places Catapult, \n\noperating to connect places. \n\n●● The Government Outcomes Lab.\n"
    text = clean(raw)
    assert "●" not in text
    assert text == (
        "We feature two partners:\nThe Connected Places Catapult, operating to connect places.\n\n"
        "The Government Outcomes Lab."
    )


def test_word_bookmarks_and_private_use_glyphs_go():
    raw = "[bookmark: _Toc1379496292]Our progress\n\uf0b7 Convene the anchors.\n\t[bookmark: _Int_VCI32LUb]Secure funding\n"
    assert clean(raw) == "Our progress\nConvene the anchors.\nSecure funding"


def test_running_header_with_glued_page_number_goes():
    header = "Public service: state of transformation 2019 report from the Academy"
    raw = f"First page body text ends here.\n\n\n{header}6\n\nSecond page body.\n\n{header}50\n\nThird page.\n"
    text = clean(raw)
    assert "Academy" not in text
    assert text == "First page body text ends here.\n\nSecond page body.\n\nThird page."


def test_a_footnote_number_after_a_name_is_not_a_header():
    raw = "to say that the Public Service \nTransformation Academy8 \n– a partnership – has taken responsibility.\n"
    assert "Transformation Academy8" in clean(raw)


def test_repeated_headers_and_page_numbers_at_page_edges_go_in_paged_input():
    pages = [f"Annual Report 2024\nBody of page {n} is here.\n{n}" for n in range(1, 6)]
    text, starts = clean_text(pages)
    assert "Annual Report" not in text
    assert text.split("\n\n") == [f"Body of page {n} is here." for n in range(1, 6)]
    assert [text[s:].split(" ")[3] for s in starts] == ["1", "2", "3", "4", "5"]


def test_pull_quote_repeating_the_body_is_dropped():
    body = (
        "Multi-agency integration is not a ‘project’ unrelated to the way mainstream services are "
        "delivered. Rather it is the way mainstream services should be delivered across the whole "
        "system and in partnership with residents. The team meets weekly in the hub."
    )
    quote = "Multi-agency integration is not \na ‘project’ unrelated to the \nway mainstream services \nare delivered.\n"
    text = clean(f"The Oldham Model\n\n{quote}\n{body}\n")
    assert text.count("Multi-agency integration") == 1
    assert text == f"The Oldham Model\n\n{body}"


def test_pull_quote_dropped_into_a_sentence_is_removed_and_the_sentence_rejoined():
    raw = (
        "Properties are bought across the borough in consultation \n\n"
        "As of January 2019, the company had housed 168 families.\n"
        "with staff in housing needs. As of January 2019, the company had housed 168 families, "
        "including 411 children.\n"
    )
    assert clean(raw) == (
        "Properties are bought across the borough in consultation with staff in housing needs. "
        "As of January 2019, the company had housed 168 families, including 411 children."
    )


def test_short_repeated_headings_are_kept():
    raw = "The headlines\nCase one did well.\n\nThe headlines\nCase two did well too.\n"
    assert clean(raw).count("The headlines") == 2


def test_icon_font_labels_and_skip_links_from_saved_web_pages_go():
    raw = "Skip to content\nchevron icon Twitter logo Facebook logo LinkedIn logo YouTube logo download icon\n\nReal text.\n"
    assert clean(raw) == "Real text."
    assert clean("Skip to the shops.") == "Skip to the shops."


def test_spaces_are_normalised_but_quotes_are_kept():
    assert clean("Our chair is\u00a0Anne  Davies,\tDean of “Law”.  \n") == "Our chair is Anne Davies, Dean of “Law”."


# -- clean_text: pages --------------------------------------------------------------------------


def test_page_offsets_point_at_each_page_text():
    text, starts = clean_text(["First page.", "", "Third page."])
    assert text == "First page.\n\nThird page."
    assert starts == (0, 11, 13)  # an empty page starts where the page before it ends
    assert text[starts[2] :].startswith("Third")


def test_empty_input():
    assert clean_text([]) == ("", ())
    assert clean_text(["  \n\n "]) == ("", (0,))


@given(st.lists(st.text(), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_clean_text_never_fails_and_offsets_are_ordered(pages):
    text, starts = clean_text(pages)
    assert len(starts) == len(pages)
    assert list(starts) == sorted(starts)
    assert all(0 <= s <= len(text) for s in starts)
    assert text == text.strip()
    assert clean_text([text])[0] == text or "\n" in text or "-" in text  # cleaning settles
