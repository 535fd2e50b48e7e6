"""Views: questions about the network (who works with whom around a place, a programme, an entity).

A view is a small networkx graph cut from the knowledge graph. Typed views (`all`, `ego`, `place`,
`programme`) keep one edge per (source, target, relation) with the supporting sentences folded
into it; the `partnerships` view is an undirected organisation graph built from `partners_with`
edges and from programmes that organisations share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Iterable

import networkx as nx

from ingest.records import ENTITY_TYPES, OUTCOME_FIELDS, RELATION_TYPES, slug

__all__ = ["VIEWS", "ViewError", "find_entity", "make_view", "internal_reason"]

VIEWS = ("partnerships", "all", "ego", "place", "programme")
NODE_TYPES = ENTITY_TYPES + ("document",)
WEAK = "mentioned_with"
SHARED = "shared_programme"
# Relations that say nothing about working together on a programme.
_NOT_PROGRAMME_WORK = {"located_in", "authored", "achieved", WEAK}
_NODE_KEYS = ("type", "name", "aliases", "docs", "sector", "mentions")


# Organisation nodes that are parts of a body or occasions rather than bodies that partner: a
# council's management team, a steering board, an expo. Judged on the name's last word; boards
# that are NHS bodies in their own right (an Integrated Care Board, a Health Board) stay.
_INTERNAL_WORDS = {"team", "teams", "board", "committee", "subcommittee", "panel", "pmo", "directorate"}
_EVENT_WORDS = {"expo", "conference", "summit", "festival", "awards", "workshop", "webinar", "meeting",
                "exhibition", "showcase", "event", "week"}
_BODY_BOARDS = re.compile(r"\b(care|health|nhs|examination|examinations)\s+board$", re.I)
_SMALL_WORDS = {"of", "and", "the", "for", "&", "in", "on", "to"}


class ViewError(ValueError):
    """A view cannot be made: unknown name, bad filter, or nothing to show. The message says why."""


# -- names ------------------------------------------------------------------------------------


def _names(graph, node) -> list[str]:
    data = graph.nodes[node]
    return [data.get("name") or str(node), *(data.get("aliases") or ())]


def find_entity(graph, name: str, *, types=None) -> str:
    """Node id for `name`: exact id, name, alias or slug first, else a close fuzzy match.

    Raises ViewError listing the closest names when nothing matches well enough.
    """
    types = _check_types(types)
    nodes = [n for n, d in graph.nodes(data=True) if types is None or d.get("type") in types]
    what = "/".join(sorted(types)) if types else "entity"
    if not name or not name.strip():
        raise ViewError(f"no {what} name given; pass a name such as {_examples(graph, nodes)}")
    if name in graph and name in nodes:
        return name
    folded, wanted_slug = name.strip().casefold(), slug(name)
    for test in (
        lambda n: any(x.casefold() == folded for x in _names(graph, n)[:1]),
        lambda n: any(x.casefold() == folded for x in _names(graph, n)),
        lambda n: any(slug(x) == wanted_slug for x in _names(graph, n)),
    ):
        hits = sorted(n for n in nodes if test(n))
        if hits:
            # Several entities can share a name across types: prefer the most mentioned.
            return max(hits, key=lambda n: (graph.nodes[n].get("mentions") or 0, -hits.index(n)))
    from rapidfuzz import fuzz, process, utils

    choices = {}
    for n in nodes:
        for alias in _names(graph, n):
            choices[(n, alias)] = alias
    scored = process.extract(name, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=40)
    best: dict[str, tuple[float, str]] = {}
    for alias, score, (node, _) in scored:
        if node not in best or score > best[node][0]:
            best[node] = (score, alias)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
    # Accept a fuzzy match only when it is close and clearly ahead, so a typo works but an
    # ambiguous fragment ("Council") asks the user instead of guessing.
    if ranked and ranked[0][1][0] >= 90 and (len(ranked) == 1 or ranked[0][1][0] - ranked[1][1][0] >= 5):
        return ranked[0][0]
    suggestions = [graph.nodes[n].get("name") or n for n, (score, _) in ranked[:5] if score >= 70]
    if suggestions:
        hint = f"; did you mean: {', '.join(suggestions)}?"
    else:  # nothing close: show what the graph does hold rather than unrelated near-strings
        hint = f"; nothing close. The most mentioned are: {_examples(graph, nodes, 5)}"
    raise ViewError(f"no {what} named {name!r} in the graph{hint}")


def _examples(graph, nodes, count: int = 3) -> str:
    ranked = sorted(nodes, key=lambda n: (-(graph.nodes[n].get("mentions") or 0), n))[:count]
    return ", ".join(repr(graph.nodes[n].get("name") or n) for n in ranked) or "(the graph is empty)"


# -- filters ----------------------------------------------------------------------------------


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", name)
    return "".join(w[0] for w in words if w.casefold() not in _SMALL_WORDS).upper()


def internal_reason(graph, node) -> str | None:
    """Why an organisation node is not a partnering body (a team, board, event, or an acronym
    that duplicates another organisation's name), else None."""
    data = graph.nodes[node]
    if data.get("type") != "organisation":
        return None
    name = (data.get("name") or "").strip()
    words = re.findall(r"[\w’']+", name.casefold())
    last = words[-1] if words else ""
    if last in _INTERNAL_WORDS and not _BODY_BOARDS.search(name):
        return f"a {last} within an organisation, not a partner in its own right"
    if last in _EVENT_WORDS:
        return "an event, not a body"
    if re.fullmatch(r"[A-Z]{2,6}", name):
        for other, d in graph.nodes(data=True):
            if other == node or d.get("type") != "organisation":
                continue
            full = d.get("name") or ""
            if _initials(full) == name or name in (d.get("aliases") or ()):
                return f"the acronym of {full}"
    return None


def _drop_internal(view, typed, keep=()) -> int:
    """Remove team/board/event/duplicate-acronym organisations from `view`; returns how many."""
    gone = [n for n in view if n not in keep and internal_reason(typed, n)]
    view.remove_nodes_from(gone)
    return len(gone)



def _as_list(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    return [v.strip() for v in value if v and v.strip()]


def _check_types(types) -> set[str] | None:
    types = _as_list(types)
    if not types:
        return None
    bad = [t for t in types if t not in NODE_TYPES]
    if bad:
        raise ViewError(f"unknown entity type(s) {', '.join(bad)}; choose from {', '.join(NODE_TYPES)}")
    return set(types)


def _check_relations(relations) -> set[str] | None:
    relations = _as_list(relations)
    if not relations:
        return None
    allowed = RELATION_TYPES + (SHARED,)
    bad = [r for r in relations if r not in allowed]
    if bad:
        raise ViewError(f"unknown relation(s) {', '.join(bad)}; choose from {', '.join(allowed)}")
    return set(relations)


def _all_docs(graph) -> set[str]:
    docs = {d.get("doc") for *_, d in graph.edges(data=True) if d.get("doc")}
    for _, d in graph.nodes(data=True):
        docs.update(d.get("docs") or ())
    return docs


def _resolve_docs(graph, docs) -> set[str] | None:
    """Match document filters by full name, base name or stem ('report.pdf', 'report')."""
    wanted = _as_list(docs)
    if not wanted:
        return None
    known = _all_docs(graph)
    found = set()
    for want in wanted:
        p = PurePosixPath(want.replace("\\", "/"))
        hits = {d for d in known if d == want} or {d for d in known if PurePosixPath(d).name == p.name}
        hits = hits or {d for d in known if PurePosixPath(d).stem == p.stem}
        if not hits:
            from rapidfuzz import process

            close = [c for c, *_ in process.extract(want, sorted(known), limit=3)]
            hint = f"; did you mean: {', '.join(close)}?" if close else "; the graph has no documents yet"
            raise ViewError(f"no document {want!r} in the graph{hint}")
        found |= hits
    return found


# -- the typed graph: one edge per (source, target, relation) ---------------------------------


def _sentence(d: dict) -> tuple:
    return (d.get("doc") or "", d.get("start") if d.get("start") is not None else -1,
            d.get("end") if d.get("end") is not None else -1, d.get("evidence") or "", d.get("page"), d.get("role"))


def _fold(sentences: Iterable[tuple]) -> dict:
    """Edge attributes from its supporting sentences: weight, first sentence, all docs/evidence."""
    unique = sorted({s[:3]: s for s in sentences}.values(), key=lambda s: (s[0], s[1], s[2], s[3]))
    first = unique[0]
    docs = sorted({s[0] for s in unique if s[0]})
    roles = sorted({s[5] for s in unique if s[5]})
    return {
        "weight": len(unique),
        "n_docs": len(docs),
        "doc": first[0],
        "evidence": first[3],
        "start": first[1],
        "end": first[2],
        "page": first[4],
        "role": roles[0] if roles else None,
        "docs": docs,
        "evidences": [s[3] for s in unique],
        "evidence_docs": [s[0] + (f" p.{s[4]}" if s[4] else "") for s in unique],
        "_sentences": unique,
    }


# An outcome node's scalar fields travel into views (GraphML, GEXF, CSV read them as columns); its
# records (nested rows) stay in the graph and leave by the `outcomes` view of `graph.outcomes`.


def _copy_node(data: dict) -> dict:
    out = {k: data.get(k) for k in _NODE_KEYS}
    out.update({k: data[k] for k in OUTCOME_FIELDS if data.get(k) is not None})
    out["aliases"] = list(out["aliases"] or [])
    out["docs"] = list(out["docs"] or [])
    out["mentions"] = int(out["mentions"] or 0)
    out["name"] = out["name"] or ""
    return out


def _typed(graph, docs, relations, include_weak) -> nx.MultiDiGraph:
    groups: dict[tuple, list] = defaultdict(list)
    for u, v, d in graph.edges(data=True):
        rel = d.get("relation") or ""
        if rel == WEAK and not include_weak and not (relations and WEAK in relations):
            continue
        if relations and rel not in relations:
            continue
        if docs is not None and d.get("doc") not in docs:
            continue
        groups[(u, v, rel)].append(_sentence(d))
    out = nx.MultiDiGraph()
    for n in sorted(graph.nodes):
        out.add_node(n, **_copy_node(graph.nodes[n]))
    for (u, v, rel) in sorted(groups):
        out.add_edge(u, v, key=rel, relation=rel, **_fold(groups[(u, v, rel)]))
    return out


def _strip_private(view):
    for *_, d in view.edges(data=True):
        d.pop("_sentences", None)
    return view


# -- views --------------------------------------------------------------------------------------


def make_view(graph, view: str = "partnerships", *, entity=None, place=None, programme=None,
              depth: int = 1, docs=None, relations=None, types=None, min_weight: int = 1,
              include_weak: bool = False, include_internal: bool | None = None) -> nx.Graph:
    """Cut a view from the knowledge graph: partnerships | all | ego | place | programme.

    `include_internal` keeps teams, boards, events and acronyms duplicating an organisation
    (see `internal_reason`); by default the partnerships view drops them and the others keep them.

    Raises ViewError with a clear message for unknown names or filters, and when the view is empty.
    """
    if view not in VIEWS:
        raise ViewError(f"unknown view {view!r}; choose from {', '.join(VIEWS)}")
    if graph.number_of_nodes() == 0:
        raise ViewError("the graph is empty; run `casegraph ingest` on a folder of reports first")
    if depth < 0:
        raise ViewError(f"depth must be 0 or more, not {depth}")
    node_types = _check_types(types)
    rels = _check_relations(relations)
    doc_set = _resolve_docs(graph, docs)
    centre = None
    if view == "ego":
        if not entity:
            raise ViewError("the ego view needs an entity: pass --entity NAME")
        centre = find_entity(graph, entity)
    elif view == "place" or (view == "partnerships" and place):
        if not place:
            raise ViewError("the place view needs a place: pass --place NAME")
        centre = find_entity(graph, place, types=["place"])
    elif view == "programme" or (view == "partnerships" and programme):
        if not programme:
            raise ViewError("the programme view needs a programme: pass --programme NAME")
        centre = find_entity(graph, programme, types=["programme"])
    elif view == "partnerships" and entity:
        centre = find_entity(graph, entity, types=["organisation"])

    if view == "partnerships":
        direct, shared, typed_rels = _partnership_relations(rels)
        typed = _typed(graph, doc_set, typed_rels, include_weak)
        out = _partnerships(typed, include_weak=include_weak, direct=direct, shared=shared)
        label = "partnerships"
        if centre is not None:
            out, label = _partnerships_around(out, typed, centre, depth)
        hidden = 0 if include_internal else _drop_internal(out, typed, keep={centre})
        _drop_light(out, min_weight)
        if node_types is not None:
            out.remove_nodes_from([n for n, t in out.nodes(data="type") if t not in node_types])
        out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0 and n != centre])
    else:
        typed = _typed(graph, doc_set, rels - {SHARED} if rels else None, include_weak)
        out, label = _typed_view(typed, view, centre, depth, doc_set, rels, node_types, min_weight)
        hidden = _drop_internal(out, typed, keep={centre}) if include_internal is False else 0

    # Only the filters that differ from the defaults: they are shown to the reader of an export.
    filters = {"docs": ", ".join(sorted(doc_set)) if doc_set else None,
               "relations": ", ".join(sorted(rels)) if rels else None,
               "types": ", ".join(sorted(node_types)) if node_types else None,
               "min_weight": min_weight if min_weight > 1 else None, "include_weak": include_weak,
               "depth": depth if centre is not None and depth != 1 else None}
    out.graph.update({"view": view, "title": label, "centre": centre or "", "hidden_internal": hidden,
                      "filters": "; ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, False))})
    if out.number_of_nodes() == 0 or (view == "partnerships" and out.number_of_edges() == 0):
        raise ViewError(_empty_message(view, label, graph, centre))
    return _strip_private(out)


def _partnership_relations(rels):
    """(direct edges?, programme projection?, relations to keep) for a --relations filter."""
    if rels is None:
        return True, True, None
    work = {r for r in RELATION_TYPES if r not in _NOT_PROGRAMME_WORK}
    chosen = rels & work - {"partners_with"}
    # `shared_programme` alone means "projections through any programme link".
    keep = (rels - {SHARED}) | (work if SHARED in rels and not chosen else set())
    return "partners_with" in rels, SHARED in rels or bool(chosen), keep


def _drop_light(view, min_weight: int) -> None:
    if min_weight > 1:
        view.remove_edges_from([e for e in view.edges(keys=True, data=True) if e[3]["weight"] < min_weight]
                               if view.is_multigraph() else
                               [(u, v) for u, v, w in view.edges(data="weight") if w < min_weight])


def _typed_view(typed, view, centre, depth, doc_set, rels, node_types, min_weight):
    _drop_light(typed, min_weight)
    if centre is None:  # the whole graph
        keep = [n for n, d in typed.nodes(data=True)
                if (node_types is None or d["type"] in node_types)
                and (doc_set is None or set(d["docs"]) & doc_set or typed.degree(n))]
        out = typed.subgraph(keep).copy()
        if rels or min_weight > 1:  # a relation-filtered network: isolates say nothing
            out.remove_nodes_from([n for n in list(out) if out.degree(n) == 0])
        return out, "all entities"
    if node_types is not None:
        typed.remove_nodes_from([n for n, t in typed.nodes(data="type") if t not in node_types and n != centre])
    out = nx.ego_graph(typed, centre, radius=depth, undirected=True).copy()
    name = typed.nodes[centre]["name"]
    return out, f"{view} {name}" if view != "ego" else f"around {name} (depth {depth})"


def _partnerships(typed, *, include_weak: bool, direct: bool = True, shared: bool = True) -> nx.Graph:
    """Organisation graph: direct `partners_with` edges plus the org–programme projection."""
    kinds = {n: d["type"] for n, d in typed.nodes(data=True)}
    pairs: dict[tuple, dict] = defaultdict(lambda: {"sentences": [], "relations": set(), "programmes": set()})
    links: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))  # programme -> org -> sentences
    for u, v, rel, d in typed.edges(keys=True, data=True):
        ends = {kinds.get(u), kinds.get(v)}
        if ends == {"organisation"} and u != v and ((rel == "partners_with" and direct) or (rel == WEAK and include_weak)):
            pair = pairs[tuple(sorted((u, v)))]
            pair["sentences"] += d["_sentences"]
            pair["relations"].add(rel)
        elif ends == {"organisation", "programme"} and shared and (rel not in _NOT_PROGRAMME_WORK or (rel == WEAK and include_weak)):
            org, prog = (u, v) if kinds[u] == "organisation" else (v, u)
            links[prog][org] += d["_sentences"]
    for prog in sorted(links):
        orgs = sorted(links[prog])
        for i, a in enumerate(orgs):
            for b in orgs[i + 1:]:
                pair = pairs[(a, b)]
                pair["sentences"] += links[prog][a] + links[prog][b]
                pair["relations"].add(SHARED)
                pair["programmes"].add(typed.nodes[prog]["name"])
    out = nx.Graph()
    for a, b in sorted(pairs):
        for n in (a, b):
            if n not in out:
                out.add_node(n, **typed.nodes[n])
        p = pairs[(a, b)]
        rel = "partners_with" if "partners_with" in p["relations"] else SHARED if SHARED in p["relations"] else WEAK
        out.add_edge(a, b, relation=rel, relations=sorted(p["relations"]), programmes=sorted(p["programmes"]),
                     **_fold(p["sentences"]))
    return out


def _partnerships_around(out: nx.Graph, typed, centre: str, depth: int):
    """Restrict partnerships to an organisation's circle, a place or a programme."""
    kind, name = typed.nodes[centre]["type"], typed.nodes[centre]["name"]
    if kind == "organisation":
        if centre not in out:
            return nx.Graph(), f"partnerships of {name}"
        return nx.ego_graph(out, centre, radius=max(depth, 1)).copy(), f"partnerships of {name}"
    und = typed.to_undirected(as_view=True)
    near = set(und.neighbors(centre))
    if kind == "place":
        # Organisations in the place, and those working on programmes located there.
        near |= {o for p in list(near) if typed.nodes[p]["type"] == "programme" for o in und.neighbors(p)}
    orgs = {n for n in near if typed.nodes[n]["type"] == "organisation"}
    return out.subgraph(orgs & set(out)).copy(), f"partnerships around {name}" if kind == "place" else f"partnerships in {name}"


def _empty_message(view, label, graph, centre) -> str:
    if centre is not None:
        name = graph.nodes[centre].get("name") or centre
        if view == "partnerships":
            return (f"no partnerships found for {name!r}: no two organisations linked to it partner or share a "
                    f"programme in the reports; try `--view ego --entity {name!r}` to see what it is linked to")
        return f"nothing is linked to {name!r} with these filters; loosen --relations/--min-weight/--types"
    if view == "partnerships":
        return ("no partnerships found: no two organisations are linked by partners_with or a shared programme "
                "with these filters; try `--view all`, or lower --min-weight")
    return "no entities match these filters; loosen --docs/--relations/--min-weight/--types"
