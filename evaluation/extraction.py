"""Entity evaluation against hand annotations (`casegraph eval --entities FILE`).

Implements the outside check's matching (see shared/eval/README.md): names are normalised
(lower-case, NFKC, straight quotes, punctuation other than `£ % . '` dropped, a leading "the"
dropped), and a gold name matches an extracted entity of the same type in the same document when
the normalised names are equal or their difflib ratio is >= 0.9, against the name or any alias.
And its place policy: nation-level names count neither way, and a place read out of a body's name
('Harrowby' from 'Harrowby Borough Council') is not an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from typing import Sequence

from ingest.records import Entity, Relation

__all__ = ["evaluate_entities", "format_entity_report", "normalise_name", "names_match", "GOLD_TYPES"]

# gold key -> entity type
GOLD_TYPES = {"organisations": "organisation", "people": "person", "programmes": "programme", "places": "place"}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def normalise_name(text: str) -> str:
    """The outside check's normal form of a name or answer."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    text = re.sub(r"[^\w\s£%.']", " ", text)
    text = text.replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def names_match(gold: str, candidates: Sequence[str], threshold: float = 0.9) -> bool:
    """True when the normalised gold name equals or closely resembles one candidate name."""
    g = normalise_name(gold)
    for cand in candidates:
        c = normalise_name(cand)
        if c == g or difflib.SequenceMatcher(None, g, c).ratio() >= threshold:
            return True
    return False


# Nation-level names count neither way as places (shared/eval/README.md).
NATIONS = {"uk", "united kingdom", "britain", "great britain", "england", "wales", "scotland", "northern ireland",
           "europe"}


def _inside_a_body(place: str, bodies: Sequence[str]) -> bool:
    """True when the place's name is words of one of the bodies' names ('Harrowby' in 'Harrowby Borough Council')."""
    p = normalise_name(place)
    return bool(p) and any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", normalise_name(b)) for b in bodies)


def _gold_names(entry: dict, key: str) -> list[str]:
    items = entry.get(key) or []
    return [item["name"] if isinstance(item, dict) else item for item in items]


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "predicted": n_pred, "gold": n_gold,
            "matched_pred": tp_pred, "matched_gold": tp_gold}


def evaluate_entities(gold: list[dict], entities: Sequence[Entity], relations: Sequence[Relation]) -> dict:
    """Per-type precision/recall/F1 (micro over documents), per-doc rows, partnership recall, misses."""
    by_doc_type: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for ent in entities:
        for doc in ent.docs:
            by_doc_type[(doc, ent.type)].append(ent)
    totals = {t: [0, 0, 0, 0] for t in GOLD_TYPES.values()}  # tp_pred, n_pred, tp_gold, n_gold
    per_doc: dict[str, dict] = {}
    misses: dict[str, list[str]] = {t: [] for t in GOLD_TYPES.values()}
    false_pos: dict[str, list[str]] = {t: [] for t in GOLD_TYPES.values()}
    for entry in gold:
        doc = entry["doc"]
        per_doc[doc] = {}
        for key, type_ in GOLD_TYPES.items():
            names = _gold_names(entry, key)
            preds = by_doc_type.get((doc, type_), [])
            if type_ == "place":
                names = [n for n in names if normalise_name(n) not in NATIONS]
                bodies = _gold_names(entry, "organisations") + [
                    form for e in by_doc_type.get((doc, "organisation"), []) for form in (e.name, *e.aliases)]
                preds = [e for e in preds if normalise_name(e.name) not in NATIONS and (
                    any(names_match(n, (e.name, *e.aliases)) for n in names) or not _inside_a_body(e.name, bodies))]
            surfaces = [(e, (e.name, *e.aliases)) for e in preds]
            tp_gold = 0
            for name in names:
                if any(names_match(name, forms) for _, forms in surfaces):
                    tp_gold += 1
                else:
                    misses[type_].append(f"{doc}: {name}")
            tp_pred = 0
            for ent, forms in surfaces:
                if any(names_match(name, forms) for name in names):
                    tp_pred += 1
                else:
                    false_pos[type_].append(f"{doc}: {ent.name}")
            row = _prf(tp_pred, len(preds), tp_gold, len(names))
            per_doc[doc][type_] = row
            for i, v in enumerate((tp_pred, len(preds), tp_gold, len(names))):
                totals[type_][i] += v
    partner = _partnership_recall(gold, entities, relations)
    return {
        "types": {t: _prf(*v) for t, v in totals.items()},
        "per_doc": per_doc,
        "partnerships": partner,
        "misses": misses,
        "false_positives": false_pos,
    }


def _partnership_recall(gold: list[dict], entities: Sequence[Entity], relations: Sequence[Relation]) -> dict:
    """A gold pair counts when an edge between the two (either direction) cites that document."""
    names = {e.id: (e.name, *e.aliases) for e in entities}
    edges: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for rel in relations:
        edges[rel.doc].append((rel.source, rel.target, rel.relation))
    found = typed = total = 0
    missed: list[str] = []
    for entry in gold:
        doc = entry["doc"]
        docs_ents = [e.id for e in entities if doc in e.docs]
        for pair in entry.get("partnerships") or []:
            a, b = pair[0], pair[1]
            total += 1
            ids_a = {i for i in docs_ents if names_match(a, names[i])}
            ids_b = {i for i in docs_ents if names_match(b, names[i])}
            hits = [r for s, t, r in edges.get(doc, ()) if (s in ids_a and t in ids_b) or (s in ids_b and t in ids_a)]
            if hits:
                found += 1
                typed += any(r != "mentioned_with" for r in hits)
            else:
                missed.append(f"{doc}: {a} <-> {b}")
    return {"recall": found / total if total else 0.0, "typed_recall": typed / total if total else 0.0,
            "found": found, "typed": typed, "gold": total, "misses": missed}


def format_entity_report(result: dict) -> str:
    """The table `casegraph eval --entities` prints: per type P/R/F1, per doc, partnerships, misses."""
    lines = [f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}"]
    for type_, row in result["types"].items():
        lines.append(f"{type_:<14}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
                     f"{row['predicted']:>7}{row['gold']:>7}")
    part = result["partnerships"]
    lines.append(f"{'partnerships':<14}{'':>7}{part['recall']:>7.3f}{'':>7}{part['found']:>7}{part['gold']:>7}"
                 f"   (typed edges: {part['typed_recall']:.3f})")
    lines.append("")
    lines.append("per document (F1: org / person / programme / place)")
    for doc, rows in result["per_doc"].items():
        cells = " / ".join(f"{rows[t]['f1']:.2f}" for t in GOLD_TYPES.values())
        lines.append(f"  {doc:<45} {cells}")
    for type_, items in result["misses"].items():
        if items:
            lines.append("")
            lines.append(f"missed {type_} ({len(items)}):")
            lines.extend(f"  {m}" for m in items)
    if part["misses"]:
        lines.append("")
        lines.append(f"missed partnerships ({len(part['misses'])}):")
        lines.extend(f"  {m}" for m in part["misses"])
    return "\n".join(lines)
