"""Build the knowledge graph from the store's records, and save / load it byte-stably."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ingest.records import Entity, Relation
from ingest.store import Store, atomic_write_bytes, atomic_write_json

__all__ = ["build_graph", "refresh", "save_graph", "load_graph"]


def build_graph(entities: Sequence[Entity], relations: Sequence[Relation]):
    """A MultiDiGraph: one node per entity, one edge per supporting sentence of a relation."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for e in sorted(entities, key=lambda e: e.id):
        g.add_node(e.id, type=e.type, name=e.name, aliases=list(e.aliases), docs=list(e.docs),
                   sector=e.sector, mentions=e.mentions)
    for r in sorted(relations, key=lambda r: (r.source, r.target, r.relation, r.doc, r.start)):
        if r.source not in g or r.target not in g or r.source == r.target:
            continue
        key = f"{r.relation}:{r.doc}:{r.start}"
        g.add_edge(r.source, r.target, key=key, relation=r.relation, doc=r.doc, evidence=r.evidence,
                   start=r.start, end=r.end, page=r.page, role=r.role)
    return g


def save_graph(g, path: Path) -> None:
    """Node-link JSON, nodes and edges sorted so the same graph gives the same bytes."""
    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], str(e.get("key"))))
    atomic_write_json(path, data)


def load_graph(path: Path):
    """The saved graph, or an empty one when none was saved yet."""
    import networkx as nx

    if not Path(path).exists():
        return nx.MultiDiGraph()
    data = json.loads(Path(path).read_text("utf-8"))
    return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")


# Per store, the graph inputs this process has read: a watch or UI process that adds one report to a
# large store reads only that report's (reading 500 documents' inputs took ~2 s at 100x).
_INPUTS: dict[str, dict] = {}


def warm_inputs(store: Store) -> None:
    """Read the store's graph inputs into this process's cache now (a watch does, once started)."""
    cache = _INPUTS.setdefault(str(store.root.resolve()), {})
    for _ in store.iter_graph_inputs(cache=cache):
        pass


def refresh(store: Store) -> dict:
    """Rebuild and save the graph when the corpus changed since it was last built."""
    import time

    from ingest.resolve import resolve_corpus

    manifest = store.read_manifest()
    key = store.state_key(manifest)
    # The key is written after the graph, so a crash between the two only costs a rebuild.
    key_path = store.graph_path.with_suffix(".key")
    if store.graph_path.exists() and key_path.exists() and key_path.read_text("utf-8") == key:
        return {}
    t = time.perf_counter()
    cache = _INPUTS.setdefault(str(store.root.resolve()), {})
    entities, relations = resolve_corpus(list(store.iter_graph_inputs(manifest, cache=cache)))
    resolved = time.perf_counter() - t
    g = build_graph(entities, relations)
    g.graph["key"] = key
    t = time.perf_counter()
    save_graph(g, store.graph_path)
    atomic_write_bytes(key_path, key.encode())
    return {"resolution": resolved, "graph_save": time.perf_counter() - t}


refresh.warm_up = warm_inputs  # watch: the first added report then reads only its own inputs
