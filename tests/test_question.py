"""Question understanding: the type asked for, list questions, roles, relations, named entities."""

import networkx as nx
import pytest

from ingest.text import stem
from search.cache import name_index
from search.question import parse


@pytest.mark.parametrize("text, kind, first_type, wants_list", [
    ("Who is the chief executive of Brackwater Council?", "who", "person", False),
    ("Which organisations did Brackwater Council work with?", "which", "organisation", True),
    ("Which consultancy is the lead partner of the academy?", "which", "organisation", False),
    ("Which police force partnered with the council?", "which", "organisation", False),
    ("Where is the Brackwater Skills Hub?", "where", "place", False),
    ("How much did the council invest in repairs?", "quantity", "outcome", False),
    ("How many households received help?", "quantity", "outcome", False),
    ("What is the maximum value of the contract?", "quantity", "outcome", False),
    ("When was the network launched?", "when", "date", False),
    ("What is the name of the induction programme for new staff?", "which", "programme", False),
    ("What does the partnership provide an opportunity to do?", "span", "span", False),
    ("Whose report did the group discuss?", "who", "organisation", False),
])
def test_question_type(text, kind, first_type, wants_list):
    q = parse(text)
    assert (q.kind, q.answer_type, q.wants_list) == (kind, first_type, wants_list)


def test_role_relation_and_span_tail():
    q = parse("Who is the chief executive of Brackwater Council?")
    assert q.role == "chief executive" and q.relation == "works_for"
    assert parse("Who leads the Lanterns Network?").relation == "leads"
    assert parse("Which organisations partnered with Fenwick on housing?").relation == "partners_with"
    tail = parse("What does the partnership provide an opportunity to do?").tail
    assert tail[-3:] == (stem("an"), stem("opportunity"), "to")


def test_role_from_the_verb_and_whose_head():
    assert parse("Who chairs the Tidewater Club?").role == "chair"
    assert parse("Who heads the housing team?").role == "head"
    q = parse("Whose report did the group discuss?")
    assert q.head == "report" and q.answer_types[0] == "organisation"


def test_acronyms_of_long_names():
    from search.question import acronym

    assert acronym("Public Service Transformation Academy") == "PSTA"
    assert acronym("Department for Digital, Culture, Media and Sport") == "DDCMS"
    assert acronym("Oxford Hub") is None  # two words: initials would match too much


def _graph():
    g = nx.MultiDiGraph()
    g.add_node("organisation:brackwater-council", type="organisation", name="Brackwater Council",
               aliases=["BC"], docs=["a.txt"])
    g.add_node("organisation:institute-for-coastal-policy", type="organisation", name="Institute for Coastal Policy",
               aliases=["ICP"], docs=["a.txt"])
    g.add_node("person:imogen-hartley", type="person", name="Imogen Hartley", aliases=[], docs=["a.txt"])
    return g


class _State:
    def __init__(self, graph):
        self.graph = graph


def test_named_entities_by_name_acronym_and_fuzzy_match():
    g = _graph()
    index = name_index(g)
    q = parse("Who is the chief executive of Brackwater Council?", _State(g), index=index)
    assert q.entities == ("organisation:brackwater-council",)
    assert stem("brackwater") in q.anchors
    # acronym alias, and a misspelt name (fuzzy, ratio >= 90)
    assert parse("Who is director at the ICP?", _State(g), index=index).entities == ("organisation:institute-for-coastal-policy",)
    assert parse("Who leads the Brackwatter Council?", _State(g), index=index).entities == ("organisation:brackwater-council",)
    # entity words are not question terms; a common lower-case word is not a name
    # the named entity's other names travel with the question (graph aliases, initials of long names)
    assert "ICP" in parse("Who chairs the Institute for Coastal Policy?", _State(g), index=index).aliases
    q = parse("Which council does Imogen Hartley work for?", _State(g), index=index)
    assert q.entities == ("person:imogen-hartley",) and "imogen" not in q.terms


@pytest.mark.parametrize("text, kind, first_type, head", [
    ("About how many staff attended?", "quantity", "outcome", None),  # a leading adverb
    ("Alongside nurses and GPs, staff from which organisation joined?", "which", "organisation", "organisation"),
    ("Which think tank argued that councils learn best from each other?", "which", "organisation", "think tank"),
    ("Which Brackwater Council officer met the minister?", "who", "person", "officer"),  # not 'council'
    ("At which leisure centre was the pilot run?", "where", "place", "centre"),
    ("What is Imogen Hartley's job at Brackwater Council?", "role", "role", None),
    ("Under what rule are the meetings held?", "thing", "span", "rule"),
    ("What kind of projects should councils fund?", "thing", "span", "projects"),
    ("What was the prevention project that the council developed?", "which", "programme", "project"),
])
def test_question_kinds_beyond_the_wh_word(text, kind, first_type, head):
    q = parse(text)
    assert (q.kind, q.answer_type, q.head) == (kind, first_type, head)


def test_people_subject_and_amounts():
    q = parse("What is Imogen Hartley's job at Brackwater Council?")
    assert q.people == ("Imogen Hartley",)
    assert parse("What does the growth of regional compacts offer?").subject == "the growth of regional compacts"
    from ingest.text import content_words

    assert content_words("£1.4 million")[0] == content_words("£1.4million")[0] == content_words("£1,400,000")[0]


def test_stem_meets_an_adverb_and_its_adjective():
    from ingest.text import stem

    assert stem("regularly") == stem("regular") and stem("heavily") == stem("heavy") and stem("locally") == stem("local")
    assert stem("family") != stem("fam")  # short words keep their ending


def test_kinds_questions_name_their_noun():
    from search.question import parse

    assert parse("Which kinds of frontline staff does the board bring together?").head == "staff"
    assert parse("What kinds of members make up the group?").head == "members"
    # 'kinds' is the question's form, not a word the answer's sentence must hold
    assert "kind" not in parse("Which kinds of bodies took part?").terms
