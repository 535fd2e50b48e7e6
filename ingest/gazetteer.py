"""Place names shipped as package data: `ingest/data/uk_places.txt` (towns and countries, from GeoNames,
CC BY 4.0) and `ingest/data/uk_areas.txt` (counties, London and metropolitan boroughs, from the
statutes that define them).

Used only to type a capitalised name that spaCy calls a person or organisation ("Wigan",
"Preston") as a place; it never creates a mention on its own.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["is_place_name"]

_FILE = Path(__file__).with_name("data") / "uk_places.txt"
_AREAS = Path(__file__).with_name("data") / "uk_areas.txt"


@functools.cache
def _places() -> frozenset[str]:
    lines = []
    for path in (_FILE, _AREAS):
        try:
            lines += path.read_text("utf-8").splitlines()
        except OSError as exc:
            raise RuntimeError(f"cannot read the place list {path}: {exc}; reinstall casegraph (or, for uk_places.txt, "
                               "run `python ingest/data/make_places.py`)") from exc
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_place_name(name: str) -> bool:
    """True when `name` (any case, spacing collapsed) is a listed UK town/city or a country."""
    return " ".join(name.split()).lower() in _places()
