"""Word lists the extractor reasons with: name heads, sectors, titles, roles, relation cues.

These are general English / UK public-sector words (the shapes of names), never names taken from
any evaluation set. The only place list is the ONS ITL1 regions and the UK nations (a public
statistical geography), used to type a bare region name as a place.
"""

from __future__ import annotations

import re

from .text import ROLE_TOKENS

__all__ = [
    "ORG_SUFFIX", "ORG_PREFIX", "PROGRAMME_SUFFIX", "LOWER_PROGRAMME_TAIL", "AMBIGUOUS_SUFFIX",
    "CONNECTORS", "TITLES", "POST_NOMINALS", "ROLE_WORDS", "ROLE_MODIFIERS", "REGIONS",
    "RELATION_CUES", "GENERIC_SINGLE", "ABBREVIATIONS", "PLACE_SUFFIX", "PLACE_TAIL", "sector_of", "ROLE_RE",
]

# Last word of a name -> sector ("Wigan Council", "Ashby Hospitals NHS Foundation Trust").
ORG_SUFFIX: dict[str, str | None] = {
    "council": "council", "borough": "council", "mbc": "council", "authority": "council",
    "trust": "nhs", "ccg": "nhs", "hospital": "nhs", "hospitals": "nhs", "nhs": "nhs",
    "confederation": "voluntary", "commissioners": None,
    "department": "central_government", "ministry": "central_government", "office": "central_government",
    "agency": "central_government", "ombudsman": "central_government", "treasury": "central_government",
    "executive": None, "commission": "central_government", "inspectorate": "central_government",
    "police": "central_government", "service": None, "services": None,
    "foundation": "voluntary", "charity": "voluntary", "society": "voluntary", "association": "voluntary",
    "club": "voluntary", "federation": "voluntary", "friends": "voluntary",
    "ltd": "company", "limited": "company", "llp": "company", "plc": "company", "inc": "company",
    "consulting": "company", "consultancy": "company", "consultants": "company", "studio": "company",
    "holdings": "company", "technology": "company", "technologies": "company", "telecoms": "company",
    "solutions": "company", "expo": "company", "catapult": "company", "media": "company",
    "university": "university", "college": "university", "faculty": "university", "school": "university",
    "institute": None, "lab": None, "laboratory": "university",
    "taskforce": "partnership", "panel": "partnership", "forum": "partnership", "alliance": "partnership",
    "collaborative": "partnership", "board": "partnership", "team": None, "group": None, "hub": None,
    "pmo": None, "academy": None, "network": "partnership", "partnership": "partnership",
    "theatre": None, "museum": None, "hospice": "voluntary", "ambulance": None,
}
# A name *starting* with these and continuing with of/for is an organisation ("Department for Transport").
ORG_PREFIX: dict[str, str | None] = {
    "department": "central_government", "ministry": "central_government", "office": "central_government",
    "university": "university", "institute": None, "centre": None, "center": None,
    "association": "voluntary", "friends": "voluntary", "society": "voluntary", "college": "university",
    "school": "university", "faculty": "university", "council": "council", "borough": "council",
    "alliance": "partnership", "federation": "voluntary", "confederation": "voluntary", "mayor": "council",
    "states": "central_government", "chartered": "voluntary", "commission": "central_government",
}
# Programme words that describe a name rather than complete it ("the Tidy Lanes programme").
PROGRAMME_TAILS = {"programme", "project", "scheme", "initiative", "pilot", "campaign", "workstream"}
PROGRAMME_SUFFIX = {
    "programme", "programmes", "program", "fund", "deal", "plan", "strategy", "model", "pilot",
    "initiative", "project", "scheme", "festival", "index", "survey", "framework", "masterplan",
    "campaign", "contract", "academies", "sib", "sibs", "workstream", "review", "reviews", "platform",
    "toolkit", "charter", "accelerator", "challenge", "week", "award", "awards",
}
# Lower-case programme words that may close a capitalised name ("Wessex Academies programme").
# Not "model": "the CIP model" describes how a body works rather than naming an initiative.
LOWER_PROGRAMME_TAIL = {"programme", "project", "pilot", "initiative", "scheme", "fund",
                        "strategy", "plan", "campaign", "workstream", "partnership", "network"}
# Heads that name both bodies and initiatives; decided by the other mentions and context.
AMBIGUOUS_SUFFIX = {"partnership", "network", "academy", "group", "board", "forum", "collaborative"}

# Last word of a facility or locality name: a place, not a body ("Marsh Lane Leisure Centre", "Mill Street").
PLACE_SUFFIX = {"centre", "centres", "hall", "station", "street", "road", "park", "square", "reserve", "ground",
                "quarter", "line", "hill", "lane", "avenue", "bridge", "estate", "harbour", "green", "common",
                "library", "libraries", "village", "valley", "island", "islands", "docks", "wharf", "gate"}
# Trailing words dropped from a place's name ("Greater Wexley Region" -> "Greater Wexley").
PLACE_TAIL = {"region", "area", "areas", "locality", "district"}

CONNECTORS = {"of", "for", "and", "&", "the", "upon", "on", "in", "de", "du", "la", "le", "y", "to"}

TITLES = {"dr", "dr.", "professor", "prof", "prof.", "sir", "dame", "lord", "lady", "baroness", "baron",
          "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "cllr", "councillor", "rev", "revd", "hon"}
POST_NOMINALS = {"cbe", "obe", "mbe", "kbe", "dbe", "mp", "phd", "frsa", "qc", "kc", "dl", "mep", "msp",
                 "am", "ms", "mla", "fca", "cpfa", "bsc", "ma", "msc"}

# The single words of job titles (ingest.text holds the one vocabulary of posts).
ROLE_WORDS = ROLE_TOKENS
ROLE_MODIFIERS = {"former", "interim", "deputy", "assistant", "associate", "senior", "acting", "joint",
                  "managing", "strategic", "programme", "project", "group", "non-executive", "executive",
                  "then", "new", "vice", "lead", "national", "regional", "artistic", "general", "founding"}

# ONS ITL1 regions of England and the UK nations.
REGIONS = {
    "north east", "north west", "yorkshire and the humber", "yorkshire and humber", "east midlands",
    "west midlands", "east of england", "london", "south east", "south west", "england", "scotland",
    "wales", "northern ireland", "united kingdom", "uk", "great britain", "britain",
}

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
GENERIC_SINGLE = {
    "panel", "friends", "council", "government", "cabinet", "board", "group", "team", "trust",
    "academy", "partnership", "network", "programme", "department", "ministry", "office", "service",
    "services", "partners", "members", "member", "leader", "leaders", "commissioners", "commissioner",
    "chair", "director", "executive", "county", "city", "borough", "state", "parliament", "whitehall",
    "budget", "strategy", "plan", "framework", "covid-19", "covid", "brexit", "twitter", "facebook",
    "linkedin", "youtube", "google", "power bi", "wi-fi", "ict", "kpis", "kpi", "ceo", "phase",
}

# Common abbreviations of things that are not bodies (meetings, exams, measures, documents, units).
ABBREVIATIONS = {
    "agm", "egm", "gcse", "gcses", "sla", "slas", "gva", "gdp", "a&e", "hmo", "hmos", "hra", "pmo", "ojeu", "co2",
    "c02", "kpi", "kpis", "ict", "it", "hr", "faq", "faqs", "pdf", "qi", "roi", "sme", "smes", "vfm", "mou", "mtfp",
    "okr", "okrs", "api", "apis", "crm", "erp", "saas", "ai", "iot", "vat", "pfi", "ppe", "gp", "gps", "ae",
}

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
