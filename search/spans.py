"""Answer spans read off one sentence when no extracted entity fits the question: counts, job
titles beside a name, names and phrases headed by the question's noun, a contact's given name, and
the object of the verb whose subject the question names.

Plain functions over text (offsets into it); only `object_of` parses, with the spaCy model the
extractor already uses. All patterns are general English report grammar, nothing from a test set.
"""

from __future__ import annotations

import functools
import re

from ingest.text import ROLE_WORDS, content_words, stem
from ingest.text import STOP_WORDS as _STOP

__all__ = ["count_spans", "frequency_spans", "with_hedge", "title_spans", "predicate_of", "question_verb", "named_by_head", "role_spans", "head_spans", "contact_spans", "object_of", "ROLE_CORE",
           "kin", "asked_verb", "agent_spans", "subject_of", "kind_lists"]

# -- counts -------------------------------------------------------------------------------------

_NUM_WORDS = ("once|twice|thrice|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
              "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
              "hundred|dozen|dozens|hundreds|thousands")
_SCALE_WORDS = r"hundred|thousand|million"
# One number as a report writes it in words: 'four hundred', 'twenty-five', 'a dozen'.
_WORD_NUM = rf"(?:(?:{_NUM_WORDS})(?:[- ](?:{_NUM_WORDS}))?(?:\s+(?:{_SCALE_WORDS}))?)"
_DIGITS = r"(?<![\w£.,])\d[\d,]*(?:\.\d+)?"
# A hedge or bound is part of the count ('around 45', 'over 300', 'six or seven'): a gold answer
# written with it is matched only by a span that keeps it, and one written without it still is.
_HEDGE = r"(?:(?:around|about|approximately|roughly|nearly|almost|over|more than|fewer than|less than|at least|some|c\.?|circa)\s+)?"
_COUNT = re.compile(
    rf"(?<![\w-]){_HEDGE}{_WORD_NUM}(?:\s+(?:or|to|and)\s+{_WORD_NUM})?(?:\s+times)?(?![\w-])"
    rf"|{_HEDGE}{_DIGITS}\s+times\b", re.I)
_HEDGE_BEFORE = re.compile(rf"(?<![\w-]){_HEDGE[:-1]}$", re.I)


def count_spans(text: str) -> list[tuple[int, int]]:
    """Counts written as words ('twice', 'three times', 'four hundred', 'six or seven'), which the
    digit patterns miss; a hedge before the count ('over twelve') is kept."""
    out = []
    for m in _COUNT.finditer(text):
        words = m.group(0).lower().split()
        if words[-1] in ("hundred", "thousand", "million") and len(words) == 1:
            continue  # a bare scale word ('hundreds of') is no count
        if words == ["one"] or words == ["some"]:
            continue  # 'one' is mostly a pronoun ('one of the ...')
        out.append(m.span())
    return out


_FREQUENCY = re.compile(
    r"(?<![\w-])(?:(?:bi-?|twice-|thrice-)?(?:daily|weekly|fortnightly|monthly|quarterly|annually|yearly|biannually)"
    r"|(?:once|twice|three times|four times|several times)\s+(?:a|an|per|each|every)\s+(?:day|week|fortnight|month|quarter|year|term)"
    r"|every\s+(?:other\s+|two\s+|three\s+|four\s+|six\s+|few\s+|\d+\s+)?(?:days?|weeks?|fortnights?|months?|quarters?|years?)"
    r"|(?:each|per)\s+(?:week|month|quarter|year))(?![\w-])", re.I)


def frequency_spans(text: str) -> list[tuple[int, int]]:
    """How often something happens, as a report writes it: 'monthly', 'twice a year', 'every six
    weeks'; the answer to 'how often'."""
    return [m.span() for m in _FREQUENCY.finditer(text)]


def with_hedge(text: str, start: int) -> int:
    """Start of the hedge written before a number at `start` ('approximately 25'), else `start`."""
    m = _HEDGE_BEFORE.search(text[max(0, start - 20) : start])
    return start - len(m.group(0)) if m and m.group(0).strip() else start


# -- job titles beside a name ---------------------------------------------------------------------

# Longest first, so 'chief executive officer' is read whole; 'member' names a post only with what it
# is a member of, and as a bare title word would make every 'members' a post.
ROLE_CORE = "|".join(re.escape(w).replace("\\ ", " ") for w in sorted((w for w in ROLE_WORDS if w != "member"), key=len, reverse=True))
_ROLE_MOD = (r"deputy|assistant|associate|joint|co|vice|executive|senior|principal|local|strategic|group|national|"
             r"regional|programme|project|service|interim|acting|managing|founding|operations|operating|policy|"
             r"research|general|finance|financial|technical|digital|communications|corporate|clinical|medical|"
             r"programmes|transformation|commissioning|development|partnership|engagement|improvement")
_TITLE_CORE = "|".join(w.title() for w in ROLE_CORE.split("|") if w != "ceo") + "|CEO"
# The body or field a title is of or for, in Title Case ('of Parks and Leisure', 'for the Harbour Trust').
_OF_TAIL = r"\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w&’'-]*(?:\s+(?:and|&|of|for|upon)\s+[A-Z][\w’'-]*|\s+[A-Z][\w’'-]*){0,4}"
# Modifiers in any case ('Programme Director'), or any Title-Case words before a Title-Case core
# ('Transformation Director'); an 'of'/'for' tail in Title Case ('Head of Parks and Leisure').
_ROLE_PHRASE = (rf"(?:(?:(?i:{_ROLE_MOD})[ -])*(?i:{ROLE_CORE})"
                rf"(?:{_OF_TAIL})?)")
# A title written in Title Case, whatever its modifiers ('Parks and Open Spaces Manager',
# 'Housing and Benefits Manager'): capitalised words, pairs joined by 'and', then a core, on one line
# (a name on the line above is not part of the title).
_TITLE_CASE = (rf"(?:(?:[A-Z][\w’'-]*(?:[ \t]+(?:and|&)[ \t]+[A-Z][\w’'-]*)?)[ \t]+){{1,3}}(?:{_TITLE_CORE})"
               rf"(?:{_OF_TAIL})?")
# Set after the name ('Jo Bloggs, service design lead at X') any few words may qualify the post; a
# line break sets a bio's title under the name ('Jo Bloggs\nChair of the Board since 2017'), and a
# converted PDF may leave a capitalised title right after it ('Jo Bloggs Head of Policy').
_ROLE_AFTER = re.compile(rf"^(?:[ \t]*(?:,|\(|–|—|-|:|\n|\bis\b|\bwas\b|\bhas been\b)|[ \t]+(?=[A-Z]))\s*(?:now\s+|currently\s+|the\s+|a\s+|an\s+|our\s+|its\s+|their\s+)?"
                         rf"({_TITLE_CASE}|(?:(?![Tt]he\b|[Aa]n?\b|[Oo]f\b|[Aa]nd\b|[Aa]t\b|[Ff]or\b)[\w-]+\s+){{0,2}}{_ROLE_PHRASE})\b")
_ROLE_BEFORE = re.compile(rf"(?<![\w-])({_ROLE_PHRASE})\s*[,:]?\s*(?:(?:Dr|Sir|Dame|Cllr|Professor|Prof)\.?\s+)?$")


def role_spans(text: str, name_start: int, name_end: int) -> list[tuple[int, int]]:
    """Job titles written right beside the name at text[name_start:name_end]: 'Jo Bloggs, programme
    director at X', 'Jo Bloggs is Head of Y', 'Chief Executive Jo Bloggs'."""
    out = []
    after = _ROLE_AFTER.match(text[name_end : name_end + 160])
    if after:
        out.append((name_end + after.start(1), name_end + after.end(1)))
    window = text[max(0, name_start - 80) : name_start]
    before = _ROLE_BEFORE.search(window)
    if before:
        base = max(0, name_start - 80)
        out.append((base + before.start(1), base + before.end(1)))
    return out


_TITLE_ANY = re.compile(rf"(?<![\w’'-])(?:{_TITLE_CASE}|(?:(?:{_ROLE_MOD})[ -])+(?:{ROLE_CORE})"
                        rf"(?:{_OF_TAIL})?|(?:{_TITLE_CORE}){_OF_TAIL})(?![\w-])")


def title_spans(text: str) -> list[tuple[int, int]]:
    """Post titles anywhere in `text`, whoever holds them: 'a permanent Contracts and Performance
    Manager', 'strategic director of adult care', 'Director of Outreach'. A bare core word ('lead',
    'partner') is too often something else to count without a name beside it."""
    from ingest.patterns import ORG_SUFFIX

    out = []
    for m in _TITLE_ANY.finditer(text):
        s, e = m.span()
        words = list(re.finditer(r"\S+", text[s:e]))
        # Leading capitalised words that name a body ('Ashby Council Chief Executive') or start a
        # sentence are not part of the title.
        low = [w.group(0).lower() for w in words]
        tail = next((i for i, w in enumerate(low) if w in ("of", "for")), len(low))
        body = max((i for i, w in enumerate(low[: tail - 1]) if w in ORG_SUFFIX), default=-1)
        words = words[body + 1 :]
        while len(words) > 1 and words[0].group(0).lower() in _STOP:
            words.pop(0)
        s = s + words[0].start()
        if len(text[s:e].split()) >= 2:
            out.append((s, e))
    return out


_CLAUSE_END = re.compile(r"[,;:”\"()]|\s[–—-]\s|\s(?:where|which|while|whereas|but|who)\s")


def predicate_of(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """What the person at sentence[start:end] does, as the sentence says it: the verb they are
    subject of with its object ('Jo Bloggs of X provides [mentoring support]' -> 'provides
    mentoring support'), for 'what part does Jo Bloggs play?'."""
    from ingest.nlp import load_parser

    doc = load_parser()(sentence)
    subj = next((t for t in doc if start <= t.idx < end and t.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        # 'Jo Bloggs of X provides ...': the name's head word may be inside a longer subject.
        subj = next((t for t in doc if start <= t.idx < end and t.head.dep_ in ("nsubj", "nsubjpass")
                     and not (start <= t.head.idx < end)), None)
        subj = subj.head if subj is not None else None
    if subj is None or subj.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = subj.head
    right = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "attr", "prep", "xcomp", "acomp", "prt", "oprd")]
    if not right:
        return None
    first = verb.idx
    last = max((list(c.subtree)[-1] for c in right), key=lambda t: t.i)
    stop = last.idx + len(last.text)
    cut = _CLAUSE_END.search(sentence, verb.idx, stop)
    if cut:
        stop = cut.start()
    text = sentence[first:stop].rstrip(" .")
    if len(text.split()) < 2:
        return None
    return first, first + len(text)


# -- names and phrases headed by the question's noun ------------------------------------------

_CAPS_RUN = re.compile(r"(?<![\w’'])[A-Z][\w’'-]*(?:\s(?:(?:of|for|and|&|the)\s)?[A-Z][\w’'-]*)*")
_DETS = r"(?:a|an|the|one|its|their|our|his|her|this|one of the|one of its)"
_EDGE_STOP = _STOP | {"more", "less", "fewer", "further", "new", "other", "such", "own", "only", "just", "even", "very"}
_NP_WORD = r"[\w’'][\w’'-]*"


def _phrase_before(text: str, end: int, limit: int = 4) -> tuple[int, int] | None:
    """The noun phrase that ends at `end` (up to `limit` words, stopping at a stop word or punctuation)."""
    words = list(re.finditer(_NP_WORD, text[max(0, end - 80) : end]))
    base = max(0, end - 80)
    keep: list = []
    for m in reversed(words):
        gap = text[base + m.end() : (base + keep[0].start()) if keep else end]
        if gap.strip() or m.group(0).lower() in _EDGE_STOP or len(keep) >= limit:
            break
        keep.insert(0, m)
    # "is trialling story walks": a progressive verb is not part of the phrase ("with story circles" is).
    if keep and keep[0].group(0).endswith("ing") and len(keep) > 1 and re.search(
            r"\b(?:is|are|was|were|be|been|being|am)\s+$", text[max(0, base + keep[0].start() - 12) : base + keep[0].start()]):
        keep.pop(0)
    if not keep:
        return None
    return base + keep[0].start(), base + keep[-1].end()


def head_spans(text: str, head: str, describe: bool = False) -> list[tuple[int, int, float]]:
    """(start, end, fit) of answers for 'what/which HEAD': a name ending in the head word ('Open
    Door Rule'), the thing set in apposition to it ('story circles, a review method'), and
    for 'what kind of HEAD' the head word with its modifiers ('one-to-one home visits')."""
    h = stem(head.split()[-1])
    out: list[tuple[int, int, float]] = []
    for m in _CAPS_RUN.finditer(text):
        words = m.group(0).split()
        if len(words) >= 2 and stem(words[-1]) == h and words[0].lower() not in _EDGE_STOP:
            out.append((m.start(), m.end(), NAME_FIT))
    # "X, a/an/the [few words] HEAD" and "X (a HEAD ...)": X is one.
    for m in re.finditer(rf"(?:,|\(|\s[–—-])\s*{_DETS}\s+((?:[\w’'-]+\s+){{0,4}}[\w’'-]+)", text, re.I):
        words = m.group(1).split()
        at = next((i for i, w in enumerate(words) if stem(w) == h), None)
        if at is None or any(w.lower() in _EDGE_STOP for w in words[:at]):
            continue
        span = _phrase_before(text, m.start())
        if span and content_words(text[span[0] : span[1]]):
            out.append((span[0], span[1], APPOSITION_FIT))
    if describe:
        for m in re.finditer(rf"\b{_NP_WORD}\b", text):
            if stem(m.group(0)) != h or not m.group(0)[:1].islower():
                continue
            pre = _phrase_before(text, m.start() - 1, limit=3) if text[m.start() - 1 : m.start()] == " " else None
            start = pre[0] if pre else m.start()
            end = m.end()
            post = re.match(r"\s+(?:that|which|who|whose|where)\s+[^,;:.!?()“”\"]{3,100}", text[end:])
            if post and len(post.group(0).split()) <= 14:
                end += post.end()
            if start < m.start() or end > m.end():  # the bare head says nothing the question did not
                out.append((start, end, DESCRIBE_FIT))
    return out


_NAME_RUN = r"[A-Z][\w’'&-]*(?:\s+(?:of\s+|for\s+|&\s+)?[A-Z][\w’'&-]*){0,4}"


def named_by_head(text: str, head: str) -> list[tuple[int, int]]:
    """Names the question's type word points at, whether or not the extractor found them: right
    after it ('media companies Gannet Press and Norvale Media', 'a company called Kestrel') or before it in
    apposition ('the Larchfield Group, a national charity'). Lists joined by 'and' give each name."""
    h = stem(head.split()[-1])
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[\w’'-]+", text):
        if stem(m.group(0)) != h:
            continue
        after = re.match(rf"\s+(?:(?:called|named|known as)\s+)?({_NAME_RUN})((?:\s*,\s*|\s+and\s+)({_NAME_RUN}))*",
                         text[m.end() : m.end() + 160])
        if after:
            for n in re.finditer(_NAME_RUN, after.group(0)):
                out.append((m.end() + n.start(), m.end() + n.end()))
        before = re.search(rf"({_NAME_RUN}),?\s+(?:is\s+)?(?:a|an|the|one)\s+(?:[\w-]+\s+){{0,2}}$", text[max(0, m.start() - 120) : m.start()])
        if before:
            base = max(0, m.start() - 120)
            out.append((base + before.start(1), base + before.end(1)))
    return [(a, b) for a, b in out if text[a:b].split()[0].lower() not in _STOP]


NAME_FIT = 1.4
APPOSITION_FIT = 1.6
DESCRIBE_FIT = 1.2

# -- a contact's name -------------------------------------------------------------------------

_NAME_WORD = r"(?:[A-Z]\.|(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"
_CONTACT = re.compile(r"\b(?:get in touch with|be in touch with|contact|e-?mail|speak to|talk to|write to|"
                      r"reach out to|ask for)\s+(?:(?:Dr|Sir|Dame|Cllr|Professor|Prof|Mr|Mrs|Ms)\.?\s+)?"
                      rf"({_NAME_WORD}(?:\s{_NAME_WORD}){{0,2}})(?![\w’'-])")


def contact_spans(text: str) -> list[tuple[int, int]]:
    """The name after 'contact' / 'get in touch with' ('get in touch with Robin via ...'), often a
    given name alone, which the two-word person pattern misses."""
    return [m.span(1) for m in _CONTACT.finditer(text)]


# -- the object of the verb the question's subject governs --------------------------------------


@functools.lru_cache(maxsize=512)
def question_verb(question: str) -> tuple[str, str]:
    """(subject, stemmed main verb) of a 'what does/did S VERB ...?' question, from its parse:
    'What did the city council set up after the survey?' -> ('the city council', 'set')."""
    from ingest.nlp import load_parser

    # A fronted phrase ('Apart from enabling learning, what does ...') is not part of the question.
    question = re.sub(r"(?i)^[^,?]{3,80},\s*(?=(?:what|which|who|how)\b)", "", question.strip())
    kind = re.match(r"(?i)(?:what|which)\s+(?:kinds?|sorts?|types?|forms?)\s+of\s+[\w-]+\s+(?:is|are|was|were)\s+(.+?)\s*[?.!]*$",
                    question.strip())
    if kind:  # 'What kind of body is X?': what the sentence says X is
        return kind.group(1), ""
    doc = load_parser()(question)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None) if root is not None else None
    if root is None or root.pos_ not in ("VERB", "AUX") or stem(root.text) in ("do", "doe", "did", "hav", "ha", "be", "is")\
            or subj is None or subj.lower_ in ("what", "which", "who"):
        # The parser often reads a question's last word as a noun ('What does the club host?'); a
        # closing prepositional phrase ('... build among staff?') is not the verb.
        bare = re.sub(r"(?i)\s+(?:among|amongst|for|to|in|at|on|with|from|across|within)\s+[\w\s'’-]+?\s*[?.!]*$", "",
                      question.strip())
        m = re.match(r"(?i)(?:according to [^,]+,\s*)?what\s+(?:does|did|do|will|would|can|could|has|have|had)\s+"
                     r"(.+?)\s+([\w-]+)\s*[?.!]*$", bare)
        return (m.group(1), stem(m.group(2))) if m else ("", "")
    words = list(subj.subtree)
    return question[words[0].idx : words[-1].idx + len(words[-1].text)], stem(root.text)


_NOUN_DEPS = ("dobj", "attr", "oprd", "pobj")
_KEEP_RIGHT = ("prep_of", "conj", "cc", "compound", "amod", "nummod", "poss", "case", "punct_hyphen")


def _core_np(tok) -> tuple[int, int]:
    """Token index range of a noun and what names it: its left modifiers, 'of' phrases and
    coordinated nouns, not its relative clauses ('a web portal [that allowed people ...]')."""
    lo, hi = tok.i, tok.i
    for c in tok.children:
        if c.i < tok.i:
            lo = min(lo, min(t.i for t in c.subtree))
        elif c.dep_ in ("conj", "cc", "compound", "amod", "nummod", "appos") or (c.dep_ == "prep" and c.lower_ == "of"):
            if c.dep_ == "conj":
                hi = max(hi, _core_np(c)[1])
            elif c.dep_ == "cc":
                hi = max(hi, c.i)
            else:
                hi = max(hi, max(t.i for t in c.subtree))
    return lo, hi


def object_of(sentence: str, subject: str, verb: str = "", asked: frozenset = frozenset()) -> tuple[int, int, float] | None:
    """For 'what does SUBJECT VERB?': in `sentence`, (start, end, fit) of the object of VERB
    ('We run [weekly clinics]', 'setting up [a trust] to commission ...'), else the object or
    complement of the verb whose subject holds SUBJECT's words ('the growth of devolution provides
    [an opportunity to ...]'). `asked`: stems of the question; an object the question already
    names ('provide an opportunity to do what?') gives way to its complement."""
    from ingest.nlp import load_parser

    want = set(content_words(subject))
    doc = load_parser()(sentence)
    if verb:
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX") or not kin(stem(tok.text), verb):
                continue
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd")), None)
            if obj is None:
                continue
            comp = next((c for c in obj.children if c.dep_ in ("acl", "relcl") and c.i > obj.i), None)
            if stem(obj.text) in asked and comp is not None:
                toks = list(comp.subtree)
                lo, hi = toks[0].i, toks[-1].i
                if doc[lo].lower_ == "to":
                    lo += 1
            else:
                lo, hi = _core_np(obj)
                if comp is not None and doc[comp.left_edge.i].lower_ == "to":
                    hi = max(hi, comp.right_edge.i)  # 'an opportunity [to reset ...]' is one idea
            # A one-word object of the asked verb is an answer ('the scheme builds [confidence]').
            single = lo == hi and obj.pos_ == "NOUN" and obj.lower_ not in asked
            got = _trimmed(sentence, doc[lo].idx, doc[hi].idx + len(doc[hi].text), 1 if single else 2)
            if got:
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                named = subj is not None and want & set(content_words(" ".join(t.text for t in subj.subtree)))
                return got + (VERB_FIT if named or subj is None or subj.lower_ in _PRONOUNS else VERB_FIT * 0.8,)
    if not want:
        return None
    best = None
    for tok in doc:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        words = set(content_words(" ".join(t.text for t in tok.subtree)))
        share = len(words & want) / len(want)
        if share < 0.5 or (best and share <= best[0]):
            continue
        head = tok.head
        for child in head.children:
            if child.dep_ in ("dobj", "attr", "oprd", "xcomp", "ccomp", "acomp"):
                best = (share, child)
                break
    if not best:
        return None
    if best[1].dep_ == "attr" and not verb:
        lo, hi = _core_np(best[1])  # 'X is [a social enterprise] founded by Y': what X is
        got = _trimmed(sentence, doc[lo].idx, doc[hi].idx + len(doc[hi].text))
        return got + (1.0,) if got else None
    toks = list(best[1].subtree)
    got = _trimmed(sentence, toks[0].idx, toks[-1].idx + len(toks[-1].text))
    return got + (1.0,) if got else None


VERB_FIT = 1.2  # the object of the question's own verb, against the object of another verb
_PRONOUNS = {"we", "it", "they", "he", "she", "i", "you", "this", "which", "who", "that"}


def _trimmed(sentence: str, start: int, end: int, least: int = 2) -> tuple[int, int] | None:
    """The span cut at a clause break (a comma, a closing quote, a dash), stripped of quotes; None
    when less than two words are left."""
    # Whole words: the parser splits 'co-design' into three tokens.
    while start > 0 and re.match(r"[\w’'-]", sentence[start - 1]):
        start -= 1
    while end < len(sentence) and re.match(r"[\w’'-]", sentence[end]) or sentence[end - 1 : end] == "-":
        end += 1
    cut = re.search(r"[,;:”\"()]|\s[–—-]\s", sentence[start:end])
    if cut:
        end = start + cut.start()
    text = sentence[start:end].strip(" “\"'‘’")
    if len(text.split()) < least:
        return None
    start = sentence.index(text, start)
    return start, start + len(text)


# -- who did the question's act: the subject or the 'by' agent of its verb ----------------------

# Verbs a question and a report use for one act ('approved' / 'agreed by', 'appear' / 'published by').
_KIN = [frozenset(stem(w) for w in group.split()) for group in (
    "approve agree agreed endorse sign ratify", "develop design create build devise produce", "deliver provide run operate offer",
    "found set establish launch start", "publish appear print run feature", "give offer provide", "talk speak spoke interview",
    "fund finance invest pay", "commission procure contract award", "lead chair head convene coordinate run")]


def kin(a: str, b: str) -> bool:
    """True when stems `a` and `b` name the same act: equal, or in one group of _KIN."""
    return a == b or any(a in g and b in g for g in _KIN)


@functools.lru_cache(maxsize=512)
def asked_verb(question: str) -> str:
    """Stem of the verb whose subject the wh-phrase is ('Which firm developed X?' -> 'develop'),
    or of the main verb of 'where did X appear?'; '' when the question has no such verb."""
    from ingest.nlp import load_parser

    doc = load_parser()(question)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX") or root.lemma_ in ("be", "do", "have"):
        return ""
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    wh = {"who", "which", "what", "whom", "whose"}
    if subj is not None and any(t.lower_ in wh for t in subj.subtree) or question.lower().startswith("where"):
        return stem(root.text)
    return ""


_AGENT = re.compile(r"\b([a-z]+(?:ed|en|wn|ne|t)|run|led|paid|set up)\s+by\s+(?:the\s+)?([A-Z][\w’'&-]*(?:\s+(?:of\s+|for\s+|&\s+|and\s+)?[A-Z][\w’'&-]*){0,5})")


def agent_spans(text: str, verb: str, *, exact: bool = False) -> list[tuple[int, int]]:
    """Names after a participle of the asked act and 'by': 'was agreed by [Cabinet]', 'was
    developed by [Kestrel Analytics]', 'originally published by [Civic Review]'; with `exact`, only
    the asked verb itself ('delivered by', not its kin 'provided by')."""
    out = []
    for m in _AGENT.finditer(text):
        got = stem(m.group(1).split()[0])
        if got == verb if exact else kin(got, verb):
            out.append(m.span(2))
    return out


def subject_of(sentence: str, verb: str) -> list[tuple[int, int]]:
    """The subject of the asked act in `sentence`, as a core noun phrase: '[Brightwell Care],
    commissioned by the county, delivers home visits' for 'which provider delivers ...?'."""
    from ingest.nlp import load_parser

    if not any(kin(stem(w), verb) for w in re.findall(r"[A-Za-z]+", sentence)):
        return []  # parse only sentences that word the act
    out = []
    for tok in load_parser()(sentence):
        if tok.pos_ not in ("VERB", "AUX") or not kin(stem(tok.text), verb):
            continue
        for c in tok.children:
            if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS and c.pos_ in ("PROPN", "NOUN"):
                lo, hi = _core_np(c)
                doc = c.doc
                while lo < hi and doc[lo].lower_ in _EDGE_STOP:
                    lo += 1
                out.append((doc[lo].idx, doc[hi].idx + len(doc[hi].text)))
    return out


# -- lists of kinds: 'councils, housing associations and charities' ------------------------------

# Only sentences with a list shape in lower case are parsed: 'nurses, GPs', 'workers and ...'.
_LIST_SHAPE = re.compile(r"[a-z][\w’'-]*,\s+(?:and\s+|or\s+)?[\w’'-]|[a-z]s\s+(?:and|or)\s+[\w’'-]")


def kind_lists(sentence: str, least: int = 2) -> list[tuple[int, int, int]]:
    """(start, end, items) of coordinated common-noun phrases in `sentence` ('nurses, social workers,
    GPs and Workwise Centre staff'): the answer to 'which kinds of staff ...?' when no named entity
    is one. Items are read from the parse; most must be common nouns, at least `least` of them."""
    from ingest.nlp import load_nlp

    if not _LIST_SHAPE.search(sentence):
        return []
    doc = load_nlp()(sentence)
    out = []
    seen: set[int] = set()
    for tok in doc:
        if tok.i in seen or tok.dep_ == "conj" or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        items = _conjuncts(tok)
        # 'nurses, GPs and Workwise Centre staff' is often parsed as two objects of one verb: an
        # object right after the list's last 'and' belongs to the list.
        last = items[-1]
        nxt = doc[last.i + 1 : last.i + 3]
        if len(nxt) == 2 and nxt[0].lower_ in ("and", "or"):
            sib = next((c for c in tok.head.children if c.i > last.i and c.dep_ == tok.dep_ and c.pos_ in ("NOUN", "PROPN")), None)
            if sib is not None and sib.left_edge.i == last.i + 2:
                items.append(sib)
        if len(items) < 2:
            continue
        seen.update(t.i for t in items)
        common = sum(1 for t in items if t.pos_ == "NOUN" or (t.text[:1].islower()))
        if common * 2 < len(items) or any(t.pos_ == "PROPN" and t.ent_type_ in ("GPE", "ORG", "PERSON") and t.text.istitle()
                                          for t in items[:1]):
            continue
        lo = _np_start(tok)
        hi = items[-1].i
        for c in items[-1].children:  # 'the community and voluntary sector': the last item's own words
            if c.i > hi and c.dep_ in ("compound", "amod"):
                hi = max(hi, c.right_edge.i)
        out.append((doc[lo].idx, doc[hi].idx + len(doc[hi].text), len(items)))
    # An item with its own phrase ('DWP staff from local job centres') can break the parse's chain
    # in two: a list that follows another after a comma and a few words continues it.
    out = sorted(x for x in out if not any(a <= x[0] and x[1] <= b and (a, b) != x[:2] for a, b, _ in out))
    merged: list[tuple[int, int, int]] = []
    for s, e, n in out:
        if merged and _LIST_GAP.fullmatch(sentence[merged[-1][1] : s]):
            ps, _, pn = merged.pop()
            s, n = ps, pn + n
        merged.append((s, e, n))
    return [(s, e, n) for s, e, n in merged if n >= least and len(sentence[s:e].split()) <= 40]


_LIST_GAP = re.compile(r",\s+(?:and\s+|or\s+)?[^,;:.()]{0,40}?")


def _conjuncts(tok) -> list:
    """`tok` and every noun coordinated with it, in order ('housing, police, ... and the sector')."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "ADJ"):
            out += [t for t in _conjuncts(c) if t.pos_ in ("NOUN", "PROPN")]
    return sorted(out, key=lambda t: t.i)


def _np_start(tok) -> int:
    """Index of the first word of `tok`'s noun phrase: its left modifiers, not a leading article."""
    lo = tok.i
    for c in tok.children:
        if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod", "nummod", "poss", "det"):
            lo = min(lo, c.left_edge.i)
    doc = tok.doc
    while lo < tok.i and doc[lo].lower_ in ("the", "a", "an", "their", "its", "our", "his", "her", "these", "those"):
        lo += 1
    return lo
