"""The records that cross package boundaries.

Every stage takes and returns these small frozen dataclasses; nothing else (no raw dicts) moves
between `ingest`, `graph` and `search`. Offsets are character offsets into `Document.text`, the
one canonical clean text of a document.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "Document",
    "Passage",
    "Mention",
    "Entity",
    "Relation",
    "Outcome",
    "OUTCOME_FIELDS",
    "DocRecords",
    "TraceEvent",
    "TRACE_ACTIONS",
    "MergeDecision",
    "Candidate",
    "Fact",
    "Source",
    "Answer",
    "content_hash",
    "entity_id",
    "passage_id",
    "slug",
    "to_dict",
    "from_dict",
]

ENTITY_TYPES = ("organisation", "person", "programme", "place", "outcome")

# Typed relations first; `mentioned_with` is the weak co-occurrence edge, kept apart.
RELATION_TYPES = (
    "works_for",
    "leads",
    "partners_with",
    "runs",
    "funds",
    "set_up",
    "commissions",
    "located_in",
    "achieved",
    "authored",
    "mentioned_with",
)


def content_hash(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or UTF-8 text: the one content hash used for files and ids."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def slug(name: str) -> str:
    """Lower-case ASCII slug of a name: 'Pemberton’s' -> 'pembertons'."""
    text = unicodedata.normalize("NFKD", name)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def passage_id(doc: str, sha256: str, start: int, end: int) -> str:
    """Stable passage id: the same file content and span always give the same id."""
    return content_hash(f"{doc}\0{sha256}\0{start}:{end}")[:24]


def entity_id(type_: str, name: str) -> str:
    """The one entity-id function: 'person:samantha-magne'."""
    return f"{type_}:{slug(name)}"


@dataclass(frozen=True)
class Document:
    """One ingested file: its canonical clean text and metadata.

    `doc` is the file name relative to the corpus folder (POSIX separators). `pages` holds, for
    paged formats, the start offset of each page in `text` (page n starts at pages[n-1]).
    """

    doc: str
    text: str
    title: str
    format: str
    sha256: str
    pages: tuple[int, ...] = ()
    words: int = 0
    ingested_at: str = ""
    error: str | None = None

    def page_at(self, offset: int) -> int | None:
        """1-based page holding `offset`, or None for unpaged formats."""
        if not self.pages:
            return None
        page = 0
        for i, start in enumerate(self.pages):
            if start <= offset:
                page = i
            else:
                break
        return page + 1


@dataclass(frozen=True)
class Passage:
    """A retrievable span of a document: `doc.text[start:end] == text`."""

    id: str
    doc: str
    start: int
    end: int
    text: str
    page: int | None = None
    index: int = 0


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a document, with the sentence that holds it."""

    doc: str
    start: int
    end: int
    text: str
    type: str
    entity: str = ""  # entity id after resolution; empty before
    sent_start: int = 0
    sent_end: int = 0
    page: int | None = None
    sector: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Entity:
    """One real-world thing, resolved across mentions and documents."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    sector: str | None = None
    mentions: int = 0


@dataclass(frozen=True)
class Relation:
    """A typed edge between two entities with the sentence that supports it."""

    source: str
    target: str
    relation: str
    doc: str
    evidence: str
    start: int
    end: int
    page: int | None = None
    role: str | None = None


TRACE_ACTIONS = ("proposed", "dropped", "retyped", "merged", "kept", "related")


@dataclass(frozen=True)
class TraceEvent:
    """One decision of extraction: which stage proposed, dropped, retyped, merged, kept or related a name.

    `start`/`end` index the document's text (a relation's: its evidence unit); `sent_start`/`sent_end` the
    sentence around it. `entity` is the document's entity id the span ended in (a relation's source, with
    `target`), empty when none did. `score` is a model's probability where the stage has one.
    """

    doc: str
    stage: str
    action: str
    name: str
    type: str
    start: int
    end: int
    score: float | None = None
    detail: str = ""
    sent_start: int = 0
    sent_end: int = 0
    entity: str = ""
    target: str = ""


@dataclass(frozen=True)
class Outcome:
    """One stated result: what changed, by how much, which way, against what, when, who achieved it
    and where, with the sentence that says so. `start`/`end` bound the sentence (as a relation's
    evidence does); `phrase_start`/`phrase_end` the outcome entity's phrase. Fields the text does
    not give are None; `direction` is 'increase', 'decrease' or 'none'."""

    id: str = ""
    entity: str = ""  # the outcome entity id (its node in the graph)
    doc: str = ""
    phrase: str = ""
    phrase_start: int = 0
    phrase_end: int = 0
    sentence: str = ""
    start: int = 0
    end: int = 0
    page: int | None = None
    metric: str | None = None
    value: float | None = None
    value_text: str = ""
    unit: str = "count"  # gbp, percent, people, households, days, weeks, months, years, hours, count
    direction: str = "none"
    baseline: str | None = None
    period: str | None = None
    theme: str | None = None
    achieved_by: tuple[str, ...] = ()  # entity ids of the programmes and organisations that achieved it
    place: str | None = None  # place entity id


# An outcome's own fields (beside its ids and offsets): what an outcome node carries as attributes.
OUTCOME_FIELDS = ("metric", "value", "value_text", "unit", "direction", "baseline", "period", "theme")


@dataclass(frozen=True)
class DocRecords:
    """Everything extracted from one document: the unit saved per file in the store."""

    document: Document
    passages: tuple[Passage, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    entities: tuple[Entity, ...] = field(default=())
    outcomes: tuple[Outcome, ...] = ()  # added later: stores written before load with none
    trace: tuple[TraceEvent, ...] = ()  # absent from stores written before the trace: loads as ()


@dataclass(frozen=True)
class MergeDecision:
    """One cross-document resolution decision, as the store's resolution log keeps it: `kept` is the
    graph entity id, `merged` the name (or id) joined to it or kept apart from it, `stage` one of
    merge-file | never | rename | vector | alias | string, `score` the cosine of a vector merge."""

    kept: str
    merged: str
    stage: str
    score: float | None
    why: str


R = TypeVar("R")

_NESTED = {
    "passages": Passage,
    "mentions": Mention,
    "relations": Relation,
    "entities": Entity,
    "outcomes": Outcome,
    "trace": TraceEvent,
    "document": Document,
}


def to_dict(record: Any) -> dict:
    """A record as plain JSON-able data (tuples become lists)."""
    return dataclasses.asdict(record)


def from_dict(cls: type[R], data: dict) -> R:
    """Rebuild a record (and nested records of DocRecords) from `to_dict` output."""
    names = _field_names(cls)
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            continue
        if cls is DocRecords and key in _NESTED:
            sub = _NESTED[key]
            value = from_dict(sub, value) if key == "document" else tuple(from_dict(sub, v) for v in value)
        elif type(value) is list:
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


@functools.cache
def _field_names(cls: type) -> frozenset[str]:
    # dataclasses.fields() rebuilds its tuple on every call: a third of the time of reading a store.
    return frozenset(f.name for f in dataclasses.fields(cls))


# -- answers (produced by `search`, shown by `cli` and `ui`) ------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A ranked possible answer of the expected type."""

    name: str
    type: str
    score: float
    entity: str | None = None


@dataclass(frozen=True)
class Fact:
    """Who did what, where, with the index of the source (in `Answer.sources`) that supports it."""

    who: str
    did: str
    what: str
    where: str | None = None
    source: int | None = None
    # For a stated result: the outcome record's fields (metric, value, unit, direction, baseline,
    # period, theme), its document, sentence and offsets (start/end of the sentence, figure_start/
    # figure_end of the figure) in that document's clean text; None for other facts.
    outcome: dict | None = None


@dataclass(frozen=True)
class Source:
    """A ranked supporting passage; `start`/`end` index the document's clean text."""

    doc: str
    title: str
    page: int | None
    passage: str
    start: int
    end: int
    score: float
    answer_start: int | None = None  # answer span inside `passage`, when the answer is in it
    answer_end: int | None = None


@dataclass(frozen=True)
class Answer:
    """The `ask --json` contract: `answer` is None when nothing supports one or its confidence is too low."""

    question: str
    answer: str | None
    answer_type: str
    candidates: tuple[Candidate, ...] = ()
    facts: tuple[Fact, ...] = ()
    sources: tuple[Source, ...] = ()
    # Calibrated chance the answer is right (None without a learned scorer); under the scorer's
    # threshold the answer is withheld: `answer` None, candidates and sources still given.
    confidence: float | None = None
