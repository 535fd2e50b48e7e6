"""Document titles come from the document: metadata when it names the document, else the first
heading; never navigation, page furniture or a site's name."""

from pathlib import Path

import pytest

from ingest.loaders import _clean_title, load_document

TITLES = Path(__file__).parent / "data" / "titles"


@pytest.mark.parametrize("name, title", [
    ("og-title.html", "Fenmoor adopts a shared outcomes charter"),  # og:title, not "<title> | Site"
    ("site-suffix.html", "Riverside peer review findings"),  # "<title> – Site" minus the site
    ("home-title.html", "Kestrel Valley learning network"),  # <title>Home</title>: the h1 instead
    ("furniture-first.txt", "Kestrel Valley pilots neighbourhood hubs"),  # past the nav lines and byline
    ("section-first.txt", "Section first"),  # a section heading then body text: the file name
    ("contents-first.md", "Harbourside learning pods in practice"),  # "# Contents" is not a title
    ("core-title.docx", "Ashdown neighbourhood working review"),  # the Word title property
    ("heading-title.docx", "Fenmoor family hubs evaluation"),  # "Microsoft Word - draft_v3.docx", then "Contents"
    ("meta-title.pdf", "Kestrel Valley partnership annual report"),  # the PDF Title
    ("untitled-meta.pdf", "Harbourside digital inclusion review"),  # Title "untitled": the first heading
])
def test_title_from_the_document(name, title):
    assert load_document(TITLES / name).title == title


@pytest.mark.parametrize("line", [
    "Home", "Menu", "Skip to content", "Latest Public Sector News", "Our progress", "Contents",
    "We use cookies to improve this site", "Accept all cookies", "Home > News > Council",
    "News Article March 3rd, 2022", "Recommendation 4: Share the data", "Microsoft Word - draft_v3.docx",
    "report_final_v2", "untitled", "2024",
])
def test_furniture_is_never_a_title(line):
    assert _clean_title(line) == ""


@pytest.mark.parametrize("raw, title", [
    ("Annual review 2023 | Harbourside Council", "Annual review 2023"),
    ("Report title - GOV.UK", "Report title"),
    ("Family hubs: what we learned – Centre for Local Practice", "Family hubs: what we learned"),
    ("Peer learning in Fenmoor - lessons from the first year", "Peer learning in Fenmoor - lessons from the first year"),
    ("Annual report May 2023", "Annual report May 2023"),
])
def test_a_site_name_is_dropped_and_a_subtitle_kept(raw, title):
    assert _clean_title(raw) == title
