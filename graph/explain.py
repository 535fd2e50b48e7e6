"""Why an entity or an edge is in the graph: the extraction trace of each document, and the merges across them.

`explain(store, name)` finds the entity (as `graph.views.find_entity` does: name, alias, slug, then a close
fuzzy match) or an edge ('A -> B'), and gathers, per document, each stage that proposed, dropped, retyped,
merged or related it, with scores and the sentence; then which per-document entities resolution made
into the one node, and the lines of a resolution log (`resolution_log.json` in the store) that name it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

from ingest.records import DocRecords, Entity, to_dict
from ingest.resolve import resolve_corpus
from ingest.text import name_key
from ingest.store import Store

from .build import load_graph
from .views import ViewError, find_entity

__all__ = ["explain", "format_explanation", "split_edge", "RESOLUTION_LOG"]

RESOLUTION_LOG = "resolution_log.json"
_EDGE = re.compile(r"\s*(?:->|→|—>|=>)\s*")
_WS = re.compile(r"\s+")
NO_TRACE = ("{doc} was extracted before extraction kept a trace: run `casegraph ingest` again "
            "(it re-extracts files whose extraction changed) to see each stage")


def split_edge(name: str) -> tuple[str, str] | None:
    """('A', 'B') for 'A -> B' (or 'A → B'), else None."""
    parts = _EDGE.split(name.strip(), maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 and all(p.strip() for p in parts) else None


def explain(store: Store, name: str, other: str | None = None) -> dict:
    """Why the entity `name` (or the edge `name` -> `other`, or 'A -> B' in `name`) is in the graph.

    Raises ViewError when no entity matches, naming the closest ones."""
    if not store.exists():
        raise ViewError(f"no store at {store.root}: run `casegraph ingest` first")
    graph = load_graph(store.graph_path)
    pair = (name, other) if other else split_edge(name)
    if pair is None and name not in graph and not _named(graph, name):
        pair = _two_names(graph, name)
    members = _members(store)
    if pair is not None:
        return _explain_edge(store, graph, members, find_entity(graph, pair[0]), find_entity(graph, pair[1]))
    return _explain_entity(store, graph, members, find_entity(graph, name))


def _named(graph, name: str) -> bool:
    folded = name.strip().casefold()
    return any((d.get("name") or "").casefold() == folded or any(a.casefold() == folded for a in d.get("aliases") or ())
               for _, d in graph.nodes(data=True))


def _two_names(graph, text: str) -> tuple[str, str] | None:
    """'A and B' / 'A, B' naming two entities exactly is an edge; anything else is one name."""
    for sep in (" and ", ", ", " & "):
        left, found, right = text.partition(sep)
        if found and _named(graph, left) and _named(graph, right):
            return left, right
    return None


def _members(store: Store) -> dict[str, list[Entity]]:
    """Per graph node id, the per-document entities resolution made into it."""
    from .build import _INPUTS

    members: dict[str, list[Entity]] = {}
    # the graph refresh's cache of each document's entities: a UI process reads each file once
    cache = _INPUTS.setdefault(str(store.root.resolve()), {})
    resolve_corpus(list(store.iter_graph_inputs(cache=cache)), origins=members)
    return members


def _node(graph, node: str) -> dict:
    d = graph.nodes[node]
    return {"id": node, "name": d.get("name") or node, "type": d.get("type"), "aliases": list(d.get("aliases") or ()),
            "docs": list(d.get("docs") or ()), "mentions": d.get("mentions")}


def _records(store: Store, docs) -> dict[str, DocRecords]:
    files = store.read_manifest()["files"]
    return {doc: store.read_records(files[doc]["record"]) for doc in sorted(set(docs))
            if files.get(doc, {}).get("record")}


def _event(e, text: str) -> dict:
    out = to_dict(e)
    out["sentence"] = _WS.sub(" ", text[e.sent_start:e.sent_end]).strip()
    return out


def _per_doc_ids(members: list[Entity]) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = defaultdict(set)
    for e in members:
        for doc in e.docs:
            ids[doc].add(e.id)
    return ids


def _explain_entity(store: Store, graph, members: dict, node: str) -> dict:
    info = _node(graph, node)
    mine = members.get(node, [])
    ids = _per_doc_ids(mine)
    keys = {name_key(n) for n in [info["name"], *info["aliases"]]} - {""}
    documents = []
    for doc, rec in _records(store, set(info["docs"]) | set(ids)).items():
        own = ids.get(doc, set())
        spans = sorted((m.start, m.end) for m in rec.mentions if m.entity in own)
        text = rec.document.text
        picked = []
        for i, e in enumerate(rec.trace):
            if e.target:  # a relation's event: `explain "A -> B"` shows those
                continue
            if e.entity in own or (not e.entity and (name_key(e.name) in keys or _overlaps(spans, e.start, e.end))):
                picked.append((e.start, e.end, i, e))
        events = [_event(e, text) for *_, e in sorted(picked, key=lambda x: x[:3])]
        documents.append({"doc": doc, "title": rec.document.title, "entities": sorted(own), "events": events,
                          "note": "" if rec.trace else NO_TRACE.format(doc=doc)})
    merges = [{"doc": ", ".join(e.docs), "entity": e.id, "name": e.name, "type": e.type,
               "why": "the same name" if name_key(e.name) == name_key(info["name"]) else
               "its name or an alias names this entity in another document"} for e in mine]
    return {"kind": "entity", "query": info["name"], "entity": info, "documents": documents,
            "merges": merges if len(mine) > 1 else [], "resolution_log": _log_lines(store, node, keys)}


def _explain_edge(store: Store, graph, members: dict, a: str, b: str) -> dict:
    ends = {a: _node(graph, a), b: _node(graph, b)}
    edges = [dict(d, source=u, target=v) for u, v, d in graph.edges(data=True) if {u, v} == {a, b} and u != v]
    ids_a, ids_b = _per_doc_ids(members.get(a, [])), _per_doc_ids(members.get(b, []))
    docs = {e["doc"] for e in edges} | (set(ids_a) & set(ids_b))
    documents = []
    for doc, rec in _records(store, docs).items():
        own_a, own_b = ids_a.get(doc, set()), ids_b.get(doc, set())
        events = [_event(e, rec.document.text) for e in rec.trace if e.target and
                  ((e.entity in own_a and e.target in own_b) or (e.entity in own_b and e.target in own_a))]
        events.sort(key=lambda e: (e["start"], e["stage"]))
        documents.append({"doc": doc, "title": rec.document.title, "events": events,
                          "note": "" if rec.trace else NO_TRACE.format(doc=doc)})
    edge_rows = [{k: e.get(k) for k in ("source", "target", "relation", "doc", "start", "end", "evidence", "role")}
                 for e in sorted(edges, key=lambda e: (e.get("doc") or "", e.get("start") or 0, e.get("relation") or ""))]
    return {"kind": "edge", "query": f"{ends[a]['name']} -> {ends[b]['name']}", "source": ends[a], "target": ends[b],
            "edges": edge_rows, "documents": documents, "resolution_log": []}


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    import bisect

    k = bisect.bisect_left(spans, (s, -1))
    return any(ts < e and s < te for ts, te in spans[max(0, k - 3):k + 3])


def _log_lines(store: Store, node: str, keys: set[str]) -> list[dict]:
    """Lines of the store's resolution log whose kept or merged side is this entity (by id or name)."""
    path = store.root / RESOLUTION_LOG
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        return [{"why": f"cannot read {path}: {exc}; rebuild the graph with `casegraph ingest`"}]
    out = []
    for row in rows if isinstance(rows, list) else []:
        sides = [row.get("kept"), row.get("merged")]
        if any(isinstance(x, str) and (x == node or name_key(x) in keys) for x in sides):
            out.append(row)
    return out


# -- the readable form ------------------------------------------------------------------------------


def _score(e: dict) -> str:
    return f" p={e['score']:.2f}" if e.get("score") is not None else ""


def format_explanation(data: dict, sentence_chars: int = 240) -> str:
    """The explanation as text: per document, each span's stages, then the sentence; then the merges."""
    lines = []
    if data["kind"] == "entity":
        ent = data["entity"]
        lines.append(f"{ent['name']} ({ent['type']}, {ent['id']}) — in {len(ent['docs'])} document"
                     f"{'s' if len(ent['docs']) != 1 else ''}")
        if ent["aliases"]:
            lines.append("  aliases: " + "; ".join(ent["aliases"][:12]))
    else:
        lines.append(f"{data['source']['name']} -> {data['target']['name']}")
        for e in data["edges"]:
            lines.append(f"  edge {e['relation']} ({e['doc']} {e['start']}-{e['end']})" +
                         (f" role {e['role']}" if e.get("role") else ""))
    for d in data["documents"]:
        lines.append(f"\n{d['doc']}" + (f" — {d['title']}" if d.get("title") else ""))
        if d.get("note"):
            lines.append(f"  {d['note']}")
        events = d["events"]
        for i, e in enumerate(events):
            span = (e["start"], e["end"])
            if i == 0 or (events[i - 1]["start"], events[i - 1]["end"]) != span:
                lines.append(f"  [{e['start']}-{e['end']}] \"{e['name']}\"")
            detail = f"  {e['detail']}" if e.get("detail") else ""
            lines.append(f"    {e['action']:<8} {e['stage']:<22} {e['type']}{_score(e)}{detail}")
            if i + 1 == len(events) or (events[i + 1]["start"], events[i + 1]["end"]) != span:
                sentence = e["sentence"]
                lines.append(f"      sentence: \"{sentence[:sentence_chars]}{'…' if len(sentence) > sentence_chars else ''}\"")
    if data.get("merges"):
        lines.append("\nmerged across documents (resolution):")
        for m in data["merges"]:
            lines.append(f"  {m['doc']}: '{m['name']}' ({m['type']}, {m['entity']}) — {m['why']}")
    if data.get("resolution_log"):
        lines.append("\nresolution log:")
        for r in data["resolution_log"]:
            score = f" score {r['score']}" if r.get("score") is not None else ""
            lines.append(f"  {r.get('stage', '?')}: '{r.get('merged')}' -> '{r.get('kept')}'{score} — {r.get('why', '')}")
    return "\n".join(lines)
