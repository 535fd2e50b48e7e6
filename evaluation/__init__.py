"""Measuring casegraph on annotated sets (`casegraph eval`): answers, extraction, and the naive baseline.

Outside the three library packages on purpose: evaluation drives the whole app (ingest, graph,
search), so it sits above them, like the command and the UI.
"""

import ingest as _ingest  # noqa: F401  (sets the offline environment before any model import)
