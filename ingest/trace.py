"""The trace of one document's extraction: which named stage proposed, dropped, retyped or merged each name.

The stages stay plain functions over candidates and record nothing themselves: the tracer compares a
stage's input with its output (who is new, who is gone, whose type or span changed), which costs one
pass over the list and keeps every stage testable alone. Events are kept as tuples while extraction
runs and become `TraceEvent` records once the document's entities are known.
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable

from .records import TraceEvent

__all__ = ["Tracer", "stage_name", "stage_reason"]

_WS = re.compile(r"\s+")


def stage_name(fn: Callable) -> str:
    """A stage's name: its function's name without the leading underscore ('_staffed_places' -> 'staffed_places')."""
    return fn.__name__.lstrip("_")


def stage_reason(fn: Callable) -> str:
    """The first sentence of a stage's docstring: what the stage decides, said once where it is written."""
    doc = " ".join((fn.__doc__ or "").split())
    m = re.match(r"(.+?[.:])(?:\s|$)", doc)
    return (m.group(1) if m else doc)[:200]


class Tracer:
    """Collects one document's decisions; `events()` turns them into `TraceEvent` records."""

    def __init__(self, doc: str, text: str):
        self.doc, self.text = doc, text
        # (stage, action, start, end, type, score, detail, name, entity, target); name/entity may be filled later
        self._raw: list[tuple] = []

    def add(self, stage: str, action: str, start: int, end: int, type_: str, *, score: float | None = None,
            detail: str = "", name: str = "", entity: str = "", target: str = "") -> None:
        self._raw.append((stage, action, start, end, type_, score, detail, name, entity, target))

    def proposed(self, cands: Iterable) -> None:
        """Every gathered candidate, under the stage that proposed it (`_Cand.stage`)."""
        for c in cands:
            self.add(c.stage, "proposed", c.start, c.end, c.type, score=c.score)

    def stage(self, fn: Callable, run: Callable[[list], list], cands: list) -> list:
        """`run(cands)` (the stage `fn` applied), recording what it added, dropped, retyped or re-spanned."""
        name = stage_name(fn)
        snap = {id(c): (c, c.start, c.end, c.type) for c in cands}
        out = run(cands)
        kept: set[int] = set()
        new = []
        for c in out:
            old = snap.get(id(c))
            if old is None:
                new.append(c)
                continue
            kept.add(id(c))
            self._changed(name, fn, c, old[1], old[2], old[3])
        gone = {(o[1], o[2]): o for k, o in snap.items() if k not in kept}
        for c in new:
            old = gone.pop((c.start, c.end), None)
            if old is not None:  # a stage that rebuilt a candidate rather than changing it ('_back_references')
                c.stage = c.stage or old[0].stage
                self._changed(name, fn, c, old[1], old[2], old[3])
                continue
            c.stage = c.stage or name
            self.add(c.stage, "proposed", c.start, c.end, c.type, score=c.score)
        for c, s, e, t in gone.values():
            self.add(name, "dropped", s, e, t, detail=stage_reason(fn))
        return out

    def _changed(self, name: str, fn: Callable, c, s: int, e: int, t: str) -> None:
        if c.type != t:
            self.add(name, "retyped", c.start, c.end, c.type, detail=f"{t} -> {c.type}: {stage_reason(fn)}")
        if (c.start, c.end) != (s, e):
            was = _WS.sub(" ", self.text[s:e])
            self.add(name, "retyped", c.start, c.end, c.type, detail=f"span {s}-{e} ('{was}') -> {c.start}-{c.end}: "
                                                                     f"{stage_reason(fn)}")

    def lost(self, stage: str, pairs: Iterable[tuple]) -> None:
        """Candidates a selection dropped, each with the overlapping candidate that won over it."""
        for c, winner in pairs:
            surface = _WS.sub(" ", self.text[winner.start:winner.end])
            same = (c.start, c.end) == (winner.start, winner.end)
            self.add(stage, "dropped", c.start, c.end, c.type,
                     detail=f"{'the same span' if same else 'overlaps'} '{surface}' ({winner.type}, from "
                            f"{winner.stage or '?'}, priority {winner.prio}) won over this one (priority {c.prio}): "
                            f"higher priority wins, then the longer span")

    def events(self, units: list[tuple[int, int]], span_entity: dict[tuple[int, int], str]) -> tuple[TraceEvent, ...]:
        """The records, each with its sentence and, where its span ended as a mention, that mention's entity."""
        starts = [u[0] for u in units]
        out = []
        for stage, action, s, e, type_, score, detail, name, entity, target in self._raw:
            k = bisect.bisect_right(starts, s) - 1
            us, ue = units[max(k, 0)] if units else (0, 0)
            out.append(TraceEvent(doc=self.doc, stage=stage, action=action, name=name or _WS.sub(" ", self.text[s:e]),
                                  type=type_, start=s, end=e, score=score, detail=detail, sent_start=us, sent_end=ue,
                                  entity=entity or span_entity.get((s, e), ""), target=target))
        return tuple(out)
