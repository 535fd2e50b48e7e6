"""The standalone HTML view: one file, JavaScript and CSS inlined, opens offline (also embedded by the UI)."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources

from .export_style import COMMUNITY_COLOURS, colour_key, node_colour, node_size
from .measures import measured

__all__ = ["to_html", "page_data"]

# Per edge, the page carries at most this many sentences (the CSV/JSON exports carry them all).
MAX_EVIDENCE = 12


@cache
def _asset(name: str) -> str:
    return resources.files("graph").joinpath("assets", name).read_text("utf-8")


def _script_json(data) -> str:
    """JSON safe inside <script>: no '</script>', '<!--' or line separators can break out."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "\/" is a legal JSON escape: it also keeps URLs quoted in evidence from reading as links.
    for char, esc in (("/", "\\/"), ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, esc)
    return text


def _list(value) -> list:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def page_data(view, *, title: str = "casegraph", colour_by: str = "sector") -> dict:
    """The JSON the page draws: nodes with colours and sizes, edges with their evidence, legends."""
    view = measured(view)  # sizes and community colours read the measures
    order = sorted(view.nodes)
    index = {n: i for i, n in enumerate(order)}
    max_degree = max((view.nodes[n].get("degree", 0) for n in order), default=0)
    nodes, legends = [], {"sector": {}, "community": {}}
    for n in order:
        d = view.nodes[n]
        for mode in legends:
            legends[mode].setdefault(colour_key(d, mode), node_colour(d, mode))
        nodes.append({
            "id": n, "name": d.get("name") or n, "type": d.get("type") or "", "sector": d.get("sector") or "",
            "aliases": _list(d.get("aliases")), "docs": _list(d.get("docs")), "degree": d.get("degree", 0),
            "wdeg": d.get("weighted_degree", 0), "betweenness": d.get("betweenness", 0.0),
            "community": d.get("community", 0), "size": node_size(d.get("degree", 0), max_degree, 4, 22),
            "colour": {m: node_colour(d, m) for m in legends}, "key": {m: colour_key(d, m) for m in legends},
        })
    edges = []
    from .export_style import edge_rows

    for u, v, _, d in edge_rows(view):
        evidence = _list(d.get("evidences")) or _list(d.get("evidence"))
        sources = _list(d.get("evidence_docs")) or [str(d.get("doc") or "")] * len(evidence)
        edges.append({
            "s": index[u], "t": index[v], "relation": d.get("relation") or "", "weight": d.get("weight", 1),
            "docs": _list(d.get("docs")) or _list(d.get("doc")), "programmes": _list(d.get("programmes")),
            "evidence": [[e, s] for e, s in zip(evidence[:MAX_EVIDENCE], sources[:MAX_EVIDENCE])],
            "more": max(0, len(evidence) - MAX_EVIDENCE),
        })
    community_legend = sorted(legends["community"].items(), key=lambda kv: int(kv[0].split()[-1]))
    if len(community_legend) > len(COMMUNITY_COLOURS):  # colours repeat past the palette: say so once
        community_legend = community_legend[: len(COMMUNITY_COLOURS)] + [["other communities", "#cccccc"]]
    return {
        "title": title, "view": view.graph.get("view", ""), "filters": view.graph.get("filters", ""),
        "directed": view.is_directed(), "colour_by": colour_by if colour_by in legends else "sector",
        "nodes": nodes, "edges": edges,
        "legend": {"sector": sorted(legends["sector"].items()), "community": [list(x) for x in community_legend]},
    }


def to_html(view, *, title: str = "casegraph", colour_by: str = "sector") -> str:
    """The standalone interactive page for `view`: force layout, hover/click shows evidence; no network needed."""
    data = page_data(view, title=title, colour_by=colour_by)
    parts = {"TITLE": html.escape(title), "CSS": _asset("view.css"), "DATA": _script_json(data), "JS": _asset("view.js")}
    # One pass, so a title containing "{{JS}}" stays text.
    return re.sub(r"\{\{(TITLE|CSS|DATA|JS)\}\}", lambda m: parts[m.group(1)], _asset("view.html"))
