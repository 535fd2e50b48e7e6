"""Outcome records in the graph: ids resolved across documents, one row per record, CSV / JSON files.

Each outcome node carries its records (`outcome_records`, from `ingest.records.Outcome`) with the
ids of its achievers and place rewritten to the resolved graph's, so the `outcomes` export view,
the UI's Outcomes tab and a Python caller read the same rows from the saved graph.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Iterable, Sequence

from ingest.records import OUTCOME_FIELDS, DocRecords, Entity, Outcome

from .views import ViewError

__all__ = ["OUTCOME_COLUMNS", "resolve_outcomes", "node_attrs", "outcome_rows", "outcome_table",
           "outcomes_csv", "write_outcomes"]

# The `--view outcomes` contract: one row per record, links by name and by id.
OUTCOME_COLUMNS = ("metric", "value", "value_text", "unit", "direction", "baseline", "period", "theme",
                   "achieved_by", "programme", "organisation", "place", "document", "page", "sentence", "start", "end",
                   "outcome", "phrase_start", "phrase_end", "outcome_id", "achieved_by_ids", "place_id", "id")


def resolve_outcomes(records: Iterable[DocRecords], entities: Sequence[Entity]) -> list[Outcome]:
    """Every document's outcome records with entity, achiever and place ids rewritten to the resolved
    entities' (resolution merges a document's 'Wigan Council' into the corpus-wide one); records
    whose outcome entity is not in the graph are left out."""
    from ingest.text import name_key

    by_surface: dict[tuple[str, str], list[Entity]] = {}
    for e in entities:
        for doc in e.docs:
            for name in (e.name, *e.aliases):
                by_surface.setdefault((doc, name_key(name)), []).append(e)
    ids = {e.id for e in entities}
    out = []
    for rec in records:
        if not rec.outcomes:
            continue
        doc = rec.document.doc
        local = {e.id: e for e in rec.entities}

        def resolved(eid: str | None) -> str | None:
            e = local.get(eid or "")
            if e is not None:
                hits = by_surface.get((doc, name_key(e.name)), [])
                same = [h for h in hits if h.type == e.type] or hits
                if same:
                    return min(same, key=lambda h: h.id).id
            return eid if eid in ids else None

        for o in rec.outcomes:
            entity = resolved(o.entity)
            if entity is None:
                continue
            by = tuple(sorted({b for b in map(resolved, o.achieved_by) if b}))
            out.append(dataclasses.replace(o, entity=entity, achieved_by=by, place=resolved(o.place)))
    return sorted(out, key=lambda o: (o.doc, o.start, o.phrase_start, o.entity))


def node_attrs(records: Sequence[Outcome]) -> dict:
    """The attributes an outcome node gets from its records: the first record's fields, and all of them."""
    ordered = sorted(records, key=lambda o: (o.doc, o.start, o.phrase_start))
    first = dataclasses.asdict(ordered[0])
    attrs = {k: first[k] for k in OUTCOME_FIELDS}
    attrs["outcome_records"] = [dataclasses.asdict(o) for o in ordered]
    return attrs


def _names(graph, ids) -> list[str]:
    return [graph.nodes[i].get("name") or i if i in graph else i for i in ids]


def _matches(graph, ids, wanted: str | None) -> bool:
    if not wanted:
        return True
    folded = wanted.strip().casefold()
    return any(i == wanted or (graph.nodes[i].get("name") or "").casefold() == folded
               or any(a.casefold() == folded for a in graph.nodes[i].get("aliases") or ())
               for i in ids if i in graph)


def outcome_rows(graph, *, place: str | None = None, organisation: str | None = None, programme: str | None = None,
                 theme: str | None = None, docs: Iterable[str] | None = None) -> list[dict]:
    """One row per outcome record in `graph` (see OUTCOME_COLUMNS), filtered by place, organisation
    or programme (name, alias or id), theme and documents; sorted by document and offset."""
    doc_set = set(docs) if docs else None
    rows = []
    for node, data in graph.nodes(data=True):
        if data.get("type") != "outcome":
            continue
        for rec in data.get("outcome_records") or ():
            by = list(rec.get("achieved_by") or ())
            types = {i: graph.nodes[i].get("type") if i in graph else None for i in by}
            progs = [i for i in by if types[i] == "programme"]
            orgs = [i for i in by if types[i] != "programme"]
            place_id = rec.get("place")
            if place and not _matches(graph, [place_id] if place_id else [], place):
                continue
            if organisation and not _matches(graph, orgs, organisation):
                continue
            if programme and not _matches(graph, progs, programme):
                continue
            if theme and rec.get("theme") != theme:
                continue
            if doc_set is not None and rec.get("doc") not in doc_set:
                continue
            rows.append({
                **{k: rec.get(k) for k in OUTCOME_FIELDS},
                "achieved_by": _names(graph, by), "programme": _names(graph, progs),
                "organisation": _names(graph, orgs),
                "place": _names(graph, [place_id])[0] if place_id else None,
                "document": rec.get("doc"), "page": rec.get("page"), "sentence": rec.get("sentence"),
                "start": rec.get("start"), "end": rec.get("end"), "outcome": rec.get("phrase"),
                "phrase_start": rec.get("phrase_start"), "phrase_end": rec.get("phrase_end"), "outcome_id": node,
                "achieved_by_ids": by, "place_id": place_id, "id": rec.get("id"),
            })
    return sorted(rows, key=lambda r: (r["document"] or "", r["start"] or 0, r["phrase_start"] or 0, r["outcome_id"]))


def outcome_table(rows: Sequence[dict], columns: Sequence[str] = OUTCOME_COLUMNS) -> list[list]:
    """Rows as lists of flat cells (lists '; '-joined, None empty), in `columns` order."""
    return [[_cell(r.get(c)) for c in columns] for r in rows]


def _cell(value):
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # '1200', not '1200.0', in a spreadsheet
    return "" if value is None else value


def outcomes_csv(rows: Sequence[dict]) -> bytes:
    """The rows as one CSV table with a header of OUTCOME_COLUMNS."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(OUTCOME_COLUMNS)
    writer.writerows(outcome_table(rows))
    return buf.getvalue().encode("utf-8")


def write_outcomes(rows: Sequence[dict], fmt: str, path: Path) -> Path:
    """Write the rows as `csv` (one table) or `json` (a list of row objects) to `path`; returns the file written.

    Raises ViewError for another format, for no rows, and when `path` is a folder.
    """
    from ingest.store import atomic_write_bytes

    if fmt not in ("csv", "json"):
        raise ViewError(f"the outcomes view is a table: use --format csv or --format json, not {fmt!r}")
    if not rows:
        raise ViewError("no outcome records to export: loosen the filters, or re-run `casegraph ingest` "
                        "(stores built before outcome records existed have none)")
    path = Path(path)
    if path.is_dir():
        raise ViewError(f"{path} is a folder; give a file name such as {path / ('outcomes.' + fmt)}")
    if fmt == "csv":
        data = outcomes_csv(rows)
    else:
        data = (json.dumps([{c: r.get(c) for c in OUTCOME_COLUMNS} for r in rows], ensure_ascii=False, indent=1,
                           sort_keys=False) + "\n").encode("utf-8")
    atomic_write_bytes(path, data)
    return path
