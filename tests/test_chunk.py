"""Sentence splitting and passages: whole sentences, exact offsets, sized for the embedding model."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunk import chunk, split_sentences
from ingest.records import Document, content_hash, passage_id


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def make_doc(text: str, pages: tuple[int, ...] = ()) -> Document:
    return Document(doc="report.txt", text=text, title="t", format="txt", sha256=content_hash(text), pages=pages)


# -- split_sentences ----------------------------------------------------------------------------


def test_titles_abbreviations_and_initials_do_not_end_sentences():
    text = "Dr. Carolyn Wilkins spoke. Mr. J. K. Smith agreed, e.g. on pay. It rose i.e. doubled. See No. 10 today."
    assert sentences(text) == [
        "Dr. Carolyn Wilkins spoke.",
        "Mr. J. K. Smith agreed, e.g. on pay.",
        "It rose i.e. doubled.",
        "See No. 10 today.",
    ]


def test_decimals_money_and_quotes():
    text = "Wigan invested £1.5m in 2.5 years. ‘It works.’ The results were clear! Was it? Yes."
    assert sentences(text) == ["Wigan invested £1.5m in 2.5 years.", "‘It works.’", "The results were clear!", "Was it?", "Yes."]


def test_line_breaks_and_bullets_end_sentences():
    text = "Group Lead\nSamantha Magne\n\nThe headlines • One item • Two items"
    assert sentences(text) == ["Group Lead", "Samantha Magne", "The headlines", "• One item", "• Two items"]


def test_lower_case_after_a_period_continues_the_sentence():
    assert sentences("It costs approx. three million. Then it stops.") == ["It costs approx. three million.", "Then it stops."]


def test_span_window():
    text = "One. Two. Three."
    assert split_sentences(text, 5, 9) == [(5, 9)]


def pieces(items: list[str], max_size: int):
    return st.lists(st.sampled_from(items), max_size=max_size).map("".join)


@given(pieces(list("ab .!?\n\t’”£1") + ["Dr", "e.g.", "No."], 200))
@settings(max_examples=300, deadline=None)
def test_sentences_cover_all_text_in_order(text):
    spans = split_sentences(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)
    for (s, e), (s2, _) in zip(spans, spans[1:]):
        assert e <= s2
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)


# -- chunk --------------------------------------------------------------------------------------


def long_paragraph(n: int, word: str = "word") -> str:
    return " ".join(f"Sentence {i} has some {word} in it for the test." for i in range(n))


def test_passages_are_whole_sentences_with_exact_offsets_and_ids():
    text = long_paragraph(40)
    doc = make_doc(text)
    passages = chunk(doc)
    assert len(passages) > 1
    for i, p in enumerate(passages):
        assert text[p.start : p.end] == p.text
        assert p.index == i and p.doc == "report.txt" and p.page is None
        assert p.id == passage_id(doc.doc, doc.sha256, p.start, p.end)
        assert p.text.startswith("Sentence ") and p.text.endswith("test.")
        assert 60 <= len(p.text.split()) <= 180


def test_short_paragraphs_join_what_follows_and_long_ones_stand_alone():
    text = "Terry Rich\nChair of the PSTA since 2017.\n\n" + long_paragraph(12) + "\n\n" + long_paragraph(12, "other")
    passages = chunk(make_doc(text))
    assert passages[0].text.startswith("Terry Rich\nChair of the PSTA since 2017.\n\nSentence 0")
    # each long paragraph gets passages of its own
    assert all(("some word" in p.text) != ("some other" in p.text) for p in passages)


def test_passages_never_cross_a_page_boundary():
    page1 = "Short first page."
    page2 = "Second page starts here. " + long_paragraph(3)
    text = page1 + "\n\n" + page2
    doc = make_doc(text, pages=(0, len(page1) + 2))
    passages = chunk(doc)
    assert [p.page for p in passages] == [1, 2]
    assert passages[0].text == page1


def test_an_over_long_sentence_is_cut_to_fit():
    text = " ".join(["word"] * 500)
    passages = chunk(make_doc(text), target_words=110, max_words=180)
    assert all(len(p.text.split()) <= 180 for p in passages)
    assert sum(len(p.text.split()) for p in passages) == 500


def test_empty_text_has_no_passages():
    assert chunk(make_doc("")) == []
    assert chunk(make_doc(" \n\n ")) == []


def test_bad_sizes_are_rejected():
    with pytest.raises(ValueError, match="target_words"):
        chunk(make_doc("x"), target_words=200, max_words=100)


@given(
    pieces(list("abc Z.?!\n\n  ’-") + ["Dr. ", "e.g. ", "£1.5m "], 1500),
    st.lists(st.integers(min_value=0, max_value=2000), max_size=5),
    st.integers(min_value=5, max_value=120),
)
@settings(max_examples=300, deadline=None)
def test_passage_offsets_hold_for_any_text(text, page_starts, target):
    pages = tuple(sorted({0, *(p for p in page_starts if p <= len(text))})) if page_starts else ()
    doc = make_doc(text, pages)
    passages = chunk(doc, target_words=target, max_words=target * 2)
    sents = split_sentences(text)
    for p in passages:
        assert doc.text[p.start : p.end] == p.text
        assert p.page == doc.page_at(p.start)
        assert len(p.text.split()) <= target * 2
        # never across a page boundary
        assert not any(p.start < b < p.end for b in pages)
    for a, b in zip(passages, passages[1:]):
        assert a.end <= b.start
    # every non-space character is in exactly one passage
    covered = "".join(p.text for p in passages)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)
    # a sentence that fits and does not straddle a page start is never split
    for s, e in sents:
        if len(text[s:e].split()) <= target * 2 and not any(s < b < e for b in pages):
            assert any(p.start <= s and e <= p.end for p in passages)
