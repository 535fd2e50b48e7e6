"""Build the knowledge graph from the store's records, and save / load it byte-stably."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from ingest.records import Entity, Outcome, Relation
from ingest.store import Store, atomic_write_bytes, atomic_write_json

__all__ = ["graph_data", "refresh", "load_graph"]


def graph_data(entities: Sequence[Entity], relations: Sequence[Relation], outcomes: Sequence[Outcome] = (),
               **graph_attrs) -> dict:
    """The graph as networkx node-link data, sorted: one node per entity, one edge per supporting
    sentence of a relation (keyed relation:doc:start; no self-loops, no edge to a missing node);
    outcome nodes carry their outcome records (see `graph.outcomes`).
    Written straight from the records: building a MultiDiGraph only to serialise it took 2.1 of
    the 4.6 s a new report's graph refresh cost at 100x the bundled corpus."""
    nodes = {e.id: {"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases), "docs": list(e.docs),
                    "sector": e.sector, "mentions": e.mentions} for e in entities}
    if outcomes:
        from .outcomes import node_attrs

        per_node: dict[str, list[Outcome]] = {}
        for o in outcomes:
            if o.entity in nodes:
                per_node.setdefault(o.entity, []).append(o)
        for node, records in per_node.items():
            nodes[node].update(node_attrs(records))
    edges: dict[tuple[str, str, str], dict] = {}
    for r in relations:
        if r.source not in nodes or r.target not in nodes or r.source == r.target:
            continue
        key = f"{r.relation}:{r.doc}:{r.start}"
        edges[(r.source, r.target, key)] = {  # a repeated key keeps the last given, as add_edge does
            "source": r.source, "target": r.target, "key": key, "relation": r.relation, "doc": r.doc,
            "evidence": r.evidence, "start": r.start, "end": r.end, "page": r.page, "role": r.role}
    return {"directed": True, "multigraph": True, "graph": dict(graph_attrs), "nodes": [nodes[k] for k in sorted(nodes)],
            "edges": [edges[k] for k in sorted(edges)]}


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
    """Rebuild and save the graph (and the resolution log) when the corpus, its merge file or the
    resolution settings changed since it was last built."""
    import time

    from ingest.merges import rules_from_json
    from ingest.near_duplicates import vector_merge_setting
    from ingest.records import to_dict
    from ingest.resolve import resolve_corpus_logged

    from .outcomes import resolve_outcomes

    manifest = store.read_manifest()
    key = store.state_key(manifest)
    rules = rules_from_json(manifest.get("merges"))
    threshold = vector_merge_setting()
    embedder = _name_embedder() if threshold is not None else None
    settings = {"merges": (manifest.get("merges") or {}).get("sha256", ""),
                "vector_merge": threshold, "embedder": embedder.id if embedder else None}
    rules_key = json.dumps(settings, sort_keys=True)
    # The key is written after the graph, so a crash between the two only costs a rebuild.
    key_path = store.graph_path.with_suffix(".key")
    if store.graph_path.exists() and key_path.exists() and key_path.read_text("utf-8") == key \
            and _read(store.graph_rules_path) == rules_key:
        return {}
    t = time.perf_counter()
    vectors = None
    if embedder is not None:
        from ingest.near_duplicates import VectorMerge

        vectors = VectorMerge(threshold, lambda names: embedder(names, threads=1),
                              cache=store.read_name_vectors(embedder.id))
    cache = _INPUTS.setdefault(str(store.root.resolve()), {})
    inputs = list(store.iter_graph_inputs(manifest, cache=cache))
    entities, relations, log = resolve_corpus_logged(inputs, rules=rules, vectors=vectors)
    outcomes = resolve_outcomes(inputs, entities)
    resolved = time.perf_counter() - t
    t = time.perf_counter()
    atomic_write_json(store.graph_path, graph_data(entities, relations, outcomes, key=key))
    atomic_write_json(store.resolution_log_path, [to_dict(d) for d in log])
    if vectors is not None and vectors.used:
        # only the names this build compared: the cache follows the corpus, it does not grow forever
        store.write_name_vectors({n: vectors.cache[n] for n in vectors.used}, embedder.id)
    atomic_write_bytes(store.graph_rules_path, rules_key.encode())
    atomic_write_bytes(key_path, key.encode())
    return {"resolution": resolved, "graph_save": time.perf_counter() - t}


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except OSError:
        return None


def _name_embedder():
    """The embedder entity names are compared with (the search index's; loaded only when used)."""
    from search.embed import embedder

    return embedder()


refresh.warm_up = warm_inputs  # watch: the first added report then reads only its own inputs
