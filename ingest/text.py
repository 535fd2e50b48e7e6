"""Text helpers every package shares: name keys, stemming, stop words, role words, and the money,
per-cent and count patterns.

In `ingest` because it is the bottom layer: `graph` and `search` already import it, so one
definition here serves extraction, resolution, the keyword index and question answering alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["QUOTES", "STOP_WORDS", "name_key", "phrase_key", "stem", "content_words", "ROLE_WORDS",
           "ROLE_TOKENS", "MONEY", "PERCENT", "COUNT", "AMOUNT_PARTS", "amount_value", "amount_word"]

# Curly quotes and dashes as their plain forms, so a name typed on a keyboard meets one typeset.
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})

STOP_WORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing done for from had has have
    he her his how i if in into is it its of on or our she so such than that the their them then there
    these they this those to was we were what when where which who whom whose why will with would you
    your about after also any all more most other over said says some up us according each many much
    name called currently now""".split()
)


# -- name keys ------------------------------------------------------------------------------------

_LEGAL_TAILS = (["nhs", "foundation", "trust"], ["nhs", "trust"], ["ltd"], ["limited"], ["llp"], ["plc"])


@functools.lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The identity of a name, for deciding that two mentions are one thing: 'The Holts and Lees’',
    'Holt and\\nLees' and 'Holts & Lees Ltd' share 'holtandlee'."""
    text = unicodedata.normalize("NFKC", name).translate(QUOTES).lower()
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"'s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text.replace("&", " and "))
    # a legal or NHS form does not make a different body ("Harrow Vale LLP", "X Hospitals NHS Foundation Trust")
    for tail in _LEGAL_TAILS:
        if len(words) > len(tail) + 1 and words[-len(tail):] == tail:
            words = words[:-len(tail)]
            break
    out = []
    for w in words:
        if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return "".join(out)


def phrase_key(text: str) -> str:
    """The words of a name as typed, for looking up a question's word runs: lower-case, straight
    quotes, punctuation dropped, spaces kept ("Pemberton’s Trust" -> "pembertons trust").

    Not `name_key`: a question's n-grams are matched word by word, so word boundaries, plurals
    and legal forms stay ('The Harrow Vale LLP' -> 'harrow vale llp', where name_key gives 'harrowvale')."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES).lower()
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^\w\s&£%]", " ", text).replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text[4:] if text.startswith("the ") else text


# -- stemming -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light, predictable stemmer so 'leads'/'led'/'leading' and 'service'/'services' meet."""
    w = word.lower().replace("’", "'").strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 6 and w.endswith("ings"):
        # A plural of an -ing noun meets its singular: 'savings' / 'saving', 'buildings' / 'building'.
        w = w[:-1]
    if len(w) > 6 and w.endswith("ly"):
        # An adverb meets its adjective: 'regularly' / 'regular', 'heavily' / 'heavy'.
        w = w[:-3] + "y" if w.endswith("ily") else w[:-2]
    if len(w) > 4 and w.endswith(("ies", "ied")):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 3 and w.endswith("ed") and not w.endswith("eed"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith(("sses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 2 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return _IRREGULAR.get(w, w[:8])


_IRREGULAR = {"led": "lead", "wrote": "writ", "written": "writ", "write": "writ", "writ": "writ",
              "set": "set", "ran": "run", "run": "run", "held": "hold", "made": "make", "spent": "spend",
              "chose": "choose", "chosen": "choose", "built": "build", "gave": "give", "given": "give",
              "paid": "pay", "sought": "seek", "won": "win", "began": "begin", "begun": "begin",
              "found": "find", "co-wrote": "writ", "co-written": "writ", "chair": "chair", "funded": "fund",
              "partner": "partner", "invest": "invest",
              # Irregular past forms a question and a report may use for the same act ('brought in'
              # against 'bringing').
              "brought": "bring", "bought": "buy", "taught": "teach", "thought": "think", "told": "tell",
              "sold": "sell", "kept": "keep", "left": "leave", "took": "take", "taken": "take", "saw": "see",
              "seen": "see", "went": "go", "gone": "go", "came": "come", "grew": "grow", "grown": "grow",
              "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "became": "become",
              "drew": "draw", "drawn": "draw", "spoke": "speak", "spoken": "speak", "met": "meet", "meet": "meet",
              "sent": "send", "lent": "lend", "felt": "feel", "heard": "hear", "knew": "know", "known": "know",
              "shown": "show", "understood": "understand", "stood": "stand"}


# -- money, per-cent and counts -------------------------------------------------------------------

# A money amount however it is written: '£1.4 million', '£1.4million', '£1,400,000', '£250k'. Digit
# groups are read strictly, so the comma after '£500,' is the sentence's, not the amount's.
MONEY = r"£\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:million|billion|thousand|bn|m|k)\b)?"
PERCENT = r"\d+(?:\.\d+)?\s?(?:%|per\s?cent\b)"
COUNT = r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b"
# An amount's number and scale word, for reading its value or writing it another way.
AMOUNT_PARTS = re.compile(r"£\s?(\d[\d,]*(?:\.\d+)?)\s?(k|thousand|m|million|bn|billion)?\b", re.I)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def amount_value(text: str) -> float | None:
    """The value of the first money amount in `text`, however written: '£1.4 million' ==
    '£1.4million' == '£1,400,000'."""
    m = AMOUNT_PARTS.search(text)
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1.0)


def amount_word(text: str) -> str:
    """The one word for a money amount: '£1.4 million' -> '£1400000'."""
    value = amount_value(text)
    return text.lower() if value is None else f"£{value:.0f}"


def content_words(text: str) -> list[str]:
    """Stemmed content words of `text` (stop words dropped), in order; an amount is one word."""
    words = re.findall(rf"{MONEY}|[a-z0-9£][a-z0-9'&£-]*", unicodedata.normalize("NFKC", text).translate(QUOTES).lower())
    return [amount_word(w) if w.startswith("£") else stem(w) for w in words if w not in STOP_WORDS and len(w) > 1 or w.isdigit()]


# -- role words -----------------------------------------------------------------------------------

# The one vocabulary of posts a person holds in an organisation or group. search/spans.py builds its
# title patterns from it, search/answer.py its test for a job title read as a name; extraction
# tests single tokens against its words (ROLE_TOKENS).
ROLE_WORDS = (
    "chief executive officer", "chief executive", "chief officer", "chief operating officer", "ceo", "cfo", "coo",
    "chair", "co-chair", "chairman", "chairwoman", "chairperson", "director", "head", "lead", "leader", "manager",
    "officer", "founder", "co-founder", "president", "secretary", "treasurer", "mayor", "minister", "commissioner",
    "coordinator", "co-ordinator", "champion", "convenor", "convener", "trustee", "dean", "principal", "governor",
    "ombudsman", "adviser", "advisor", "councillor", "partner", "fellow", "professor", "editor", "author",
    "co-author", "analyst", "researcher", "consultant", "specialist", "administrator", "controller",
    "superintendent", "inspector", "clerk", "mentor", "coach", "nurse", "clinician", "member",
)

# The single words of the posts, and 'contact', which labels a person ('Contact: Jo Bloggs') without
# being a post one holds: a capitalised run holding one is a job description, not a name.
ROLE_TOKENS = frozenset(word for post in ROLE_WORDS for word in post.split()) | {"contact"}
