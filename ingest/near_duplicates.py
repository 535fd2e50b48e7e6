"""Near-duplicate names across documents: one body written two ways ("Harrowby Council",
"Harrowby Borough Council") that no string rule joined.

Two entities of one type from different documents are joined when the cosine of their names'
embeddings reaches a threshold AND a string guard holds: the longer name adds only words that say
what kind of thing it is ("Borough", "Council", "Trust"), or one long word lost or gained a letter;
an acronym joins the one name of its type in the corpus whose initials it spells. The guard is what keeps
"Harrowby Council" from "Fenmoor Council" (close vectors, different bodies); the cosine is what
keeps "University of Oxford" from "Oxford University Hospitals". Only names that could pass the
guard are paired (by keys: their distinctive words), so a refresh embeds tens of names, not every
name in the corpus, and a store keeps the vectors it made (by name) for the next refresh.

Set with CASEGRAPH_VECTOR_MERGE: `off` (the default: on the evaluation sets it changed nothing, see
docs/merges.md), `on` (threshold DEFAULT_THRESHOLD) or a threshold such as `0.9`.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Sequence

from . import patterns as P

__all__ = ["DEFAULT_THRESHOLD", "TYPES", "NameGroup", "VectorMerge", "vector_merge_setting", "guard", "acronym_of",
           "near_pairs"]

DEFAULT_THRESHOLD = 0.85
# People are left out: two people's names embed close ("Jane Smith", "Jane Smyth") and a slip of
# spelling cannot be told from another person; outcomes are measures, not names.
TYPES = ("organisation", "programme", "place")
# A key more names than this share says little about which body is meant: they are left alone
MAX_BLOCK = 40
_SMALL = {"of", "for", "and", "the", "&", "upon", "on", "in", "to", "de", "a", "an", "at", "by"}
# Words that say what kind of thing a name is, not which one: a longer name may add these and still
# name the same thing ('Harrowby Council', 'Harrowby Borough Council'); any other added word makes a
# different one ('Management Team', 'Corporate Management Team').
_KIND = set(P.ORG_SUFFIX) | set(P.PROGRAMME_SUFFIX) | set(P.PLACE_SUFFIX) \
    | {"metropolitan", "county", "city", "district", "borough", "nhs", "foundation", "trust", "ltd", "limited",
       "llp", "plc", "cic", "uk", "england", "scotland", "wales"}


def vector_merge_setting() -> float | None:
    """The cosine threshold CASEGRAPH_VECTOR_MERGE sets, or None when vector merging is off."""
    value = os.environ.get("CASEGRAPH_VECTOR_MERGE", "off").strip().lower()
    if value in ("", "off", "0", "no", "false"):
        return None
    if value in ("on", "1", "yes", "true"):
        return DEFAULT_THRESHOLD
    try:
        threshold = float(value)
    except ValueError:
        threshold = -1.0
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"CASEGRAPH_VECTOR_MERGE={value!r}: use off, on, or a cosine threshold between 0 and 1 "
                         f"(such as {DEFAULT_THRESHOLD})")
    return threshold


@dataclass
class VectorMerge:
    """What vector merging needs: the threshold, a name embedder (names -> unit rows) and the name
    vectors known already (filled in as names are embedded; `used` lists the names this run read)."""

    threshold: float
    embed: Callable[[list[str]], object]
    cache: dict = field(default_factory=dict)
    used: set = field(default_factory=set)


class NameGroup(NamedTuple):
    """Entities already joined: their type, distinct names and documents. (A tuple: tens of
    thousands are made per refresh, and a frozen dataclass took five times as long to make.)"""

    type: str
    names: tuple[str, ...]
    docs: frozenset


_THE = re.compile(r"^the\s+")
_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=200_000)
def _words(name: str) -> tuple[str, ...]:
    text = _THE.sub("", unicodedata.normalize("NFKC", name).lower().replace("’", "'").strip())
    return tuple(w for w in _WORD.findall(text.replace("'s ", " ").replace("&", " and ")) if w not in _SMALL)


@functools.lru_cache(maxsize=200_000)
def _initials(name: str) -> str:
    return "".join(w[0] for w in _words(name))


def guard(a: str, b: str) -> tuple[float, str] | None:
    """(score, why) when names `a` and `b` may name one thing by their letters, else None: the longer
    adds only kind words to the shorter (score: the share of the longer's words in the shorter), or
    one long word lost or gained a letter (score: the spelling ratio)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb or wa == wb:
        return None
    short, long_ = (set(wa), set(wb)) if len(wa) <= len(wb) else (set(wb), set(wa))
    if short <= long_ and short - _KIND and long_ - short <= _KIND:
        return round(len(short) / len(long_), 2), "the longer name adds only kind words"
    if len(wa) == len(wb) >= 2:
        differ = [(x, y) for x, y in zip(wa, wb) if x != y]
        # A letter dropped or doubled in a long word ('Harowby'); a letter changed is left alone, it
        # is as often another name ('Stanford', 'Stamford'), and so is any change in a kind word.
        if len(differ) == 1 and min(map(len, differ[0])) >= 7 and not set(differ[0]) & _KIND:
            from rapidfuzz.distance import Indel

            if Indel.distance(*differ[0]) == 1:
                from rapidfuzz import fuzz

                return round(fuzz.ratio(" ".join(wa), " ".join(wb)) / 100, 2), "a long word lost or gained a letter"
    return None


def acronym_of(short: str, long_: str) -> bool:
    """True when `short` is written as an acronym (2-8 capitals) spelling the initials of `long_`'s words."""
    acr = short.replace(" ", "").replace(".", "")
    return 2 <= len(acr) <= 8 and acr.isalpha() and acr.isupper() and len(_words(long_)) >= 2 \
        and acr.lower() == _initials(long_)


@functools.lru_cache(maxsize=200_000)
def _keys(name: str) -> tuple[str, ...]:
    """Keys two names share when `guard` may pass them: their distinctive (not kind) words; and, for
    each long word, the other words with that word's first letter (a slip of one letter elsewhere in
    it keeps those)."""
    words = _words(name)
    core = sorted({w for w in words if w not in _KIND})
    if not core:
        return ()
    keys = [" ".join(core)]
    if len(words) >= 2:
        keys.extend(" ".join(words[:p] + (w[0] + "*",) + words[p + 1:]) for p, w in enumerate(words)
                    if len(w) >= 7 and w not in _KIND)
    return tuple(keys)


def near_pairs(groups: Sequence[NameGroup], vm: VectorMerge) -> list[tuple[int, int, str, float | None, str]]:
    """Pairs (i, j, stage, cosine, why) of `groups` to join, surest first. Both of one type with no
    document in common (a document's own resolution saw both names and kept them apart), and either
    the guard passed and the names' cosine reaches the threshold (stage "vector"), or one is an
    acronym spelling the initials of exactly one name of that type in the corpus (stage "alias":
    vectors cannot judge an acronym, 'HBC' and its body embed far apart)."""
    import numpy as np

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    initials: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, g in enumerate(groups):
        if g.type not in TYPES:
            continue
        for key in {k for n in g.names for k in _keys(n)}:
            blocks[(g.type, key)].append(i)
        for n in g.names:
            if len(_words(n)) >= 2:
                initials[(g.type, _initials(n))].add(i)
    out: list[tuple[int, int, str, float | None, str]] = []
    for i, g in enumerate(groups):
        for n in g.names if g.type in TYPES else ():
            if not n.isupper():
                continue  # not written as an acronym
            targets = initials.get((g.type, n.replace(" ", "").replace(".", "").lower()), set()) - {i}
            if len(targets) == 1:
                j = next(iter(targets))
                full = next((m for m in groups[j].names if acronym_of(n, m)), None)
                if full is not None and not g.docs & groups[j].docs:
                    out.append((min(i, j), max(i, j), "alias", None,
                                f'"{n}" spells the initials of "{full}", the one {g.type} of the corpus that it could name'))
    # the name pair and the guard's verdict of each candidate group pair
    found: dict[tuple[int, int], tuple[str, str, float, str]] = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if (i, j) in found or groups[i].docs & groups[j].docs:
                    continue
                best = None
                for a in groups[i].names:
                    for b in groups[j].names:
                        g = guard(a, b)
                        if g is not None and (best is None or g[0] > best[2]):
                            best = (a, b, *g)
                if best is not None:
                    found[(i, j)] = best
    if found:
        names = sorted({n for a, b, _, _ in found.values() for n in (a, b)})
        vm.used.update(names)
        todo = [n for n in names if n not in vm.cache]
        if todo:
            vm.cache.update(zip(todo, np.asarray(vm.embed(todo), dtype="float32")))
        for (i, j), (a, b, score, why) in found.items():
            cosine = round(float(np.dot(vm.cache[a], vm.cache[b])), 4)
            if cosine >= vm.threshold:
                out.append((i, j, "vector", cosine, f'"{a}" ~ "{b}": cosine {cosine:.3f} >= {vm.threshold}; '
                                                    f"guard {score:.2f}: {why}"))
    return sorted(set(out), key=lambda p: (p[3] is not None, -(p[3] or 0.0), p[0], p[1], p[4]))
