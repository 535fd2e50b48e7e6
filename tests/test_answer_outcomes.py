"""Outcome questions answered from outcome records (issue 18): "What did X achieve?" answers with X's
results, "How much did X save?" with the figure, the record's sentence as evidence, even when the
result is stated in the sentence after the one that names X. A made-up report, ingested for real
(spaCy, MiniLM, Chroma)."""

import pytest

REPORT = """Harrowgate Vale District Council: annual review 2024

Our housing service had a demanding year, with more families than ever asking for help before an eviction notice arrived.

The Kettlewick Doorstep programme was launched in 2022 to reach tenants in rent arrears before they lose their homes. In its first year, evictions fell by 31% and the scheme saved £1.2m in temporary accommodation costs.

The Pellbrook Reading Fund was set up by Ansty Mere Libraries to encourage reading for pleasure. Library visits by children rose by 18% over the summer.

The council spent £350,000 on new play equipment in Orlingham parks.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from .conftest import engine_for_text

    return engine_for_text(tmp_path_factory, "harrowgate-review.txt", REPORT)


RESULT_SENTENCE = "In its first year, evictions fell by 31% and the scheme saved £1.2m"


def _evidence(ans, engine):
    """The first source is the sentence after the one naming the programme, and its answer span
    (offsets into the passage) is the figure the answer gives."""
    src = ans.sources[0]
    assert src.doc == "harrowgate-review.txt"
    assert RESULT_SENTENCE in src.passage
    assert src.answer_start is not None
    assert src.passage[src.answer_start : src.answer_end] == ans.answer
    text = engine.document(src.doc).text
    assert text[src.start : src.end] == src.passage


def test_how_much_did_the_programme_save(engine):
    ans = engine.ask("How much did the Kettlewick Doorstep programme save?")
    assert ans.answer == "£1.2m"
    assert ans.answer_type == "outcome"
    _evidence(ans, engine)
    fact = ans.facts[0]
    assert fact.did == "achieved" and fact.what == "£1.2m"
    assert "Kettlewick Doorstep" in fact.who
    assert fact.outcome["unit"] == "gbp" and fact.outcome["value"] == 1_200_000


def test_what_did_the_programme_achieve(engine):
    ans = engine.ask("What did the Kettlewick Doorstep programme achieve?")
    assert ans.answer == "evictions fell by 31%"
    _evidence(ans, engine)
    # the facts list the programme's results, the best first, each with its record and offsets
    whats = [f.what for f in ans.facts]
    assert whats[0] == ans.answer
    assert any("£1.2m" in w for w in whats)
    assert not any("18%" in w or "350,000" in w for w in whats)  # another body's result, money spent
    text = engine.document("harrowgate-review.txt").text
    for f in ans.facts:
        o = f.outcome
        assert o["doc"] == "harrowgate-review.txt"
        assert " ".join(text[o["start"] : o["end"]].split()) == o["sentence"]
        assert f.what == text[o["figure_start"] : o["figure_end"]]
    assert ans.facts[0].outcome["direction"] == "decrease" and ans.facts[0].outcome["unit"] == "percent"


def test_another_subject_gets_its_own_result(engine):
    ans = engine.ask("What did the Pellbrook Reading Fund achieve?")
    assert "18%" in ans.answer
    assert "31%" not in ans.answer


def test_by_how_much_did_evictions_fall(engine):
    ans = engine.ask("By how much did the Kettlewick Doorstep programme cut evictions?")
    assert ans.answer == "31%"
    _evidence(ans, engine)


def test_outcome_questions_are_recognised():
    from search.outcomes import outcome_ask
    from search.question import parse

    assert outcome_ask(parse("What did the Kettlewick Doorstep programme achieve?")) == "results"
    assert outcome_ask(parse("What has happened to evictions since the scheme began?")) == "results"
    assert outcome_ask(parse("How much did the scheme save?")) == "figure"
    assert outcome_ask(parse("How high has the recycling rate climbed?")) == "figure"
    assert outcome_ask(parse("What recovery rate did the service reach?")) == "figure"
    assert outcome_ask(parse("Who leads the Kettlewick Doorstep programme?")) is None


@pytest.mark.parametrize("sentence, number, figure, result", [
    ("Falls fell by 28%.", "28%", "28%", "Falls fell by 28%"),
    # a long clause is cut back to the figure with its verb
    ("Falls requiring medical attention at home fell by 28%.", "28%", "28%", "fell by 28%"),
    ("Waits dropped from 11 weeks to 9 days in a year.", "9", "from 11 weeks to 9 days", "Waits dropped from 11 weeks to 9 days"),
    ("Attendance rose by 9 percentage points.", "9", "9 percentage points", "Attendance rose by 9 percentage points"),
    ("In that time 143 people found jobs.", "143", "143 people", "143 people found jobs"),
    ("The scheme cut energy bills by £380 per home.", "£380", "£380 per home", "£380 per home"),
])
def test_figure_and_result_wording(sentence, number, figure, result):
    from search.outcomes import figure_span, result_span

    s = sentence.index(number)
    e = s + len(number)
    a, b = figure_span(sentence, s, e)
    assert sentence[a:b] == figure
    a, b = result_span(sentence, s, e)
    assert sentence[a:b] == result
