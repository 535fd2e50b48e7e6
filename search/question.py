"""Question understanding: what a question asks for, which graph entities it names, which relation.

Everything here is general English question grammar and public-sector role words; nothing is taken
from any evaluation set. `parse(question, state)` is cheap: the per-state name index is built once
per corpus state (`search.cache.name_index`) and reused by every question.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.text import QUOTES as _QUOTES
from ingest.text import STOP_WORDS as _STOP
from ingest.text import content_words, phrase_key, stem

from .cache import NameIndex, state_cache

__all__ = ["Question", "parse", "acronym"]

# -- what a question asks for -----------------------------------------------------------------

# Head nouns after "which"/"what" that ask for an organisation (plural asks for a list).
_ORG_NOUNS = (r"organi[sz]ations?|councils?|authorit(?:y|ies)|partnerships?|police(?: force)?s?|forces?|"
              r"consultanc(?:y|ies)|consultants?|firms?|companies|company|developers?|(?:ambulance |health |fire )?services?|"
              r"agents?|agenc(?:y|ies)|charit(?:y|ies)|trusts?|bod(?:y|ies)|providers?|partners?|funders?|"
              r"departments?|universit(?:y|ies)|institutions?|groups?|networks?|foundations?|hospitals?|"
              r"boards?|suppliers?|contractors?|commissioners?|ccgs?|nhs trusts?|local authorit(?:y|ies)")
_PROG_NOUNS = (r"programmes?|projects?|initiatives?|schemes?|models?|pilots?|funds?|deals?|strateg(?:y|ies)|"
               r"plans?|campaigns?|approach(?:es)?|experience|network|collaborative|academ(?:y|ies)|services?")
_MIXED_NOUNS = (r"partnerships?|networks?|groups?|boards?|collaboratives?|services?|academ(?:y|ies)|alliances?|"
                r"forums?|hubs?|clubs?")
_PLACE_NOUNS = r"places?|towns?|cit(?:y|ies)|areas?|regions?|boroughs?|counties|county|sites?|locations?|venues?|neighbourhoods?|communit(?:y|ies)|wards?"

_ROLE_RE = re.compile(
    r"\b(?:the |a |an |former |current |new |acting |interim )*"
    r"((?:(?:deputy|assistant|joint|co|vice|executive|senior|local|strategic|group|national|regional|"
    r"programme|project|service|interim|acting)[- ])*"
    r"(?:chief executive officer|chief executive|chief officer|ceo|chair(?:man|woman|person)?|director|"
    r"head|lead|leader|manager|founder|president|secretary|mayor|minister|commissioner|coordinator|"
    r"champion|convenor|convener|trustee|dean|principal|adviser|advisor|councillor|officer))"
    r"((?: of [a-z][a-z ]*?)?)(?= (?:of|at|for|in)\b|\b)",
    re.I,
)

# The relation a question asks about, by its verb or noun (first match wins).
_RELATIONS = (
    ("leads", r"\b(?:lead|leads|led|leading|chairs?|chaired|heads?|headed|runs?|ran|convenes?|coordinates?|"
              r"(?:group |programme |project )?lead(?:er)?|head of|chair of|champion)\b"),
    ("works_for", r"\b(?:chief executive|ceo|director|manager|officer|works? (?:for|at)|employed|member of|staff)\b"),
    ("authored", r"\b(?:wrote|written|write|writes|co-wrote|co-written|authored|author|think piece|article|blog)\b"),
    ("set_up", r"\b(?:set up|set-up|founded|founder|established|launched|created|started|spin out|spun out)\b"),
    ("funds", r"\b(?:fund|funds|funded|funding|funder|invest|invests|invested|investment|grant|grants|paid|pays)\b"),
    ("commissions", r"\b(?:commission|commissions|commissioned|contract|contracted|awarded|procured)\b"),
    ("partners_with", r"\b(?:partner|partners|partnered|partnership|collaborat\w*|work(?:s|ed|ing)? with|"
                      r"in conjunction with|jointly|together with|alongside|discussions? with)\b"),
    ("achieved", r"\b(?:achieve|achieved|achieves|save|saved|saves|saving|reduce|reduced|result|results|"
                 r"outcome|outcomes|impact|improve|improved|divert|diverted)\b"),
    ("located_in", r"\b(?:where|located|based|site|host|hosted|hosts|deliver(?:ed|ing)? .* at)\b"),
    ("runs", r"\b(?:manage|manages|managed|operate|operates|operated|deliver|delivers|delivered|provide|provides)\b"),
)


@dataclass(frozen=True)
class Question:
    """A parsed question: what it asks for, what it names, and the words that must be near the answer."""

    text: str
    kind: str  # who | which | where | when | quantity | role | thing | span
    answer_types: tuple[str, ...]  # entity types acceptable as the answer, preferred first
    wants_list: bool = False
    entities: tuple[str, ...] = ()  # graph node ids the question names
    named: tuple[str, ...] = ()  # the question's surface strings for those entities
    relation: str | None = None
    role: str | None = None  # "chief executive", "chair", ... when a role is asked about
    terms: tuple[str, ...] = ()  # stemmed content words outside the named entities
    head: str | None = None  # the noun after which/what ("consultancy", "developer")
    describe: bool = False  # the answer is a phrase headed by `head` ('what kind of programmes')
    tail: tuple[str, ...] = field(default=())  # stemmed words of the clause a span answer follows
    anchors: tuple[str, ...] = ()  # stemmed words of the proper names in the question
    aliases: tuple[str, ...] = ()  # other names of the named entities (graph aliases, acronyms)
    subject: str = ""  # 'what does SUBJECT verb?': the subject, whose verb's object is the answer
    people: tuple[str, ...] = ()  # people the question names ("What is Jo Bloggs's job?")
    context: tuple[str, ...] = ()  # names inside a relative clause that only identifies the subject

    @property
    def answer_type(self) -> str:
        """The one type reported in `Answer.answer_type`."""
        return self.answer_types[0] if self.answer_types else "span"


_PERSON_NOUNS = (r"officers?|officials?|managers?|directors?|persons?|people|individuals?|employees?|leaders?|"
                 r"chairs?|chairpersons?|councillors?|executives?|researchers?|academics?|experts?|ministers?|"
                 r"authors?|writers?|speakers?|coordinators?|champions?|founders?|staff members?|mps?|"
                 r"councillors?|ministers?|mayors?|contacts?")
# Names of publications and think tanks are organisation-like names ("published by X").
_TITLE_NOUNS = r"think tanks?|publications?|newspapers?|magazines?|journals?|websites?|publishers?"
# Venues are places ("at which leisure centre").
_VENUE_NOUNS = r"centres?|centers?|halls?|buildings?|premises|campus(?:es)?|venues?|estates?"
# "What is X's job?": the answer is the post itself.
_ROLE_Q = re.compile(r"what (?:is|was|are|were) (?:the )?(?:current |former )?.+?(?:'s|s') (?:current |former |new )?"
                     r"(?:job(?: title)?|role|part|position|post|title)\b|what (?:(?:new|permanent|interim|senior|current|"
                     r"former|temporary|first|main) )?(?:job|role|part|position|post|title)s? "
                     r"(?:does|did|do|is|was|are|were|has|had|will)\b")
# "What kind of programmes ...?": the answer is a phrase headed by that noun.
_KIND_OF = re.compile(r"(?:what|which) (?:kinds?|sorts?|types?|forms?) of ([a-z][a-z-]*)")
# Words that end the noun phrase after "which"/"what" (auxiliaries, prepositions, determiners ...).
_PHRASE_END = _STOP | {"should", "must", "might", "may", "shall", "not", "first", "also", "now", "then"}
_AUXILIARIES = frozenset("do does did is are was were has have had can could should would will might must may".split())
_DETERMINERS = frozenset("the a an its their our his her this these those".split())
_LEAD_WORDS = r"(?:about|approximately|roughly|around|exactly|precisely|so|and|but|then|now|ok|okay|please)"


def _noun_class(word: str) -> str | None:
    """'organisation', 'programme', 'mixed', 'place' or 'person' for a head noun, else None."""
    if re.fullmatch(_MIXED_NOUNS, word):
        return "mixed"
    if re.fullmatch(_ORG_NOUNS, word) or re.fullmatch(_TITLE_NOUNS, word):
        return "organisation"
    if re.fullmatch(_PROG_NOUNS, word):
        return "programme"
    if re.fullmatch(_PLACE_NOUNS, word) or re.fullmatch(_VENUE_NOUNS, word):
        return "place"
    if re.fullmatch(_PERSON_NOUNS, word):
        return "person"
    return None


def _wh_clause(low: str) -> str:
    """The question from its wh-word on: leading adverbs ('About how many') and fronted phrases
    ('Alongside teachers and GPs, staff from which body ...') are not what it asks."""
    low = re.sub(r"^(?:according to [^,]+,|in [^,]+,|so,|and)\s*", "", low)
    low = re.sub(rf"^(?:{_LEAD_WORDS}\s+)+(?=(?:how|what|which|who|when|where)\b)", "", low)
    if re.match(r"(?:(?:in|with|by|for|from|at|under|on|to|of|during|through|alongside|among|into|within) )?"
                r"(?:who|whom|whose|what|which|where|when|how)\b", low):
        return low
    m = re.search(r"\b(?:(?:in|with|by|for|from|at|under|on|to|of|during|through|among|into|within) )?"
                  r"(?:which|what|whose|who|whom|where|when|how (?:much|many))\b", low)
    return low[m.start():] if m else low


def _head(words: list[str]) -> tuple[str | None, str | None]:
    """(head noun, its class) of the noun phrase after which/what: the last class noun before the
    phrase ends ('Which Fenwick council officer chaired ...' -> officer), else, for a short
    phrase, its last word ('what evaluation method' -> method, class None)."""
    phrase: list[str] = []
    for w in words:
        if w in _PHRASE_END:
            break
        phrase.append(w)
        if w.endswith(("'s", "s'")) and _noun_class(w[:-2] if w.endswith("'s") else w[:-1]):
            # 'Which councillor's article ...': the question asks for the owner, and the owner's noun is the head.
            owner = w[:-2] if w.endswith("'s") else w[:-1]
            return owner, _noun_class(owner)
    # A noun phrase is not followed by a determiner; a verb is: in 'what confidentiality rule governs
    # the meetings' the phrase is 'confidentiality rule'.
    if len(phrase) >= 2 and len(phrase) < len(words) and words[len(phrase)] in _DETERMINERS:
        phrase = phrase[:-1]
    best = (None, None)
    for i, w in enumerate(phrase):
        two = f"{w} {phrase[i + 1]}" if i + 1 < len(phrase) else ""
        cls2 = _noun_class(two) if two else None
        if cls2:
            best = (two, cls2)
        elif _noun_class(w) and not (best[0] and best[0].endswith(" " + w)):
            best = (w, _noun_class(w))
    if best[0] or not phrase:
        return best
    if len(phrase) <= 3:
        last = next((w for w in reversed(phrase) if not w.endswith("ed")), None)
        return last, None
    return None, None


def _kind_and_types(q: str) -> tuple[str, tuple[str, ...], bool, str | None, bool]:
    """(kind, acceptable types, wants a list, head noun, answer describes the head) from the
    question's wh-phrase."""
    low = unicodedata.normalize("NFKC", q).translate(_QUOTES).lower().strip()
    low = _wh_clause(low)
    # "For how many years ...", "In how many sites ...": the preposition does not change what is asked.
    low = re.sub(r"^(?:for|in|on|at|by|to|from|with|across|over) (?=how (?:much|many|long|often)\b)", "", low)
    if re.match(r"(?:how (?:much|many)|what (?:is|was|were|are) the (?:\w+ )?(?:value|number|amount|cost|size|"
                r"total|sum|budget|saving|savings|percentage|proportion|share)|what (?:percentage|proportion|share|"
                r"number|amount|sum)|how (?:large|big|long|often))\b", low):
        return "quantity", ("outcome",), False, None, False
    if re.match(r"when\b|(?:in |on |at )?(?:what|which) (?:year|date|month|day)\b", low):
        return "when", ("date",), False, None, False
    if re.match(r"where\b", low):
        if re.search(r"\b(?:appear|appears|appeared|published|publish|printed|run|ran|featured)\b", low):
            # 'Where did the article first appear?' asks for the publication, not a place.
            return "which", ("organisation",), False, "publication", False
        return "where", ("place",), False, None, False
    m = re.match(r"(?:which|what) (?:parts?|areas?|districts?|neighbourhoods?|wards?|sections?) of\b", low)
    if m:
        # 'Which parts of Ashby ...': places within a place, often more than one.
        return "where", ("place",), True, "part", False
    if _ROLE_Q.match(low):
        return "role", ("role",), False, None, False
    m = re.match(r"whose\s+([a-z][a-z-]*)", low)
    if m:
        return "who", ("organisation", "person"), False, m.group(1), False
    if re.match(r"(?:who|whom)\b", low):
        return "who", ("person", "organisation"), bool(re.match(r"who (?:are|were)\b", low)), None, False
    if re.match(r"what (?:does|did|do|will|would|can|could|should|has|have|had|must|might)\b", low):
        return "span", ("span",), False, None, False
    m = _KIND_OF.search(low[:40])
    if m:
        # 'Which kinds of frontline staff does ...': a phrase closed by an auxiliary ends in its
        # noun; otherwise ('kinds of members make up ...') the word after 'of' is the noun.
        words = re.findall(r"[a-z][a-z'-]*", low[m.start(1) :])[:5]
        n = next((i for i, w in enumerate(words) if w in _PHRASE_END), len(words))
        head = words[n - 1] if 0 < n < len(words) and words[n] in _AUXILIARIES else m.group(1)
        return "thing", ("span",), False, head, True
    m = re.match(r"(?:\w+ )?(which|what)\s+(.*)$", low)
    if m:
        # "What was the prevention project that ...": the head follows the copula.
        cop = re.match(r"(?:is|was|are|were) (?:the |a |an )?(.*)$", m.group(2))
        words = re.findall(r"[a-z][a-z'-]*", cop.group(1) if cop else m.group(2))[:9]
        word, cls = _head(words)
        if cop and not cls:
            word = None
        if word and cls:
            last = word.split()[-1]
            plural = last.endswith("s") and not last.endswith(("ss", "us", "ous")) and last not in ("services", "police")
            if cls == "place":
                return "where", ("place",), plural, word, False
            if cls == "organisation":
                return "which", ("organisation",), plural, word, False
            if cls == "mixed":
                return "which", ("organisation", "programme"), plural, word, False
            if cls == "person":
                return "who", ("person",), plural, word, False
            return "which", ("programme", "organisation"), plural, word, False
        if re.match(r"(?:is|was|are|were) (?:the )?name", m.group(2)):
            return "which", ("programme", "organisation"), False, None, False
        if word:
            # A head noun no entity type fits ('what rule'): the answer is a name or phrase it heads.
            return "thing", ("span",), False, word, False
        if m.group(1) == "which":
            return "which", ("organisation", "programme"), False, None, False
    return "span", ("span",), False, None, False


# -- entities the question names ------------------------------------------------------------


def _match_entities(q: str, index: NameIndex, graph) -> tuple[list[str], list[str], list[tuple[int, int]]]:
    """Longest-first, non-overlapping matches of question n-grams to graph names (exact, then fuzzy)."""
    tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"[\w&£'’-]+", q)]
    # A possessive is not part of the name: "the CRA's simulation" names the CRA.
    keys = [phrase_key(re.sub(r"['’]s?$", "", t[0]) if t[0][:1].isupper() else t[0]) for t in tokens]
    used = [False] * len(tokens)
    ids: list[str] = []
    named: list[str] = []
    spans: list[tuple[int, int]] = []
    for n in range(min(index.max_words, len(tokens)), 0, -1):
        for i in range(0, len(tokens) - n + 1):
            if any(used[i : i + n]):
                continue
            key = " ".join(k for k in keys[i : i + n] if k)
            if not key or key in _STOP or key in _QUESTION_WORDS:
                continue
            found = index.by_key.get(key)
            # A single lower-case common word ("council", "group") is not a name.
            if found and n == 1 and tokens[i][0].islower() and len(found) > 0 and not _is_acronymish(tokens[i][0]):
                found = None
            if not found and 2 <= n <= 6 and tokens[i][0][:1].isupper() and tokens[i + n - 1][0][:1].isupper():
                found = _fuzzy(key, index)
            if found and _part_of_longer_name(tokens, keys, used, i, n):
                found = None
            if found:
                for j in range(i, i + n):
                    used[j] = True
                for node in found:
                    if node not in ids:
                        ids.append(node)
                named.append(q[tokens[i][1] : tokens[i + n - 1][2]])
                spans.append((tokens[i][1], tokens[i + n - 1][2]))
    return ids, named, spans


def _part_of_longer_name(tokens, keys, used, i: int, n: int) -> bool:
    """True when capitalised words run on either side of tokens i..i+n-1: 'City Council' inside
    'Bristol City Council' names another body, not the graph's 'City Council'."""
    def cap(j: int) -> bool:
        return (0 < j < len(tokens) and tokens[j][0][:1].isupper() and not used[j]
                and keys[j] not in _QUESTION_WORDS)
    before = cap(i - 1) and not tokens[i - 1][0].endswith(("'s", "’s"))
    after = cap(i + n) and not tokens[i + n - 1][0].endswith(("'s", "’s"))
    return before or after


_QUESTION_WORDS = {"who", "what", "which", "where", "when", "how", "whose", "whom", "did", "does", "is"}


def _is_acronymish(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2


def _fuzzy(key: str, index: NameIndex) -> tuple[str, ...] | None:
    from rapidfuzz import fuzz, process

    found = process.extractOne(key, index.keys_by_first.get(key[0], ()), scorer=fuzz.ratio, score_cutoff=90)
    return index.by_key[found[0]] if found else None


# -- the clause a span answer follows ---------------------------------------------------------


def _span_tail(q: str) -> tuple[str, ...]:
    """Stemmed words of the question's verb phrase after its subject: "provide an opportunity to"."""
    low = unicodedata.normalize("NFKC", q).translate(_QUOTES).lower().rstrip("?. ")
    low = re.sub(r"^according to [^,]+,\s*", "", low)
    m = re.match(r"(?:what|how)\s+(?:does|did|do|is|was|are|were|will|would|can|could|has|have|had)\s+(.*)$", low)
    body = m.group(1) if m else low
    body = re.sub(r"\s+(?:do|be|mean|include|involve)$", "", body)
    words = re.findall(r"[a-z0-9'-]+", body)
    return tuple(stem(w) for w in words)


def parse(question: str, state=None, index: NameIndex | None = None) -> Question:
    """Parse `question`; `state` (or a prebuilt `index` + graph) lets it find the entities named."""
    q = question.strip()
    kind, types, wants_list, head, describe = _kind_and_types(q)
    ids: list[str] = []
    named: list[str] = []
    spans: list[tuple[int, int]] = []
    graph = getattr(state, "graph", None)
    if index is None and state is not None:
        index = state_cache(state).names
    if index is not None and q:
        ids, named, spans = _match_entities(q, index, graph)
    # A relative clause set off by commas ('Sam Reyes, who led the review, ...') says which one
    # is meant, not what is asked: its words do not have to be near the answer.
    aside = _ASIDE.search(q)
    cut = [(aside.start(), aside.end())] if aside else []
    context = tuple(n for n, (s, e) in zip(named, spans) if any(a <= s and e <= b for a, b in cut))
    outside = q
    for s, e in sorted(spans + cut, reverse=True):
        outside = outside[:s] + " " * (e - s) + outside[e:]
    # 'Which kinds of staff': 'kinds' is part of the question's form, like 'which'.
    form = _KIND_OF.search(outside.lower())
    if form:
        outside = outside[: form.start()] + " " * (form.start(1) - form.start()) + outside[form.start(1) :]
    terms = tuple(w for w in content_words(outside) if w not in _QUESTION_WORDS)
    relation = None
    for rel, pattern in _RELATIONS:
        if re.search(pattern, outside, re.I):
            relation = rel
            break
    role = None
    m = _ROLE_RE.search(outside) if kind in ("who", "which") else None
    if m:
        role = re.sub(r"\s+", " ", m.group(1).lower()).strip()
    elif kind == "who":
        # "Who chairs/heads/leads X?" asks for the holder of that post as much as "Who is the chair?".
        v = re.search(r"\b(chair|head|lead|convene|coordinate|run|runs|ran|running|in charge)(?:s|ed|d)?\b", outside, re.I)
        if v:
            # Running a group or being in charge of it is leading it ("it will be led by X").
            role = {"convene": "convenor", "coordinate": "coordinator"}.get(v.group(1).lower(), v.group(1).lower())
            role = "lead" if role in ("run", "runs", "ran", "running", "in charge") else role
    tail = _span_tail(outside) if kind == "span" else ()
    anchors = _anchors(q, named)
    aliases = _aliases(named, ids, graph)
    subject = ""
    if kind == "span":
        m = re.match(r"(?i)(?:according to [^,]+,\s*)?what\s+(?:does|did|do|will|would|can|could|has|have|had)\s+"
                     r"(.+?)\s+[\w-]+\s*[?.!]*$", q)
        subject = m.group(1) if m else ""
    people = [n for n, i in zip(named, ids) if i.startswith("person:")]
    people += [m.group(1) for m in re.finditer(r"((?:[A-Z][\w-]+\s){1,3}[A-Z][\w-]+)(?:'s|’s|')(?=\s)", q)
               if m.group(1) not in people and m.group(1).split()[0].lower() not in _QUESTION_WORDS]
    return Question(text=q, kind=kind, answer_types=types, subject=subject, people=tuple(people), wants_list=wants_list, entities=tuple(ids),
                    named=tuple(named), relation=relation, role=role, terms=terms, head=head, describe=describe, tail=tail,
                    anchors=anchors, aliases=aliases, context=context)


_ASIDE = re.compile(r",\s*(?:who|which)\s[^,?]{3,120},")


_MINOR = {"of", "for", "and", "the", "in", "on", "&", "to", "at"}


def acronym(name: str) -> str | None:
    """Initials of a name's major words ('Civic Renewal Academy' -> 'CRA'), or None
    when the name has fewer than three of them: reports name a body once in full, then by initials."""
    words = [w for w in re.findall(r"[\w’'&-]+", name) if w.lower() not in _MINOR]
    if len(words) < 3 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words).upper()


def _aliases(named: list[str], ids: list[str], graph) -> tuple[str, ...]:
    """Other names of what the question names: the graph's aliases and the initials of long names."""
    out: list[str] = []
    seen = {phrase_key(n) for n in named}
    forms = list(named)
    for node in ids:
        data = graph.nodes[node] if graph is not None and node in graph else {}
        forms += [data.get("name") or ""] + list(data.get("aliases") or [])
    for form in forms:
        for alias in (form, acronym(form)):
            if alias and phrase_key(alias) not in seen:
                seen.add(phrase_key(alias))
                out.append(alias)
    return tuple(out)


def _anchors(q: str, named: list[str]) -> tuple[str, ...]:
    """Stems of the question's proper names: capitalised words after the first, and named entities."""
    words = re.findall(r"[\w’'&-]+", q)
    caps = [w for w in words[1:] if w[:1].isupper() and w.lower() not in _STOP]
    out: list[str] = []
    for w in content_words(" ".join(caps + named)):
        if w not in out:
            out.append(w)
    return tuple(out)
