"""App wiring: the indexes an ingest keeps in step, shared by the command, the UI, evaluation and tests.

The entry points (cli.py, ui.py) and evaluation all ingest the same way; keeping that here lets
each of them import it without importing another entry point.
"""

from __future__ import annotations

import ingest  # noqa: F401  (offline environment before anything else)

__all__ = ["consumers", "ingest_and_index"]


def consumers():
    """The indexes an ingest keeps in step: the graph, then keyword + vector search."""
    from graph.build import refresh as refresh_graph
    from search.index import refresh as refresh_search

    return (refresh_graph, refresh_search)


def ingest_and_index(path, store, **options):
    """Ingest `path` into `store` and refresh graph and search with it; returns the ingest report."""
    from ingest.pipeline import ingest as run_ingest

    return run_ingest(path, store, consumers=consumers(), **options)
