"""Answers that sit on label lines, contact cards and side panels, lists of kinds, and names that
are not names (issue 5): a made-up report, ingested for real (spaCy, MiniLM, Chroma)."""

import pytest

REPORT = """Kestrel Vale Council: community pantries review
Author: Priya Ramdas

Gardens Change Lives

Community gardens change how neighbours meet, and the council hopes lives change with them.

The Kestrel Vale pantry network opened four community pantries in 2021. The pantry board brings together housing associations, youth clubs, GPs and local charities, and it meets every quarter.

The first review of the pantry network, published in May, was led by Ines
Marlowe-Keane, who visited every pantry.

Volunteers at the pantries include retired teachers, students, nurses and faith group members.

Network LeadRowan Achebe

Warm Homes scheme

The Warm Homes scheme insulated 300 homes across the valley in its first year.

Lead officer – A. Halloran

For more information on the Warm Homes scheme, please contact Dr Imani Castellano, Energy Policy Adviser.

Repair cafés

The repair cafés fix donated bikes, radios and lamps each month. Parks staff lend the cafés their sheds; for the parks, ask Tam Oyelaran Head of Parks at Kestrel Vale Council.

Contact
Tobias Wrenfield
Circular Economy Manager
Kestrel Vale Council

Our key contacts
Marla Quintero, Head of Housing Support, Kestrel Vale Council
marla.quintero@kestrelvale.gov.uk
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from .conftest import engine_for_text

    return engine_for_text(tmp_path_factory, "kestrel-pantries.txt", REPORT)


@pytest.mark.parametrize("question, expected, type_", [
    # lists of kinds: the coordinated common nouns the question's type word points at
    ("Which kinds of bodies does the pantry board bring together?",
     "housing associations, youth clubs, GPs and local charities", "span"),
    ("What kinds of people volunteer at the pantries?", "retired teachers, students, nurses and faith group members", "span"),
    # a label glued to its name states the post ('Network LeadRowan Achebe')
    ("What role does Rowan Achebe play in the pantry network?", "Network Lead", "role"),
    ("Who leads the Kestrel Vale pantry network?", "Rowan Achebe", "person"),
    # a label in lower case after its first word, a name given by an initial
    ("Who is the lead officer for the Warm Homes scheme?", "A. Halloran", "person"),
    # 'please contact' with a title before the name; a side panel over lines; a contact card
    ("Who should I contact about the Warm Homes scheme?", "Imani Castellano", "person"),
    ("Who is the contact for the repair cafés?", "Tobias Wrenfield", "person"),
    ("What is Tobias Wrenfield's job?", "Circular Economy Manager", "role"),
    ("Who should I contact about housing support at Kestrel Vale Council?", "Marla Quintero", "person"),
    # a name the line wrap broke in two; a sentence that states the answer beats a label whose
    # section merely holds it
    ("Who visited every pantry?", "Ines Marlowe-Keane", "person"),
    ("Who led the review of the pantry network published in May?", "Ines Marlowe-Keane", "person"),
    # an author's label line under the title
    ("Who wrote the community pantries review?", "Priya Ramdas", "person"),
    # a name with its post right after it and no comma
    ("Who is Head of Parks at Kestrel Vale Council?", "Tam Oyelaran", "person"),
    ("What is Tam Oyelaran's job?", "Head of Parks", "role"),
])
def test_labels_cards_and_kinds(engine, question, expected, type_):
    ans = engine.ask(question)
    assert (ans.answer, ans.answer_type) == (expected, type_)
    assert ans.sources[0].doc == "kestrel-pantries.txt"


@pytest.mark.parametrize("question", [
    "Who leads the Kestrel Vale pantry network?",
    "Who should I contact about housing support at Kestrel Vale Council?",
    "Who is the lead officer for the Warm Homes scheme?",
])
def test_person_candidates_are_names(engine, question):
    # a heading of capitalised common words, a post's own words and a half name are no people
    people = [c.name for c in engine.ask(question).candidates if c.type == "person"]
    assert people and not {"Gardens Change Lives", "Circular Economy", "Housing Support", "Dr Imani"} & set(people)
    assert len(people) == len(set(people))  # one entry per name


def test_kind_lists_read_coordinated_nouns():
    from search.spans import kind_lists

    text = "The forum includes parish councils, housing associations, and other local charities from the county."
    assert [text[a:b] for a, b, _ in kind_lists(text)] == ["parish councils, housing associations, and other local charities"]
    # an object after the list's last 'and' that the parser reads as a second object is in the list
    text = "It could be tackled by bringing together wardens, social workers, GPs and Jobcentre staff."
    assert [text[a:b] for a, b, _ in kind_lists(text, 3)] == ["wardens, social workers, GPs and Jobcentre staff"]
    # an item with its own phrase does not cut the list in two
    text = "The teams combine porters, cooks, DWP staff from local job centres, wardens and elected councillors."
    assert [text[a:b] for a, b, _ in kind_lists(text, 3)] == [
        "porters, cooks, DWP staff from local job centres, wardens and elected councillors"]
    assert kind_lists("The board met twice.") == []


def test_label_lines_panels_and_cards_on_text():
    from search.layout import labels_of

    text = ("Reed report\nWritten by Priya Ramdas\n\nThe group met in May.\n\nLead officer – A. Halloran\n\nContact\nTobias Wrenfield\n"
            "Circular Economy Manager\nKestrel Vale Council\n\nChair of Kestrel Vale Council\n\n"
            "Marla Quintero, Head of Housing Support, Kestrel Vale Council\nmarla.quintero@kestrelvale.gov.uk\n\n"
            "Jo Bloggs, a resident, said the pantry helped.\n")
    got = [(lb.label, lb.value, lb.card) for lb in labels_of(text)]
    assert got == [("Written by", "Priya Ramdas", False), ("Lead officer", "A. Halloran", False), ("Contact", "Tobias Wrenfield", False),
                   ("Contact", "Marla Quintero", True)]
    for lb in labels_of(text):
        assert text[lb.value_start : lb.value_end] == lb.value
        assert text[lb.label_start : lb.label_end] in (lb.label, lb.value)


def test_contact_spans_keep_the_whole_name():
    from search.spans import contact_spans

    text = "Please contact Dr Imani Castellano or write to A. McQuarrie-Lowe for details."
    assert [text[a:b] for a, b in contact_spans(text)] == ["Imani Castellano", "A. McQuarrie-Lowe"]


def test_one_role_vocabulary():
    from search.answer import _ROLE_HEADS
    from ingest.text import ROLE_WORDS
    from search.spans import title_spans

    assert {"manager", "adviser", "clerk", "executive"} <= _ROLE_HEADS == {w.split()[-1] for w in ROLE_WORDS}
    text = "A new Parish Clerk and a Housing Analyst were appointed."
    assert [text[a:b] for a, b in title_spans(text)] == ["Parish Clerk", "Housing Analyst"]


def test_a_post_right_after_a_name():
    from search.answer import _name_spans
    from search.spans import role_spans

    text = "Our key contacts: Tam Oyelaran Head of Parks, Fenwick Council"
    assert [text[a:b] for a, b in role_spans(text, 18, 30)] == ["Head of Parks"]
    assert [text[a:b] for a, b, t in _name_spans(text, []) if t == "person"] == ["Tam Oyelaran"]
    text = "Tobias Wrenfield, Circular Economy Manager at the council"
    assert [text[a:b] for a, b, t in _name_spans(text, []) if t == "person"] == ["Tobias Wrenfield"]


def test_the_fuller_statement_of_a_post_is_preferred():
    from search.answer import _Cand, _most_specific

    ranked = [_Cand("a", "Deputy Director", "role", score=0.6), _Cand("b", "Head of Parks", "role", score=0.5),
              _Cand("c", "Deputy Director for Digital", "role", score=0.4)]
    assert [c.name for c in _most_specific(ranked)] == ["Deputy Director for Digital", "Deputy Director", "Head of Parks"]
    assert _most_specific(ranked)[0].score == 0.6


def test_a_name_broken_by_a_line_wrap():
    from search.answer import _name_spans

    text = "The review of the pantry network was led by Ines\nMarlowe-Keane, who visited every pantry.\n\nContact\nTobias Wrenfield"
    people = [text[a:b] for a, b, t in _name_spans(text, []) if t == "person"]
    assert "Ines\nMarlowe-Keane" in people and not any(p.startswith("Contact") for p in people)
