"""Counts of what a store holds, and its documents table."""

from __future__ import annotations

from collections import Counter

from ingest.store import Store

from .build import load_graph

__all__ = ["stats", "document_table"]


def stats(store: Store) -> dict:
    """`{"documents", "passages", "entities": {type: n}, "relations": {relation: n}}`, deterministic."""
    manifest = store.read_manifest()
    ok = [e for e in manifest["files"].values() if e.get("status") == "ok"]
    graph = load_graph(store.graph_path)
    entities = Counter(d.get("type", "unknown") for _, d in graph.nodes(data=True))
    relations = Counter(d.get("relation", "unknown") for _, _, d in graph.edges(data=True))
    return {
        "documents": len(ok),
        "passages": sum(e.get("passages", 0) for e in ok),
        "entities": dict(sorted(entities.items())),
        "relations": dict(sorted(relations.items())),
    }


def document_table(store: Store) -> list[dict]:
    """One row per file in the manifest: title, format, pages, words, entities, when, status, error."""
    manifest = store.read_manifest()
    rows = []
    for name in sorted(manifest["files"]):
        e = manifest["files"][name]
        rows.append({"doc": name, "title": e.get("title"), "format": e.get("format") or name.rsplit(".", 1)[-1],
                     "pages": e.get("pages"), "words": e.get("words"), "passages": e.get("passages"),
                     "entities": e.get("entities"), "ingested_at": e.get("ingested_at"),
                     "status": e.get("status"), "error": e.get("error")})
    return rows
