"""The span readers (search.spans) on hand-written sentences with made-up names: each returns
offsets into the text it was given, and the text at those offsets is the answer a reader wants."""

from search import spans as S


def shown(text, spans):
    return [text[s:e] for s, e, *_ in spans]


def test_counts_in_words_keep_their_hedge_and_skip_pronoun_one():
    text = "The panel met twice and around forty-five members came, three times more than in 2019."
    assert shown(text, S.count_spans(text)) == ["twice", "around forty-five", "three times"]
    assert S.count_spans("one of the members") == [] and S.count_spans("a hundred of them") == []


def test_how_often_something_happens():
    text = "The panel meets twice a year; the board reports quarterly and visits every six weeks."
    assert shown(text, S.frequency_spans(text)) == ["twice a year", "quarterly", "every six weeks"]


def test_a_hedge_before_a_number_starts_the_span():
    text = "Over 300 people and approximately 25 staff"
    at = text.index("25")
    assert text[S.with_hedge(text, at):at + 2] == "approximately 25"
    assert S.with_hedge(text, text.index("300")) == text.index("Over")


def test_job_titles_beside_a_name_after_and_before_it():
    text = "Wren Talbot, programme director at Fenmoor Trust, opened the day. Chief Executive Ola Marsh closed it."
    wren = text.index("Wren Talbot")
    assert shown(text, S.role_spans(text, wren, wren + len("Wren Talbot"))) == ["programme director"]
    ola = text.index("Ola Marsh")
    assert shown(text, S.role_spans(text, ola, ola + len("Ola Marsh"))) == ["Chief Executive"]
    text = "Jo Marsh is Head of Policy at the Wexley Trust."
    assert shown(text, S.role_spans(text, 0, len("Jo Marsh"))) == ["Head of Policy"]


def test_post_titles_whoever_holds_them():
    text = "The council hired a permanent Contracts and Performance Manager and a strategic director."
    assert shown(text, S.title_spans(text)) == ["Contracts and Performance Manager", "strategic director"]
    text = "She became Director of Outreach at the trust."
    assert shown(text, S.title_spans(text)) == ["Director of Outreach"]
    assert S.title_spans("She will lead the work.") == []  # a bare core word is no title


def test_names_and_phrases_headed_by_the_questions_noun():
    text = "The team follows the Open Door Rule at every meeting."
    assert shown(text, S.head_spans(text, "rule")) == ["Open Door Rule"]
    text = "The hub offers one-to-one home visits that last an hour, and visits."
    described = shown(text, S.head_spans(text, "visits", describe=True))
    assert len(described) == 1 and described[0].endswith("one-to-one home visits that last an hour")


def test_names_the_type_word_points_at():
    text = "The report names media companies Gannet Press and Norvale Media as partners."
    assert shown(text, S.named_by_head(text, "companies")) == ["Gannet Press", "Norvale Media"]
    text = "Membership grew, says the Larchfield Group, a national charity."
    assert shown(text, S.named_by_head(text, "charity")) == ["Larchfield Group"]


def test_a_contacts_given_name():
    text = "For details, get in touch with Robin via the office."
    assert shown(text, S.contact_spans(text)) == ["Robin"]


def test_the_object_of_the_verb_the_questions_subject_governs():
    subject, verb = S.question_verb("What did the city council set up after the survey?")
    assert (subject, verb) == ("the city council", "set")
    sentence = "The city council set up a lending library for tools in 2021."
    start, end, _fit = S.object_of(sentence, subject, verb)
    assert sentence[start:end] == "a lending library"
    assert shown(sentence, S.subject_of(sentence, "set")) == ["city council"]


def test_agents_of_a_passive_verb_and_kin_verbs():
    text = "The programme was funded by the Larchfield Foundation and Holm Bank."
    assert shown(text, S.agent_spans(text, "fund")) == ["Larchfield Foundation and Holm Bank"]
    assert S.kin("fund", "invest") and not S.kin("fund", "walk")


def test_a_list_of_kinds():
    text = "Nurses, pharmacists and social workers joined the hub."
    assert [(text[s:e], n) for s, e, n in S.kind_lists(text)] == [("Nurses, pharmacists and social workers", 3)]
