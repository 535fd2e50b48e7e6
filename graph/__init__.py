"""The networkx knowledge graph: build, persist, query, views, exports."""

import ingest as _ingest  # noqa: F401  (sets the offline environment before any model import)
