"""Chroma vector index + keyword index, hybrid retrieval, question answering."""

import ingest as _ingest  # noqa: F401  (sets the offline environment before any model import)
