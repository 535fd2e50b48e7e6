"""The trained relation classifier: which stated relation, if any, joins two mentions of one sentence.

Candidates are ordered pairs of mentions (first in the text, second) within one evidence unit, plus
(programme or body, outcome) pairs across two adjacent units, since results are often stated in
the sentence after the programme is named. Features are the two types, the words between, the
words around, the dependency path between the two heads and the distance; a logistic regression
trained by `train/relations.py` on the team's corpus scores them. The weights are plain JSON
(ingest/models/relations.json) and scoring is a sparse dot product: no scikit-learn at run time.

The same `pair_features` serves training and extraction, so the two never drift apart.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Pair", "candidate_pairs", "mentions_by_unit", "pair_features", "RelationModel", "load_relation_model", "RELATION_ENDS"]

MODEL_PATH = Path(__file__).resolve().parent / "models" / "relations.json"

# relation -> allowed (source type, target type)
RELATION_ENDS = {
    "works_for": {("person", "organisation")},
    "leads": {("person", "organisation"), ("person", "programme")},
    "partners_with": {("organisation", "organisation")},
    "funds": {("organisation", "programme"), ("organisation", "organisation")},
    "commissions": {("organisation", "organisation"), ("organisation", "programme")},
    "runs": {("organisation", "programme")},
    "delivers": {("organisation", "programme")},
    "located_in": {("organisation", "place"), ("programme", "place")},
    "achieved": {("programme", "outcome"), ("organisation", "outcome")},
    "set_up": {("organisation", "organisation"), ("organisation", "programme"), ("person", "organisation"),
               ("person", "programme")},
}
_PAIR_TYPES = {ends for pairs in RELATION_ENDS.values() for ends in pairs}
_PAIR_TYPES |= {(b, a) for a, b in _PAIR_TYPES}
MAX_BETWEEN_CHARS = 400
_WORD = re.compile(r"[A-Za-z£%]+|\d+")


@dataclass(frozen=True)
class Pair:
    """Two mentions in text order: (start, end, type) each, and the unit (start, end) that holds both."""

    a: tuple[int, int, str]
    b: tuple[int, int, str]
    unit: tuple[int, int]
    cross: bool = False  # the two ends are in adjacent units


def candidate_pairs(mentions: list[tuple[int, int, str]], units: list[tuple[int, int]]) -> list[Pair]:
    """Ordered pairs of mentions that could hold a relation: same unit, or an outcome in the next unit."""
    import bisect

    starts = [u[0] for u in units]

    def unit_index(off: int) -> int:
        return max(0, bisect.bisect_right(starts, off) - 1)

    ms = sorted(set(mentions))
    by_unit: dict[int, list] = {}
    for m in ms:
        by_unit.setdefault(unit_index(m[0]), []).append(m)
    out = []
    for k, group in sorted(by_unit.items()):
        if len(group) > 40:
            group = group[:40]  # a table run together as one "sentence": pairs there are noise
        for i, a in enumerate(group):
            for b in group[i + 1:i + 13]:
                if b[0] < a[1] or (a[2], b[2]) not in _PAIR_TYPES or b[0] - a[1] > MAX_BETWEEN_CHARS:
                    continue
                out.append(Pair(a, b, units[k]))
        nxt = by_unit.get(k + 1, [])
        for a in group:
            if a[2] not in ("programme", "organisation"):
                continue
            for b in nxt:
                # a result in the next sentence belongs to the one before only when no body or
                # programme of its own comes first ("X cut A. Y helped B": B is Y's)
                if b[2] == "outcome" and not any(m[2] in ("programme", "organisation") and m[0] < b[0] for m in nxt):
                    out.append(Pair(a, b, (units[k][0], units[k + 1][1]), cross=True))
    return out


def mentions_by_unit(mentions, pairs: list[Pair]) -> dict[tuple[int, int], list]:
    """The mentions inside each pair's unit (the `others` of `pair_features`), found once per unit."""
    return {unit: [m for m in mentions if unit[0] <= m[0] < unit[1]] for unit in {p.unit for p in pairs}}


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _head(sdoc, start: int, end: int):
    span = sdoc.char_span(start, end, alignment_mode="expand") if sdoc is not None else None
    if span is None or not len(span):
        return None
    return span.root


def _dep_path(sdoc, a: tuple, b: tuple) -> list[str]:
    ha, hb = _head(sdoc, a[0], a[1]), _head(sdoc, b[0], b[1])
    if ha is None or hb is None or ha.sent.start != hb.sent.start:
        return []
    up_a = [ha] + list(ha.ancestors)
    up_b = [hb] + list(hb.ancestors)
    ids_b = {t.i for t in up_b}
    lca = next((t for t in up_a if t.i in ids_b), None)
    if lca is None:
        return []
    left = [t.dep_ for t in up_a[:[t.i for t in up_a].index(lca.i)]]
    right = [t.dep_ for t in up_b[:[t.i for t in up_b].index(lca.i)]]
    return ["^" + d for d in left] + [lca.lemma_.lower() if lca.lemma_ else lca.lower_] + ["v" + d for d in reversed(right)]


def pair_features(text: str, pair: Pair, others: list[tuple[int, int, str]], sdoc=None) -> dict[str, float]:
    """Sparse features of one candidate pair. `others` are the unit's other mentions, masked in the words."""
    a, b = pair.a, pair.b
    ta, tb = a[2], b[2]
    f: dict[str, float] = {f"types={ta}>{tb}": 1.0, "bias": 1.0}
    between = text[a[1]:b[0]]
    for o in others:
        if o[0] >= a[1] and o[1] <= b[0] and o not in (a, b):
            rel_s, rel_e = o[0] - a[1], o[1] - a[1]
            between = between[:rel_s] + f" E{o[2][:3].upper()} ".ljust(rel_e - rel_s) + between[rel_e:]
    bw = _words(between)
    n_other = sum(1 for o in others if o[0] >= a[1] and o[1] <= b[0] and o not in (a, b))
    f[f"n_between={min(len(bw), 12) // 3}"] = 1.0
    f[f"others_between={min(n_other, 3)}"] = 1.0
    f[f"cross={pair.cross}"] = 1.0
    for w in bw[:25]:
        f[f"bw={w}"] = 1.0
        f[f"bw|{ta}>{tb}={w}"] = 1.0
    for x, y in zip(bw, bw[1:]):
        f[f"bb={x}_{y}"] = 1.0
    if bw:
        f[f"first_bw={bw[0]}"] = 1.0
        f[f"last_bw={bw[-1]}"] = 1.0
    if len(bw) <= 3:
        f["short=" + "_".join(bw)] = 1.0
    before = _words(text[max(pair.unit[0], a[0] - 60):a[0]])[-4:]
    after = _words(text[b[1]:min(pair.unit[1], b[1] + 60)])[:4]
    for w in before:
        f[f"before={w}"] = 1.0
    for w in after:
        f[f"after={w}"] = 1.0
    if before:
        f[f"before1={before[-1]}"] = 1.0
    if after:
        f[f"after1={after[0]}"] = 1.0
    if "(" in between[:3] and ")" not in between:
        f["paren_open"] = 1.0
    if between.strip() in {",", "(", "-", "–", "—"}:
        f[f"punct_only={between.strip()}|{ta}>{tb}"] = 1.0
    if "\n" in between:
        f["newline_between"] = 1.0
    path = _dep_path(sdoc, a, b) if not pair.cross else []
    if path:
        f["path=" + "_".join(path)] = 1.0
        f[f"path|{ta}>{tb}=" + "_".join(path)] = 1.0
        for p in path:
            if not p.startswith(("^", "v")):
                f[f"lca={p}"] = 1.0
        f[f"pathlen={min(len(path), 8)}"] = 1.0
    return f


class RelationModel:
    """A multinomial logistic regression over `pair_features`, read from its JSON weights."""

    def __init__(self, data: dict):
        self.classes: list[str] = data["classes"]
        self.intercept: list[float] = data["intercept"]
        self.weights: dict[str, list[tuple[int, float]]] = {k: [tuple(x) for x in v] for k, v in data["weights"].items()}
        self.threshold: float = data.get("threshold", 0.5)
        self.meta: dict = data.get("meta", {})

    def probabilities(self, feats: dict[str, float]) -> list[float]:
        z = list(self.intercept)
        for name, val in feats.items():
            for k, w in self.weights.get(name, ()):
                z[k] += w * val
        m = max(z)
        ex = [math.exp(v - m) for v in z]
        s = sum(ex)
        return [v / s for v in ex]

    def predict(self, feats: dict[str, float]) -> tuple[str, float]:
        """The best label ('none' or 'relation' / 'relation<' for a reversed pair) and its probability."""
        probs = self.probabilities(feats)
        k = max(range(len(probs)), key=probs.__getitem__)
        return self.classes[k], probs[k]


@functools.cache
def load_relation_model(path: str | None = None) -> RelationModel | None:
    """The trained relation model, or None when none is installed."""
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    return RelationModel(json.loads(p.read_text(encoding="utf-8")))


def decode(label: str, pair: Pair) -> tuple[str, tuple, tuple] | None:
    """(relation, source, target) for a predicted label, or None for 'none' and type-invalid labels."""
    if label == "none":
        return None
    rel, rev = (label[:-1], True) if label.endswith("<") else (label, False)
    src, tgt = (pair.b, pair.a) if rev else (pair.a, pair.b)
    if (src[2], tgt[2]) not in RELATION_ENDS.get(rel, ()):
        return None
    return rel, src, tgt


def label_of(relation: str, src: tuple, tgt: tuple, pair: Pair) -> str:
    """The training label of a gold relation on a pair: direction folded into a '<' suffix."""
    if relation == "partners_with":
        return relation
    return relation if (src, tgt) == (pair.a, pair.b) else relation + "<"
