"""How a candidate is tied to the question's relation and subject (issue 18): the post written on a
person's own line or beside their name, a sentence that refers back to its subject ('It is run by'),
the asked verb against a kin verb, and a figure of the asked kind. A made-up report, ingested for
real (spaCy, MiniLM, Chroma)."""

import pytest

REPORT = """Fernleigh Safer Streets Board: minutes

Attendees
Marisol Quenby – Inspector, Fernleigh Constabulary (Chair)
Teodor Haverill – Head of Community Safety, Fernleigh District Council
Wynne Calloway – Area Manager, Fernleigh Fire Service

Lanternwalk is a late-night welfare hub for the town centre. It is run by Brackwater Outreach, a charity based in Fernleigh.

The Marrowgate Lunch Club serves older residents. Upfront capital of £90,000 is provided by Selwick Social Capital, and the club is delivered by Pennyfold Kitchens.

The Orrin Valley Warm Homes scheme will insulate 240 homes, with a budget of £1.3 million.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from .conftest import engine_for_text

    return engine_for_text(tmp_path_factory, "fernleigh-minutes.txt", REPORT)


@pytest.mark.parametrize("question, expected", [
    # 'It is run by ...': the sentence's subject is the hub named just before.
    ("Who runs Lanternwalk?", "Brackwater Outreach"),
    # 'delivered by' answers 'who delivers', 'provided by' does not.
    ("Who delivers the Marrowgate Lunch Club?", "Pennyfold Kitchens"),
    ("How many homes will the Orrin Valley Warm Homes scheme insulate?", "240"),
    ("How much funding does the Orrin Valley Warm Homes scheme have?", "£1.3 million"),
])
def test_tied_answers(engine, question, expected):
    assert engine.ask(question).answer == expected


def test_the_chair_is_on_her_own_line_not_the_next(engine):
    # The post on the next attendee's line is theirs, not the chair's (the line rule itself is
    # checked on text in test_role_near_reads_lines_and_titles).
    ans = engine.ask("Who chairs the Fernleigh Safer Streets Board?")
    assert ans.answer != "Teodor Haverill"


def test_a_figure_of_another_kind_is_no_answer(engine):
    # The report gives the scheme's homes and budget, not what it costs each household: a count
    # is not a sum of money, and the sum is not a count.
    ans = engine.ask("How many homes will the Marrowgate Lunch Club insulate?")
    assert ans.answer != "£90,000"


def test_role_near_reads_lines_and_titles():
    from search.answer import ROLE_OTHER, _role_near
    from search.question import Question

    q = Question(text="Who chairs the board?", kind="who", answer_types=("person",), role="chair")
    text = "Ada Pell – Inspector, Farnwell Police (Chair)\nBo Tamsin – Head of Policy, Farnwell Council\n"
    a = text.index("Ada Pell")
    b = text.index("Bo Tamsin")
    assert _role_near(q, text, a, a + 8) == 1.0
    assert _role_near(q, text, b, b + 9) == ROLE_OTHER
    prose = "Our chair is Cara Venn, Dean of the Farnwell Law School."
    c = prose.index("Cara Venn")
    assert _role_near(q, prose, c, c + 9) == 1.0
