"""Word lists the extractor reasons with: name heads, sectors, titles, roles, relation cues.

These are general English / UK public-sector words (the shapes of names), never names taken from
any evaluation set. The only place list is the ONS ITL1 regions and the UK nations (a public
statistical geography), used to type a bare region name as a place. The longer plain lists are
data files in `ingest/data/` (one entry a line); the short ones and the patterns stay here.
"""

from __future__ import annotations

import re
from pathlib import Path

from .text import ROLE_TOKENS

__all__ = [
    "ORG_SUFFIX", "ORG_PREFIX", "PROGRAMME_SUFFIX", "LOWER_PROGRAMME_TAIL", "AMBIGUOUS_SUFFIX",
    "CONNECTORS", "TITLES", "POST_NOMINALS", "ROLE_WORDS", "ROLE_MODIFIERS", "REGIONS",
    "RELATION_CUES", "GENERIC_SINGLE", "GIVEN_NAMES", "ABBREVIATIONS", "PLACE_SUFFIX", "PLACE_TAIL", "sector_of", "ROLE_RE",
]

# The word lists live in ingest/data/, one entry a line, so a researcher can read and extend them
# without reading code; this module reads them once, at import.
_DATA = Path(__file__).resolve().with_name("data")


def _lines(name: str) -> list[str]:
    """The entries of ingest/data/`name`: one a line, '#' starts a comment, blank lines skipped."""
    path = _DATA / name
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise RuntimeError(f"cannot read the word list {path}: {exc.strerror or exc}; restore it "
                           f"(git checkout -- ingest/data) or reinstall casegraph") from exc
    return [entry for line in text.splitlines() if (entry := line.split("#", 1)[0].strip())]


def _words(name: str) -> set[str]:
    return set(_lines(name))


def _sectors(name: str) -> dict[str, str | None]:
    """'word sector' lines as {word: sector}; '-' stands for no sector."""
    out: dict[str, str | None] = {}
    for entry in _lines(name):
        word, _, sector = entry.rpartition(" ")
        if not word:
            raise RuntimeError(f"{_DATA / name}: {entry!r} needs a word and a sector ('-' for none); fix the line")
        out[word.strip()] = None if sector == "-" else sector
    return out


# Last word of a name -> sector ("Harwick Council", "Ashby Hospitals NHS Foundation Trust").
ORG_SUFFIX: dict[str, str | None] = _sectors("org_suffix.txt")
# A name *starting* with these and continuing with of/for is an organisation ("Department for Transport").
ORG_PREFIX: dict[str, str | None] = _sectors("org_prefix.txt")
# Programme words that describe a name rather than complete it ("the Tidy Lanes programme").
PROGRAMME_TAILS = {"programme", "project", "scheme", "initiative", "pilot", "campaign", "workstream"}
PROGRAMME_SUFFIX = _words("programme_suffix.txt")
# Lower-case programme words that may close a capitalised name ("Wessex Academies programme").
# Not "model": "the CIP model" describes how a body works rather than naming an initiative.
LOWER_PROGRAMME_TAIL = {"programme", "project", "pilot", "initiative", "scheme", "fund",
                        "strategy", "plan", "campaign", "workstream", "partnership", "network"}
# Heads that name both bodies and initiatives; decided by the other mentions and context.
AMBIGUOUS_SUFFIX = {"partnership", "network", "academy", "group", "board", "forum", "collaborative"}

# Last word of a facility or locality name: a place, not a body ("Marsh Lane Leisure Centre", "Mill Street").
PLACE_SUFFIX = _words("place_suffix.txt")
# Trailing words dropped from a place's name ("Greater Wexley Region" -> "Greater Wexley").
PLACE_TAIL = {"region", "area", "areas", "locality", "district"}

CONNECTORS = {"of", "for", "and", "&", "the", "upon", "on", "in", "de", "du", "la", "le", "y", "to"}

TITLES = _words("titles.txt")
GIVEN_NAMES = _words("given_names.txt")
POST_NOMINALS = _words("post_nominals.txt")

# The single words of job titles (ingest.text holds the one vocabulary of posts).
ROLE_WORDS = ROLE_TOKENS
ROLE_MODIFIERS = _words("role_modifiers.txt")

# ONS ITL1 regions of England and the UK nations.
REGIONS = _words("regions.txt")

# Cue words for typed relations, looked for between (or just around) two mentions in one sentence.
RELATION_CUES: list[tuple[str, re.Pattern]] = [
    ("set_up", re.compile(r"\b(set up|sets up|setting up|founded|established|establish|created|spun out|spin[- ]out|launched)\b", re.I)),
    ("commissions", re.compile(r"\b(commission(?:s|ed|ing)?|hired|hires|contracted|contracts with|"
                               r"awarded (?:the |a )?contract to)\b", re.I)),
    ("funds", re.compile(r"\b(fund(?:s|ed|ing)|invest(?:s|ed|ing|ment)|grant(?:s|ed)?|£\s?\d)", re.I)),
    ("leads", re.compile(r"\b(led by|leads|leading|chaired by|chairs|chair of|headed by)\b", re.I)),
    ("runs", re.compile(r"\b(run by|runs|running|deliver(?:s|ed|ing)?|operat(?:es|ed|ing)|manag(?:es|ed|ing)|host(?:s|ed|ing)?|provid(?:es|ed|ing))\b", re.I)),
    ("partners_with", re.compile(r"\b(partner(?:s|ed|ing|ship)?|collaborat\w*|jointly|joint|together with|"
                                r"alongside|working with|work with|works with|worked with|in conjunction with|on behalf of|brought in|"
                                r"support(?:s|ed|ing)?|with)\b", re.I)),
]

# Capitalised single words that spaCy often tags as names but are common nouns in these reports.
GENERIC_SINGLE = _words("generic_single.txt")

# Common abbreviations of things that are not bodies (meetings, exams, measures, documents, units).
ABBREVIATIONS = _words("abbreviations.txt")

ROLE_RE = re.compile(
    r"(?:(?:former|interim|deputy|assistant|associate|senior|acting|joint|managing|strategic|non-executive|"
    r"executive|vice|lead|national|regional|artistic|general|founding|group|programme|project|the|then|new|"
    r"chief|cabinet|board|clinical|medical|operating|portfolio)\s+)*"
    r"(?:chief executive(?: officer)?|ceo|director|chair(?:man|woman)?|co-chair|head|manager|lead|leader|"
    r"partner|commissioner|secretary|minister|founder|co-founder|officer|consultant|trustee|adviser|advisor|"
    r"president|councillor|mayor|fellow|dean|editor|champion|professor|coordinator|co-ordinator|member|"
    r"lecturer|researcher|analyst|specialist)\b[^,.;:()\n]{0,60}?",
    re.I,
)


def sector_of(name: str) -> str | None:
    """Sector of an organisation from the shape of its name, or None when the name does not say."""
    words = re.findall(r"[\w’']+", name.lower())
    if not words:
        return None
    if "nhs" in words or "ccg" in words or words[-1] in {"hospital", "hospitals"} or "clinical" in words:
        return "nhs"
    if words[-1] == "trust":
        return "nhs" if any(w in words for w in ("nhs", "hospital", "hospitals", "health", "ambulance", "care")) else "voluntary"
    if words[-1] in {"council", "borough", "mbc", "authority"} or words[:2] in (["london", "borough"], ["royal", "borough"]):
        return "council"
    if words[-1] in {"partnership", "network", "forum", "alliance", "collaborative", "taskforce", "panel"}:
        return "partnership"
    if words[0] in ORG_PREFIX and ORG_PREFIX[words[0]]:
        return ORG_PREFIX[words[0]]
    return ORG_SUFFIX.get(words[-1])
