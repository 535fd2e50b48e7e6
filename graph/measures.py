"""Network measures stored as node attributes: degree, weighted degree, betweenness, community, sector."""

from __future__ import annotations

import networkx as nx

__all__ = ["add_measures", "measured", "simple_undirected"]

# Exact betweenness is O(n·m); past this many nodes sample pivots (seeded, so output is stable).
_EXACT_BETWEENNESS = 600


def simple_undirected(view) -> nx.Graph:
    """The view as a simple undirected graph whose edge `weight` sums the parallel edges."""
    out = nx.Graph()
    out.add_nodes_from(sorted(view.nodes))
    for u, v, w in view.edges(data="weight", default=1):
        if u == v:
            continue
        a, b = sorted((u, v))
        w = w if isinstance(w, (int, float)) else 1
        out.add_edge(a, b, weight=out.get_edge_data(a, b, {}).get("weight", 0) + w)
    return out


def add_measures(view) -> nx.Graph:
    """Set degree, weighted_degree, betweenness, community and sector on every node; returns the view."""
    simple = simple_undirected(view)
    n = simple.number_of_nodes()
    if n > _EXACT_BETWEENNESS:
        between = nx.betweenness_centrality(simple, k=min(n, 100), seed=0, normalized=True)
    else:
        between = nx.betweenness_centrality(simple, normalized=True)
    communities = _communities(simple)
    for node, data in view.nodes(data=True):
        data["degree"] = int(simple.degree(node))
        data["weighted_degree"] = int(round(simple.degree(node, weight="weight")))
        data["betweenness"] = round(float(between.get(node, 0.0)), 6)
        data["community"] = communities.get(node, 0)
        data["sector"] = data.get("sector") or ""
    view.graph["communities"] = len(set(communities.values()))
    return view


def measured(view) -> nx.Graph:
    """The view with its measures: itself when every node has them, else a measured copy."""
    if all("community" in d for _, d in view.nodes(data=True)):
        return view
    return add_measures(view.copy())


def _communities(simple: nx.Graph) -> dict[str, int]:
    """Louvain communities (seeded), numbered 0.. by size, largest first, ties by first node id."""
    if simple.number_of_edges() == 0:
        groups = [{n} for n in simple]
    else:
        groups = nx.community.louvain_communities(simple, weight="weight", seed=0)
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return {node: i for i, group in enumerate(ordered) for node in group}
