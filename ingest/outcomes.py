"""Outcomes: the quantified results a report states, found in the text and read into fields.

`outcome_mentions` finds the phrases ('calls to the team fell by 31%', 'a 38% fall in repeat evictions'),
never money put in or targets; the relations in `ingest.extract` link programmes and organisations to
them with `achieved` edges.
`parse_outcome` reads one stated result into an `Outcome`'s fields: what changed (metric), the
value and its unit, the direction, the baseline or comparison, the period and a coarse theme.
It reads words, not a parse, so it is cheap and testable on a sentence; a field the text does not
give stays None rather than being guessed.
"""

from __future__ import annotations

import bisect
import re

from .records import Document, Entity, Mention, Outcome, entity_id
from .text import COUNT as _COUNT
from .text import MONEY as _MONEY
from .text import PERCENT as _PERCENT

__all__ = ["QUANTITY", "outcome_mentions", "parse_outcome", "THEMES"]

_WS = re.compile(r"\s+")
QUANTITY = re.compile(rf"{_MONEY}|{_PERCENT}|{_COUNT}")
_TIME_UNITS = {"years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour", "minutes",
               "am", "pm", "st", "nd", "rd", "th", "times"}


# -- finding the phrases ------------------------------------------------------------------------


def outcome_mentions(document: Document, sdoc, units) -> tuple[list[Entity], list[Mention]]:
    """Stated results ('a 38% fall in repeat homelessness', 'calls fell by 31%') as outcome entities: the
    clause that says what changed and by how much, its other natural boundaries (with and without the
    subject or a closing period) as aliases. Money spent, granted or bid for and targets are no results."""
    text = document.text
    ents: dict[str, Entity] = {}
    aliases: dict[str, set] = {}
    mentions = []
    date_spans = [(e.start_char, e.end_char) for e in sdoc.ents if e.label_ in {"DATE", "TIME", "ORDINAL"}]
    starts = [u[0] for u in units]
    taken: list[tuple[int, int]] = []
    for m in QUANTITY.finditer(text):
        s, e = m.start(), m.end()
        if any(ts <= s < te for ts, te in taken):
            continue  # the second figure of 'fell from 40% to 28%' belongs to the first's phrase
        raw = m.group(0)
        is_money, is_pct = raw.startswith("£"), "%" in raw or "cent" in raw
        if not (is_money or is_pct):
            if any(ds <= s < de for ds, de in date_spans) or re.fullmatch(r"(19|20)\d\d", raw):
                continue
            nxt = re.match(r"\s+([a-z][a-z-]+)", text[e:e + 30])
            if not nxt or nxt.group(1) in _TIME_UNITS or int(raw.replace(",", "")) < 2:
                continue
        found = _outcome_phrase(sdoc, s, e)
        if found is None:
            continue
        (ps, pe), variants = found
        name = _WS.sub(" ", text[ps:pe]).strip()
        if len(name) < 4 or len(name.split()) < 2:
            continue
        taken.append((ps, pe))
        eid = entity_id("outcome", name)
        prev = ents.get(eid)
        forms = aliases.setdefault(eid, set())
        forms.update(v for v in (_WS.sub(" ", text[a:b]).strip() for a, b in variants) if v != name and len(v.split()) >= 2)
        ents[eid] = Entity(id=eid, type="outcome", name=name, aliases=tuple(sorted(forms)), docs=(document.doc,),
                           mentions=(prev.mentions if prev else 0) + 1)
        # the evidence unit holding the phrase (as extract's _unit_of finds it)
        k = bisect.bisect_right(starts, ps) - 1 if units else -1
        us, ue = units[max(k, 0)] if units else (0, 0)
        mentions.append(Mention(doc=document.doc, start=ps, end=pe, text=text[ps:pe], type="outcome", entity=eid,
                                sent_start=us, sent_end=ue, page=document.page_at(ps)))
    return list(ents.values()), mentions


# the noun of 'a 38% fall in X', whose phrase is the noun phrase itself
_CHANGE_NOUNS = {"fall", "rise", "reduction", "increase", "drop", "decrease", "decline", "cut", "improvement", "saving",
                 "savings", "growth", "gain", "jump", "uplift", "reductions", "increases", "falls", "rises"}
# money a body spends, grants or bids for is an input, not a result
_MONEY_IN = {"spend", "grant", "award", "invest", "fund", "allocate", "bid", "budget", "receive", "commit", "give",
             "pay", "win", "borrow", "lend", "provide", "contribute", "approve", "agree", "earmark", "fence", "pledge",
             "announce", "apply", "cost", "charge", "put", "set", "offer", "back", "make", "total", "worth", "get",
             "obtain", "attract", "lever", "leverage", "unlock", "share", "bring", "release", "need", "require",
             "ask", "seek", "request", "match", "add", "transfer", "use", "include", "cover", "secure", "raise"}
_MONEY_NOUNS = re.compile(r"^(?:fund|funds|funding|grant|grants|programme|contract|investment|budget|project|scheme|"
                          r"bid|award|package|deal|allocation|pot|loan|endowment|prize|settlement|capital|"
                          r"commission|facility|initiative|plan|pilot|partnership|service|a|year|pound|over)$", re.I)
_MONEY_BEFORE = re.compile(r"\b(?:grants?|investment|budget|funding|contract|award|allocation|bid|fund|loan|"
                           r"endowment|cost|costs|value|spend|spending|worth|price|fee|fees|a|an|the)\s+"
                           r"(?:of|worth|totalling|at)?\s*(?:up\s+to\s+|around\s+|about\s+|nearly\s+|almost\s+|over\s+|"
                           r"some\s+|more\s+than\s+)?$", re.I)
_TARGET_WORDS = {"aim", "target", "plan", "hope", "expect", "want", "intend", "aspire", "seek", "forecast", "project",
                 "goal", "ambition", "pledge", "promise", "predict", "propose"}
_MODALS = {"will", "would", "could", "should", "shall", "may", "might", "must", "can"}
_RESULT_MONEY = re.compile(r"\b(?:sav\w*|benefits?|unclaimed|arrears|debt|income|bills?|avoided|gain\w*|"
                           r"social value|returns?|wages?|earnings|outcome payments)\b", re.I)
_CUT_RIGHT = {"compared", "according", "which", "while", "whereas", "but", "because", "against", "thanks", "who",
              "where", "although", "though", "despite", "so", "when", "versus", "vs", "including", "as"}
_CUT_LEFT = {"that", "which", "who", "where", "while", "whereas", "but", "because", "although", "though", "when",
             "so", "if", "whom", "whose"}
_PERIOD_PREPS = {"in", "since", "over", "during", "within", "between", "after", "across", "at", "for", "among",
                 "by", "from", "last", "this", "a", "per", "each", "every", "on", "to", "against", "than", "compared",
                 "among", "amongst", "of", "with", "into", "before", "until", "following", "under", "year", "annually"}
_BREAK = {",", ";", ":", "(", ")", "[", "]", "–", "—", "|", "•", "·", "▪", "●", "*", "?", "!", "\""}
_AGENTISH = {"programme", "scheme", "service", "project", "pilot", "partnership", "council", "trust", "team",
             "charity", "fund", "initiative", "contract", "hub", "it", "they", "we", "model", "network", "board",
             "foundation", "authority", "organisation", "group", "alliance", "provider", "company", "approach"}


def _segment(sdoc, i: int, j: int) -> tuple[int, int]:
    """The tokens around [i, j) up to a clause break: punctuation, a table cell, a line end or the sentence's end."""
    sent = sdoc[i].sent
    a = i
    while a - 1 >= sent.start:
        t = sdoc[a - 1]
        if t.text in _BREAK or t.text.endswith(".") and t.i < i - 1 and t.text == "." or _line_break(sdoc, t):
            break
        a -= 1
    b = j
    while b < sent.end:
        t = sdoc[b]
        if t.text in _BREAK or t.text == "." or _line_break(sdoc, t):
            break
        b += 1
    return a, b


def _line_break(sdoc, t) -> bool:
    """A line end that ends a line of its own (a bullet, a table row, a heading), not a line broken mid-sentence."""
    if not (t.is_space and "\n" in t.text):
        return False
    if "\n\n" in t.text.replace(" ", "") or t.i + 1 >= len(sdoc) or t.i == 0:
        return True
    nxt, prev = sdoc[t.i + 1], sdoc[t.i - 1]
    return not (nxt.text[:1].islower() or nxt.text[:1].isdigit() and not prev.is_punct) or prev.is_punct


def _outcome_phrase(sdoc, start: int, end: int):
    """((start, end), variants) of the result clause around a figure, or None when the figure is no result."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    num = span.root
    seg_a, seg_b = _segment(sdoc, span.start, span.end)
    if seg_a >= span.start and seg_b <= span.end:
        return None  # a figure alone in a cell or line
    is_money = span.text.lstrip().startswith("£")
    # the chain of heads up to the clause's verb; a change noun on the way ('a 38% fall in X')
    verb = noun = None
    t, seen = num, 0
    while seen < 12:
        # a head with a subject is a verb, whatever its tag ('The programme cut ...' read as a noun)
        if (t.pos_ in {"VERB", "AUX"} or any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)) \
                and t.i not in range(span.start, span.end):
            verb = t
            break
        if noun is None and t.pos_ == "NOUN" and _lemma_in(t, _CHANGE_NOUNS) and t.i not in range(span.start, span.end):
            noun = t
        if t.head.i == t.i:
            break
        t, seen = t.head, seen + 1
    if verb is not None and not seg_a <= verb.i < seg_b:
        verb = None  # a verb beyond a break or a line end is another clause's ('Income £1.2m' in a table)
    top = verb if verb is not None else t
    if any(w.lower_ in {"against", "compared", "versus", "vs"} or w.lower_ == "than" and w.i >= 1 and
           sdoc[w.i - 1].lower_ not in {"more", "fewer", "less", "over"} for w in sdoc[max(seg_a, span.start - 8):span.start]):
        return None  # the comparison's figure ('against a national average of 82%'), not the result
    if _is_target(sdoc, span, verb):
        return None
    if not is_money and "%" not in span.text and "cent" not in span.text and not _is_result_count(sdoc, span, verb):
        return None
    if is_money and _is_input_money(sdoc, span, verb):
        return None
    before = sdoc[seg_a:span.start].text
    if re.search(r"\b(?:target|ambition|aim|goal|forecast|projected|budget|bid|grant)s?\s+(?:of|is|was|to)?\s*"
                 r"(?:around\s+|about\s+|up\s+to\s+)?$", before, re.I):
        return None
    # the clause's left end: its subject (or its verb), never before a break or a linking word
    cut_a = seg_a
    for k in range(seg_a, span.start):
        if sdoc[k].lower_ in _CUT_LEFT or (sdoc[k].lower_ in {"and", "or"} and any(
                x.pos_ in {"VERB", "AUX"} for x in sdoc[k + 1:span.start])):
            cut_a = k + 1
    subj = None
    if verb is not None:
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
        if subj is None and verb.dep_ in {"conj", "xcomp", "advcl", "relcl", "acl"}:
            subj = None
        left_verb = verb.i
        auxes = [c.i for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < verb.i]
        left_full = subj.left_edge.i if subj is not None and subj.i < verb.i else min(auxes + [left_verb])
        if subj is not None and subj.i < verb.i and auxes:
            left_full = min(left_full, min(auxes))
        right = max(verb.right_edge.i, span.end - 1)
    else:
        left_verb = left_full = top.left_edge.i
        right = max(top.right_edge.i, span.end - 1)
    left_full = max(min(left_full, span.start), cut_a)
    left_verb = max(min(left_verb, span.start), cut_a)
    # the right end: the clause's end, before a break or a word that opens another clause
    r = span.end
    while r <= min(right, seg_b - 1):
        w = sdoc[r]
        if w.lower_ in _CUT_RIGHT and r > span.end - 1:
            break
        if w.lower_ in {"and", "or"} and not (r + 1 < len(sdoc) and (sdoc[r + 1].like_num or sdoc[r + 1].text.startswith("£"))):
            break
        r += 1
    right_full = r  # exclusive
    # trailing words that are no part of the result
    while right_full > span.end and (sdoc[right_full - 1].is_punct or sdoc[right_full - 1].is_space or
                                     sdoc[right_full - 1].lower_ in {"and", "or", "the", "a", "an", "of", "to", "in"}):
        right_full -= 1
    lefts = {left_full, left_verb}
    if verb is not None and subj is None and cut_a < verb.i:
        lefts.add(cut_a)  # a subject the parser missed ('Since then, calls to the team fell by 31%')
    if noun is not None and (verb is None or noun.i > (verb.i if verb is not None else -1) or True):
        n_left = max(noun.left_edge.i, cut_a)
        lefts.add(min(n_left, span.start))
    rights = {right_full, span.end}
    last_q = max((k for k in range(span.end, right_full) if sdoc[k].like_num or "%" in sdoc[k].text or
                  sdoc[k].text.startswith("£")), default=span.end - 1)
    for k in range(last_q + 1, right_full):
        if sdoc[k].lower_ in _PERIOD_PREPS:
            rights.add(k)
    # the noun the figure counts ('helped 410 people'), without what follows
    if num.head.i >= span.end and num.head.i < right_full:
        rights.add(num.head.i + 1)

    def clean(a: int, b: int):
        while a < b and (sdoc[a].is_punct or sdoc[a].is_space or sdoc[a].lower_ in {"and", "or", "but", "then"}):
            a += 1
        while b > a and (sdoc[b - 1].is_punct and sdoc[b - 1].text != "%" or sdoc[b - 1].is_space):
            b -= 1
        return a, b

    variants = set()
    for a in lefts:
        for b in rights:
            if a <= span.start and b >= span.end and b - a >= 2:
                ca, cb = clean(a, b)
                if cb > ca:
                    variants.add((sdoc[ca].idx, sdoc[cb - 1].idx + len(sdoc[cb - 1].text)))
    if not variants:
        return None
    # the name: the clause with its subject unless the subject is who achieved it, and its full right end
    agentish = subj is not None and (subj.pos_ in {"PRON", "PROPN"} or _lemma_in(subj, _AGENTISH))
    if noun is not None and (verb is None or not _lemma_in(verb, _CHANGE_VERBS_LEMMA)):
        main_a = max(min(noun.left_edge.i, span.start), cut_a)
    else:
        main_a = left_verb if agentish else left_full
    ca, cb = clean(main_a, right_full)
    if cb - ca < 2:
        ca, cb = clean(min(lefts), max(rights))
    main = (sdoc[ca].idx, sdoc[cb - 1].idx + len(sdoc[cb - 1].text))
    if main[1] - main[0] > 260:
        return None
    variants.discard(main)
    return main, sorted(v for v in variants if v[1] - v[0] <= 260)


_CHANGE_VERBS_LEMMA = {"fall", "rise", "cut", "reduce", "decrease", "decline", "drop", "lower", "save", "halve", "increase",
                       "grow", "double", "triple", "treble", "boost", "improve", "raise", "go", "reach", "help", "support",
                       "move", "avoid", "prevent", "shrink", "shorten", "slash", "climb", "jump", "recover"}


_IRREGULAR = {"fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow",
              "won": "win", "gave": "give", "given": "give", "paid": "pay", "made": "make", "spent": "spend",
              "got": "get", "brought": "bring", "went": "go", "gone": "go", "sought": "seek", "led": "lead",
              "shrank": "shrink", "kept": "keep", "lent": "lend", "took": "take", "taken": "take", "saw": "see",
              "seen": "see", "found": "find", "said": "say", "were": "be", "was": "be", "is": "be", "are": "be"}


def _lemma_in(t, words: set) -> bool:
    """Whether a token's word is one of `words` (bare forms), read without a lemmatiser ('invested', 'funding')."""
    w = t.lower_
    if t.lemma_ and t.lemma_.lower() in words or _IRREGULAR.get(w) in words or w in words:
        return True
    for suffix in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[:-len(suffix)]
            if stem in words or stem + "e" in words or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words):
                return True
    return False


def _is_target(sdoc, span, verb) -> bool:
    """A figure aimed at, forecast or planned ('aims to cut waits by 20%', 'will save £2m'): not a result."""
    chain = [verb] if verb is not None else []
    if verb is not None:
        chain += list(verb.ancestors)[:3]
    for v in chain:
        if _lemma_in(v, _TARGET_WORDS):
            return True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in v.children):
            return True
    sent = span.sent
    head = sdoc[max(sent.start, span.start - 6):span.start].text.lower()
    return bool(re.search(r"\b(?:target|aims?|aiming|ambition|goal|forecast|projected|expected|plans?|planned|"
                          r"will|would|by\s+20[3-9]\d)\b", head)) and not re.search(r"\bthan\b", head)


def _is_result_count(sdoc, span, verb) -> bool:
    """A count that a result states ('helped 410 people', '612 people have completed'), not a size or a state
    ('has 46 member groups', '492 households were in temporary accommodation', 'one of 12 districts')."""
    if verb is None or _lemma_in(verb, {"be", "have", "include", "range", "employ", "need", "cost", "pay", "total"}):
        return False
    prev = sdoc[span.start - 1] if span.start > span.sent.start else None
    if prev is not None and (prev.lower_ in {"including", "of", "among", "with", "per", "every", "each"}):
        return prev.lower_ == "of" and span.start >= 2 and sdoc[span.start - 2].like_num
    return True


def _is_input_money(sdoc, span, verb) -> bool:
    """Money spent, granted, invested, bid for or budgeted ('received £1.3m', '£1.5m from X', 'a £2m fund')."""
    after = sdoc[span.end:min(span.end + 4, len(sdoc))]
    if verb is None or any(t.lower_ == "from" for t in after[:3]) or len(after) and after[0].lower_ in {"for", "to", "towards"}:
        return True  # a sum in a list or table, '£1.5m from X', '£0.8m for the market place', '£9,000 to the trust'
    num_head = span.root.head
    if num_head.i >= span.end and num_head.pos_ in {"NOUN", "PROPN"} and _MONEY_NOUNS.match(num_head.lower_) \
            and num_head.lower_ not in {"a", "year", "over"}:
        return True
    if span.end < len(sdoc) and _MONEY_NOUNS.match(sdoc[span.end].lower_) and sdoc[span.end].lower_ not in {"a", "year", "over", "pound"}:
        return True  # '£1.3m programme'
    phrase = sdoc[span.sent.start:span.sent.end].text
    if verb is not None and _lemma_in(verb, _MONEY_IN):
        if _lemma_in(verb, {"secure", "raise", "bring", "unlock", "get", "obtain"}) and _RESULT_MONEY.search(
                sdoc[span.start:min(span.end + 6, span.sent.end)].text):
            return False
        return True
    before = sdoc[max(span.sent.start, span.start - 4):span.start].text
    if _MONEY_BEFORE.search(before) and not _RESULT_MONEY.search(before) and not re.search(r"\b(?:saved?|saving)\b", phrase, re.I):
        return True
    return False


# -- reading a stated result into fields -------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "twelve": 12, "eighteen": 18, "twenty": 20}
_SCALE = {"k": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_PEOPLE = {"people", "residents", "patients", "children", "adults", "users", "clients", "tenants", "staff", "pupils",
           "students", "learners", "carers", "volunteers", "veterans", "participants", "individuals", "citizens",
           "parents", "mothers", "fathers", "women", "men", "girls", "boys", "offenders", "prisoners", "claimants",
           "jobseekers", "workers", "employees", "apprentices", "graduates", "sleepers", "survivors", "victims",
           "persons", "learners", "members", "referrals", "service users", "older people", "young people"}
_HOUSEHOLDS = {"households", "families", "homes", "houses", "dwellings", "properties", "tenancies"}
_TIME = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
         "year": "years", "years": "years", "hour": "hours", "hours": "hours"}
_DOWN = re.compile(r"\b(?:fell|fall(?:s|en|ing)?|cut(?:s|ting)?|reduc(?:ed|es|ing|e|tions?)|decreas(?:ed|es|ing|e)|"
                   r"declin(?:ed|es|ing|e)|dropp?(?:ed|s|ing)?|lower(?:ed)?|fewer|less|sav(?:ed|es|ing|ings)|down|"
                   r"halved|avoided|prevented|shrank|shortened|slashed|lost)\b", re.I)
_UP = re.compile(r"\b(?:rose|ris(?:e|es|en|ing)|increas(?:ed|es|ing|e)|grew|grow(?:s|n|ing|th)?|more|up|higher|"
                 r"doubled|tripled|trebled|boost(?:ed|s)?|improv(?:ed|es|ing|ement)|raised|gain(?:ed|s)?|additional|"
                 r"extra|expanded|created|generated)\b", re.I)
# 'more than 300 people' says how many, not that a number went up
_APPROX = re.compile(r"\b(?:more|fewer|less|up)\s+(?:than|to)\s*$|\bover\s*$|\bnearly\s*$|\balmost\s*$|\baround\s*$|"
                     r"\babout\s*$|\bsome\s*$|\bapproximately\s*$", re.I)
_CLAUSE = re.compile(r"[,;:()–—]|\b(?:and|but|which|while|whereas|because|so that|after|when|as)\b", re.I)
_STOP_AFTER = re.compile(r"\s*(?:[,;:()–—]|(?<!\d)\.|\.(?!\d)|\b(?:is|are|was|were|will|would|has|have|had|annually|onwards|"
                         r"respectively|alone|overall|by|from|to|compared|against|over|between|since|during|within|"
                         r"across|at|than|and|but|which|while|because|after|when|as|thanks|through|following|"
                         r"(?-i:in\s+(?=[A-Z]))|"
                         r"in\s+(?:(?:19|20)\d\d|its|the|their|our|his|her|a|one|two|three|each|every|[a-z]+\s+year)|"
                         r"each|every|per|a\s+(?:year|month|week))\b)", re.I)
_LEADING = re.compile(r"^(?:(?:the|a|an|its|their|our|his|her|this|that|these|those|of|in|on|for|into|fewer|more|"
                      r"less|additional|extra|new|overall|total|some|all)\s+)+", re.I)
_CHANGE_NOUN = re.compile(r"^\s*(?:a\s+|an\s+)?(?:reduction|drop|fall|decrease|decline|cut|increase|rise|growth|"
                          r"improvement|saving|savings|change)\s+(?:in|of|on)\s+", re.I)
_VERB_NOUNS = {"invested": "investment", "invest": "investment", "saved": "savings", "saving": "savings",
               "raised": "money raised", "secured": "funding secured", "spent": "spending", "spend": "spending",
               "generated": "income generated", "awarded": "funding awarded", "allocated": "funding allocated"}
_CHANGE_VERB = re.compile(r"\b(?:fell|fallen|falls?|cut|cuts|reduced|reduces|reducing|decreased|declined|dropped|"
                          r"lowered|saved|halved|rose|risen|rises|increased|increases|grew|grown|doubled|tripled|"
                          r"boosted|improved|raised|invested|secured|spent|generated|helped|supported|moved|"
                          r"created|delivered|prevented|avoided|achieved|awarded|allocated|went|reached)\b", re.I)
_PERIOD = re.compile(
    r"\bbetween\s+(?:19|20)\d\d(?:/\d\d)?\s+and\s+(?:19|20)\d\d(?:/\d\d)?"
    r"|\b(?:from|since)\s+(?:19|20)\d\d(?:/\d\d)?(?:\s*(?:to|until|–|-)\s*(?:19|20)\d\d(?:/\d\d)?)?"
    r"|\bin\s+(?:its|the|their|our|his|her)\s+(?:first|second|third|fourth|fifth|opening|initial|last|final)\s+"
    r"(?:\w+\s+)?(?:year|months?|weeks?|phase)s?"
    r"|\b(?:over|across|during|in|within)\s+(?:the\s+)?(?:(?:last|past|next|first|following)\s+)?"
    r"(?:an?\s+)?(?:a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|eighteen|\d+)[\s-]+"
    r"(?:years?|months?|weeks?)"
    r"(?:\s+period)?"
    r"|\b(?:in|during|by|for)\s+(?:19|20)\d\d(?:[/–-]\d\d(?:\d\d)?)?"
    r"|\b(?:19|20)\d\d[/–-]\d\d(?:\d\d)?\b"
    r"|\b(?:a|per|each|every)\s+(?:year|month|week|annum)\b|\bannually\b",
    re.I)
_QTY = rf"(?:{_MONEY}|{_PERCENT}|\d[\d,]*(?:\.\d+)?)"
_FROM_TO = re.compile(rf"\bfrom\s+(?:around\s+|about\s+|nearly\s+)?(?P<a>{_QTY})(?:\s+\w+){{0,3}}?\s+"
                      rf"(?:in\s+(?:19|20)\d\d\s+)?to\s+(?:just\s+|around\s+|about\s+)?(?P<b>{_QTY})", re.I)
_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|relative\s+to|versus|vs\.?)\s+"
                       r"[^,;.()]+", re.I)
_TARGET = re.compile(r"\bagainst\s+(?:a|an|the|its|their)?\s*(?:target|baseline|benchmark|ambition|goal|aim)"
                     r"(?:\s+of\s+[^,;()]+?(?=[,;()]|\.(?:\s|$)|$))?", re.I)
_THAN = re.compile(r"\b(?:lower|higher|fewer|more|less|better|worse|greater|faster|slower|cheaper)\s+than\s+(?!\d|£)"
                   r"[^,;.()]+", re.I)
_BASELINE_OF = re.compile(r"\b(?:a\s+|the\s+)?baseline\s+of\s+[^,;()]+?(?=[,;()]|\.(?:\s|$)|$)", re.I)

# Coarse themes, first match wins, the metric read before the rest of the sentence; money last,
# so 'saved £2m on temporary accommodation' is housing.
THEMES: tuple[tuple[str, re.Pattern], ...] = tuple((name, re.compile(rf"\b(?:{words})", re.I)) for name, words in (
    ("housing", r"homeless|housing|homes?\b|tenan|rough sleep|evict|temporary accommodation|rent|landlord|"
                r"dwelling|households?\b"),
    ("social care", r"social care|care homes?|home care|domiciliary|reablement|carers?\b|care packages?|"
                    r"residential care|adult care|safeguarding|delayed transfers?"),
    ("children", r"child|young people|youth|pupils?|schools?|care leavers?|looked[- ]after|famil|early years|"
                 r"nursery|exclusions?"),
    ("health", r"health|hospital|a&e|a & e|emergency (?:department|admissions?)|admissions?|nhs\b|gp\b|gps\b|"
               r"patients?|clinical|mental|wellbeing|well-being|obesity|smoking|mortality|life expectancy|"
               r"bed days?|ambulance|prescri"),
    ("employment", r"jobs?\b|employ|unemploy|work\b|into work|apprentic|skills?\b|training|careers?|vacanc|"
                   r"recruit|wages?|earnings"),
    ("justice", r"crime|offend|reoffend|prison|police|policing|probation|justice|anti-?social|violence|arrests?|"
                r"custody|courts?\b"),
    ("environment", r"carbon|emission|energy|waste|recycl|climate|green|trees?\b|air quality|pollution"),
    ("money", r"£|sav(?:ed|ings?)|budget|costs?\b|spend|income|debt|benefits?\b|bills?\b|invest|funding|fund\b|"
              r"grants?\b|revenue|financial|money|pounds?"),
))


def parse_outcome(sentence: str, quantity: str | tuple[int, int]) -> Outcome | None:
    """The fields of the result stated around `quantity` (its text, or its (start, end) in `sentence`).

    None when the quantity is only the starting point of a change ('from 40% to 28%' is one result,
    read at its 28%), so one stated result gives one record.
    """
    if isinstance(quantity, str):
        at = sentence.find(quantity)
        if at < 0:
            raise ValueError(f"{quantity!r} is not in the sentence {sentence!r}; pass a quantity the sentence holds")
        qs, qe = at, at + len(quantity)
    else:
        qs, qe = quantity
    first = QUANTITY.search(sentence, qs, max(qe, qs + 1) + 40)
    if first is not None and first.start() < qe:
        qs, qe = first.span()  # the number itself, when given a phrase around it
    qtext = sentence[qs:qe]
    baseline = None
    from_to = next((m for m in _FROM_TO.finditer(sentence) if m.start() <= qs < m.end()), None)
    direction = None
    if from_to is not None:
        if qs == from_to.start("a"):
            return None
        a_val, _ = _number(from_to.group("a"))
        b_val, _ = _number(from_to.group("b"))
        baseline = _WS.sub(" ", from_to.group("a"))
        if a_val is not None and b_val is not None and a_val != b_val:
            direction = "decrease" if b_val < a_val else "increase"
    value, unit = _number(qtext)
    after = sentence[qe:]
    if unit == "count":
        unit = _count_unit(after)
    metric = _metric(sentence, qs, qe, from_to.start() if from_to is not None else None, unit)
    if direction is None:
        direction = _direction(sentence, qs, qe)
    if baseline is None:
        for pattern in (_TARGET, _COMPARED, _THAN, _BASELINE_OF):
            m = pattern.search(sentence)
            if m:
                baseline = _WS.sub(" ", m.group(0)).strip(" .")
                break
    period = None
    for m in _PERIOD.finditer(sentence):
        if from_to is not None and from_to.start() <= m.start() < from_to.end() and not re.match(r"in\s", m.group(0)):
            continue
        period = _WS.sub(" ", m.group(0)).strip()
        break
    return Outcome(metric=metric, value=value, value_text=_WS.sub(" ", qtext), unit=unit, direction=direction or "none",
                   baseline=baseline, period=period, theme=theme_of(metric or "", sentence))


def theme_of(metric: str, sentence: str = "") -> str | None:
    """A coarse theme (housing, health, employment, children, social care, justice, environment, money)."""
    for text in (metric, sentence):
        for name, pattern in THEMES:
            if text and pattern.search(text):
                return name
    return None


def _number(text: str) -> tuple[float | None, str]:
    """(value, unit) of a quantity as written: '£1.2m' -> (1200000.0, 'gbp'), '28 per cent' -> (28.0, 'percent')."""
    t = text.strip().lower()
    unit = "gbp" if t.startswith("£") else "percent" if ("%" in t or "cent" in t) else "count"
    m = re.search(r"\d[\d,]*(?:\.\d+)?", t)
    if not m:
        return None, unit
    value = float(m.group(0).replace(",", ""))
    scale = re.search(r"\d\s?(million|billion|bn|m|k)\b", t)
    if unit == "gbp" and scale:
        value *= _SCALE[scale.group(1)]
    return value, unit


def _count_unit(after: str) -> str:
    """What a bare number counts, from the words after it: people, households, a time unit, else count."""
    words = re.findall(r"[a-z]+", after.lower())[:4]
    for w in words[:3]:
        if w in {"more", "fewer", "additional", "extra", "new", "local", "vulnerable", "older", "young", "homeless",
                 "unemployed", "disadvantaged", "of", "the"}:
            continue
        if w in _PEOPLE or " ".join(words[:2]) in _PEOPLE:
            return "people"
        if w in _HOUSEHOLDS:
            return "households"
        if w in _TIME:
            return _TIME[w]
        break
    if len(words) >= 2 and words[1] in _PEOPLE | {"people"}:
        return "people"  # '300 young people', '40 older residents'
    if len(words) >= 2 and words[1] in _HOUSEHOLDS:
        return "households"
    return "count"


def _clean(words: str) -> str | None:
    text = _WS.sub(" ", words).strip(" ,;:.-–—'\"‘’“”")
    text = _LEADING.sub("", text).strip()
    text = re.sub(rf"^(?:{_MONEY}|{_PERCENT})\s*", "", text)  # '82% of its £6.5m annual cost': the cost
    tokens = text.split()
    if not tokens or not re.search(r"[A-Za-z]", text):
        return None
    return " ".join(tokens[:8])


def _metric(sentence: str, qs: int, qe: int, before_end: int | None = None, unit: str = "count") -> str | None:
    """What changed: the noun phrase after the number ('30% fewer A&E attendances', 'a 30% reduction in
    evictions'), else the object of a change verb before it ('cut repeat homelessness by 30%'), else its
    subject ('repeat homelessness fell by 30%'), else the verb's noun ('invested £10m' -> investment)."""
    after = sentence[qe:]
    after = re.sub(r"^\s*(?:per\s?cent\b|%)", "", after)
    change = _CHANGE_NOUN.match(after)
    if change:
        after = after[change.end():]
    else:
        after = re.sub(r"^\s*(?:more|fewer|less|additional|extra|new)\b", "", after, flags=re.I)
        after = re.sub(r"^\s*of\s+", " ", after, flags=re.I)  # '28% of tenants'; 'in' may open a period
        if re.match(r"\s*(?:lower|higher|better|worse|greater|smaller|faster|slower|cheaper|up|down|above|below)\b",
                    after, re.I):
            after = ""  # '9% lower than ...': what is lower comes before the number
    stop = _STOP_AFTER.search(after)
    candidate = _clean(after[:stop.start()] if stop else after)
    # a share, a sum or a time says nothing of what it measures, so the subject may: 'waits fell to 9 days';
    # a count of people or things is itself the metric, and its subject is who achieved it
    unit_word = unit not in {"count", "people", "households"}
    if candidate and candidate.lower() not in _TIME and not re.fullmatch(r"(?:of|in|on|a|the)", candidate, re.I):
        return candidate
    before = sentence[:qs if before_end is None else before_end]
    of = re.search(r"\s+of\s+(?:around\s+|about\s+|nearly\s+|almost\s+|over\s+|some\s+)?$", before, re.I)
    if of:  # 'a pension deficit of £800 million': the noun phrase before 'of', back to its determiner or verb
        head = before[:of.start()]
        cut = max((m.end() for m in re.finditer(r"[,;:()]|\b(?:and|but|with|a|an|the|its|their|our|of|had|has|have|"
                                                 r"was|were|is|are|to|for|in|on)\b", head, re.I)), default=0)
        noun = _clean(head[cut:])
        if noun and len(noun.split()) <= 5 and not _CHANGE_VERB.search(noun):
            return noun
    before = re.sub(r"(?:\b(?:by|to|of|at|from|around|about|nearly|almost|over|some|approximately|more than|"
                    r"less than|fewer than|up to|just|a|an|the)\s*)+$", "", before, flags=re.I)
    clause_start = max((m.end() for m in _CLAUSE.finditer(before)), default=0)
    clause = before[clause_start:]
    verbs = list(_CHANGE_VERB.finditer(clause))
    if verbs:
        verb = verbs[-1]
        obj = _clean(clause[verb.end():])
        if obj and not _CHANGE_VERB.search(obj):
            return obj
        # a money verb's subject is who spent or saved it, not what changed
        noun = _VERB_NOUNS.get(verb.group(0).lower())
        if noun:
            return noun
        return _subject(clause[:verb.start()]) if unit_word else None
    copula = re.search(r"\b(?:was|were|is|are|has been|have been|stood at|remained|reached)\s*$", clause, re.I)
    return _subject(clause[:copula.start()]) if copula else None


def _subject(words: str) -> str | None:
    subject = _clean(re.sub(r"\b(?:has|have|had|was|were|is|are|been|also|then)\s*$", "", words, flags=re.I))
    if subject and len(subject.split()) <= 8 and not re.match(r"(?:it|they|we|this|which|who)\b", subject, re.I):
        return subject
    return None


def _direction(sentence: str, qs: int, qe: int) -> str | None:
    """increase / decrease from the change word nearest the number in its clause; None when none is said."""
    before = sentence[:qs]
    clause_start = max((m.end() for m in re.finditer(r"[;:()–—]|,\s", before)), default=0)
    window_before = before[clause_start:]
    if _APPROX.search(window_before):
        window_before = _APPROX.sub("", window_before)
    after = sentence[qe:qe + 60]
    after_stop = re.search(r"[,;.()]", after)
    window_after = after[:after_stop.start()] if after_stop else after
    # a change word right after the number speaks for it ('30% fewer', 'a 12% rise in')
    head_after = re.match(r"\s*(?:per\s?cent)?\s*(\w+)", window_after)
    if head_after and not re.match(r"\s*(?:per\s?cent)?\s*(?:more|fewer|less)\s+than\b", window_after, re.I):
        word = head_after.group(1)
        if _DOWN.fullmatch(word):
            return "decrease"
        if _UP.fullmatch(word):
            return "increase"
    hits = [(m.end(), "decrease") for m in _DOWN.finditer(window_before)]
    hits += [(m.end(), "increase") for m in _UP.finditer(window_before)]
    if hits:
        return max(hits)[1]
    return None


# -- records ------------------------------------------------------------------------------------


def outcome_records(document: Document, mentions, relations) -> tuple[Outcome, ...]:
    """One `Outcome` per outcome mention, its fields parsed from its sentence; `achieved_by` are the
    sources of `achieved` edges to it in that sentence, `place` a place named in the sentence (the
    nearest: the result's own place) else where an achiever is `located_in`."""
    from .records import content_hash

    text = document.text
    achieved: dict[str, list] = {}
    located: dict[str, list] = {}
    for r in relations:
        if r.relation == "achieved":
            achieved.setdefault(r.target, []).append(r)
        elif r.relation == "located_in":
            located.setdefault(r.source, []).append(r)
    places = [m for m in mentions if m.type == "place"]
    out = []
    for m in mentions:
        if m.type != "outcome":
            continue
        us, ue = m.sent_start, m.sent_end
        q = QUANTITY.search(text, m.start, m.end)
        if q is None or not us <= q.start() < ue or _not_a_result(text, q):
            continue
        parsed = parse_outcome(text[us:ue], (q.start() - us, q.end() - us))
        if parsed is None:
            continue
        by = sorted({r.source for r in achieved.get(m.entity, ()) if r.start <= m.start and m.end <= r.end})
        near = sorted((abs(p.start - m.start), p.start, p.entity) for p in places if us <= p.start < ue and p.entity)
        place = near[0][2] if near else None
        if place is None:
            homes = sorted((r.start, r.target) for b in by for r in located.get(b, ()))
            place = homes[0][1] if homes else None
        out.append(_replace(parsed, id=content_hash(f"{document.doc}\0{document.sha256}\0{m.start}:{m.end}")[:24],
                            entity=m.entity, doc=document.doc, phrase=m.text, phrase_start=m.start, phrase_end=m.end,
                            sentence=text[us:ue], start=us, end=ue, page=m.page, achieved_by=tuple(by), place=place))
    return tuple(sorted(out, key=lambda o: (o.start, o.phrase_start, o.entity)))


def _not_a_result(text: str, q: re.Match) -> bool:
    """A number that only looks like a result: a year ('2025/26 onwards'), a reference or web address."""
    if q.group(0)[0] == "£" or "%" in q.group(0) or "cent" in q.group(0):
        return False
    left = text.rfind(" ", 0, q.start()) + 1
    right = min((i for i in (text.find(" ", q.end()), text.find("\n", q.end())) if i >= 0), default=len(text))
    token = text[left:right]
    year = re.fullmatch(r"(?:19|20)\d\d", q.group(0).replace(",", ""))
    # a note number before a reference: '... Denmark 5 https://...'
    url_next = re.match(r"\s+(?:https?:|www\.)", text[q.end():q.end() + 12])
    return bool(year) or bool(url_next) or bool(re.search(r"[/@]|https?:|www\.", token))


def _replace(record: Outcome, **changes) -> Outcome:
    import dataclasses

    return dataclasses.replace(record, **changes)
