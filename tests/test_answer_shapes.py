"""Answer shapes held-out questions ask for (issue 5, second pass): how often, a day without its
year, circa figures, money against counts, a rule named before a verb, posts with a modifier, a
subject identified by a relative clause. A made-up report, ingested for real (spaCy, MiniLM, Chroma)."""

import pytest

REPORT = """Corvane Borough Council: progress on the renewal plan

The Tansy Circle is a network of parish clerks across Corvane. We host fortnightly calls and keep a shared folder of templates. Our next fortnightly call is on the 14th of June.

The Quillmoor steering board meets under the Harrow Table Rule, so nothing said there is attributed to anyone.

A two-day volunteers' festival is planned in May 2025, bringing together c480 residents from across the borough.

The Pellow Street hub team has been successful in bringing £87,350 of outside grants to support over 100 local clubs.

Following a temporary secondment, we are recruiting a permanent Parks and Libraries Manager.

Odile Marsh, who rebuilt the borough's adoption service, is currently Chief Executive of the Royal Borough of Wexley upon Tarne.

News Item August 3rd, 2023

The new parking charges for the town centre were agreed by Cabinet in March.

Brindle Kitchens, commissioned by the county council, delivers hot school meals from the borough's community hubs.

The volunteer matching app was designed by Pollard Digital and tested by residents.

Besides sharing caseload data, the rota swap builds trust as officers cover each other's shifts.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from .conftest import engine_for_text

    return engine_for_text(tmp_path_factory, "corvane-progress.txt", REPORT)


@pytest.mark.parametrize("question, expected, type_", [
    ("How often does the Tansy Circle hold its calls?", "fortnightly", "outcome"),
    ("On what date is the Tansy Circle's next call?", "14th of June", "date"),
    ("Roughly how many residents will the volunteers' festival bring together?", "c480", "outcome"),
    ("How much outside funding has the Pellow Street hub team brought in?", "£87,350", "outcome"),
    ("What confidentiality rule governs the Quillmoor steering board's meetings?", "Harrow Table Rule", "span"),
    ("What permanent post is Corvane recruiting to?", "Parks and Libraries Manager", "role"),
    ("What job does Odile Marsh, who rebuilt the borough's adoption service, hold now?",
     "Chief Executive of the Royal Borough of Wexley upon Tarne", "role"),
    ("Who approved the new parking charges for the town centre?", "Cabinet", "person"),
    ("Which provider delivers hot school meals from the community hubs?", "Brindle Kitchens", "organisation"),
    ("Which firm developed the volunteer matching app?", "Pollard Digital", "organisation"),
    ("Apart from sharing caseload data, what does the rota swap build among officers?", "trust", "span"),
])
def test_answer_shapes(engine, question, expected, type_):
    ans = engine.ask(question)
    assert (ans.answer, ans.answer_type) == (expected, type_)
    assert ans.sources[0].doc == "corvane-progress.txt"


def test_span_readers_on_text():
    from search.spans import frequency_spans

    text = "Calls are held monthly, reviews twice a year and audits every six weeks; hubs open each week."
    assert [text[a:b] for a, b in frequency_spans(text)] == ["monthly", "twice a year", "every six weeks", "each week"]


def test_who_did_the_asked_act():
    from search.spans import agent_spans, asked_verb, subject_of

    assert asked_verb("Which firm developed the app?") == asked_verb("Who develops apps?")
    text = "The plan was agreed by Cabinet. It was printed by Hollin Press."
    assert [text[a:b] for a, b in agent_spans(text, asked_verb("Who approved the plan?"))] == ["Cabinet"]
    text = "Brindle Kitchens, commissioned by the county, delivers school meals."
    assert [text[a:b] for a, b in subject_of(text, asked_verb("Which provider delivers school meals?"))] == ["Brindle Kitchens"]
    assert subject_of("The county delivers nothing itself.", asked_verb("Which firm designed it?")) == []


def test_object_of_a_kindred_verb():
    from ingest.text import content_words
    from search.spans import object_of, question_verb

    q = "Apart from sharing data, what does the rota swap build among officers?"
    assert question_verb(q) == ("the rota swap", "build")
    q = "What does the growth of local compacts provide?"
    text = "The growth of local compacts offers an opportunity to rebuild trust between towns."
    s, e, _ = object_of(text, *question_verb(q), frozenset(content_words(q)))
    assert text[s:e] == "an opportunity to rebuild trust between towns"


def test_question_shapes():
    from ingest.text import stem
    from search.question import parse

    assert stem("brought") == stem("bringing")
    q = parse("Which councillor's article calls for a thank-you day?")
    assert (q.kind, q.answer_types, q.head) == ("who", ("person",), "councillor")
    q = parse("What confidentiality rule governs the board's meetings?")
    assert q.head == "rule"
    assert parse("What permanent post is the council recruiting to?").kind == "role"
    q = parse("Where did the article on pods first appear?")
    assert (q.kind, q.answer_types) == ("which", ("organisation",))
    q = parse("Which parts of Corvane is the plan for?")
    assert (q.kind, q.answer_types, q.wants_list) == ("where", ("place",), True)
    q = parse("What job does Odile Marsh, who rebuilt the adoption service, hold now?")
    assert "adopt" not in q.terms and "rebuilt" not in q.terms
