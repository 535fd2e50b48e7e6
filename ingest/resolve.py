"""Entity resolution: one entity per real-world thing, within a document and across the corpus.

Mentions are keyed by a forgiving name key (case, spacing, line breaks, possessives, plurals and
a leading "the" do not matter), acronyms defined in the text ("Oxford University Hospitals (OUH)")
or matching a name's initials join that name, and the entity's type is a weighted vote over
its mentions (a typed head word outweighs spaCy's label).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Sequence

from . import patterns as P
from .records import DocRecords, Entity, MergeDecision, Relation, entity_id
from .text import QUOTES, name_key

__all__ = ["resolve_corpus", "resolve_corpus_logged", "resolve_mentions", "build_entities", "contains_surface", "Cluster"]

_WS = re.compile(r"\s+")
_SMALL = {"of", "for", "and", "the", "&", "upon", "on", "in", "to", "de"}


def _norm_surface(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).translate(QUOTES)).strip().lower()


def contains_surface(evidence: str, forms: Sequence[str]) -> bool:
    """True when the evidence text holds one of the surface forms (case, spacing and quotes ignored)."""
    ev = _norm_surface(evidence)
    return any(f and _norm_surface(f) in ev for f in forms)


def _initials(name: str, with_small: bool) -> str:
    words = re.findall(r"[A-Za-z][\w’']*", name)
    return "".join(w[0] for w in words if with_small or w.lower() not in _SMALL).upper()


def _is_acronym(surface: str) -> bool:
    s = surface.replace(" ", "")
    if " " in surface.strip() or not 2 <= len(s) <= 10:
        return False
    # 'OUH', 'GS360', and a company's lower-case-led short form 'i4B'
    return sum(c.isupper() for c in s) >= 2 and s[0].isupper() or any(c.isdigit() for c in s) and any(c.isupper() for c in s)


@dataclass
class Cluster:
    """Mentions believed to name one thing, with their type and sector votes."""

    types: Counter = field(default_factory=Counter)
    sectors: Counter = field(default_factory=Counter)
    surfaces: Counter = field(default_factory=Counter)
    aliases: set = field(default_factory=set)
    count: int = 0

    @property
    def type(self) -> str:
        return max(sorted(self.types), key=lambda t: self.types[t])

    @property
    def sector(self) -> str | None:
        if self.type != "organisation":
            return None
        if self.sectors:
            return max(sorted(self.sectors), key=lambda s: self.sectors[s])
        return P.sector_of(self.name)

    @property
    def name(self) -> str:
        forms = sorted(self.surfaces)
        full = [f for f in forms if not _is_acronym(f)] or forms
        return max(full, key=lambda f: (self.surfaces[f], len(f)))

    def absorb(self, other: "Cluster") -> None:
        self.types.update(other.types)
        self.sectors.update(other.sectors)
        self.surfaces.update(other.surfaces)
        self.aliases |= other.aliases
        self.count += other.count


@dataclass
class Resolution:
    clusters: list[Cluster]
    assignment: list[Cluster | None]


def resolve_mentions(text: str, raw: list[tuple[str, str, int, str | None, str]],
                     acronyms: dict[int, str], log: list | None = None) -> Resolution:
    """Group one document's mentions (surface, type, weight, sector, alias) into clusters. `log` gets one
    (step, name, type, mention index, why) for each name a step merged into another's cluster."""
    by_key: dict[str, Cluster] = {}
    assignment: list[Cluster | None] = []
    for surface, type_, weight, sector, alias in raw:
        key = name_key(surface)
        if not key:
            assignment.append(None)
            continue
        cl = by_key.get(key)
        if cl is None:
            cl = by_key[key] = Cluster()
        cl.types[type_] += weight
        if sector:
            cl.sectors[sector] += weight
        cl.surfaces[surface] += 1
        if alias and alias != surface:
            cl.aliases.add(alias)
        cl.count += 1
        assignment.append(cl)
    if log is not None:
        firsts: dict[tuple[int, str], int] = {}
        for k, (surface, *_rest) in enumerate(raw):
            if assignment[k] is not None:
                firsts.setdefault((id(assignment[k]), _WS.sub(" ", surface)), k)
        for (cid, surface), k in firsts.items():
            cl = assignment[k]
            if surface != cl.name:
                log.append(("name_key", surface, raw[k][1], k, "the same name but for case, spacing, quotes, "
                                                              "'the', a possessive or a plural"))
    before = list(assignment) if log is not None else None
    # acronyms defined in the text join their long form
    for k, acr in sorted(acronyms.items()):
        long_cl = assignment[k]
        if long_cl is None:
            continue
        long_cl.aliases.add(acr)
        # the form the report introduces it by ('Parkway 200 (PW200)') is how readers cite it too
        long_cl.aliases.add(f"{raw[k][0]} ({acr})")
        short_cl = by_key.get(name_key(acr))
        if short_cl is not None and short_cl is not long_cl and long_cl.types:
            short_cl.types.clear()  # the defined name's head word types it; spaCy's label on the bare acronym does not
        _merge_key(by_key, assignment, name_key(acr), long_cl)
    _log_merges(log, "defined_acronyms", "the text defines the acronym right after the name", before, assignment)
    before = list(assignment) if log is not None else None
    # undefined acronyms join the one multi-word name whose initials they spell
    for key, cl in list(by_key.items()):
        if by_key.get(key) is not cl or not any(_is_acronym(s) for s in cl.surfaces) or len(cl.surfaces) > 1:
            continue
        acr = next(iter(cl.surfaces)).upper()
        matches = {id(o): o for k2, o in by_key.items() if o is not cl and len(o.name.split()) >= 2 and o.type in {"organisation", "programme"}
                   and acr in {_initials(o.name, False), _initials(o.name, True)}}
        if len(matches) == 1:
            target = next(iter(matches.values()))
            target.aliases.add(next(iter(cl.surfaces)))
            _merge_key(by_key, assignment, key, target)
    _log_merges(log, "initials", "an acronym spelling the initials of the one longer name", before, assignment)
    for step in (_merge_person_variants, _merge_short_bodies, _merge_body_variants, _merge_partial_bodies,
                 _merge_initial_heads, _merge_nation_suffix, _merge_programme_tails):
        before = list(assignment) if log is not None else None
        step(by_key, assignment)
        _log_merges(log, step.__name__.lstrip("_"), " ".join((step.__doc__ or "").split()), before, assignment)
    clusters = []
    seen = set()
    for cl in assignment:
        if cl is not None and id(cl) not in seen:
            seen.add(id(cl))
            clusters.append(cl)
    return Resolution(clusters, assignment)


def _log_merges(log: list | None, step: str, why: str, before: list | None, assignment: list) -> None:
    """Record in `log` each cluster that `step` folded into another (once, at its first mention)."""
    if log is None or before is None:
        return
    seen = set()
    for k, (old, new) in enumerate(zip(before, assignment)):
        if old is not None and old is not new and id(old) not in seen:
            seen.add(id(old))
            # a defined acronym's own type votes were cleared: it takes the type of the name it joined
            log.append((step, old.name, old.type if old.types else new.type, k, why[:200]))


def _given_fits(short: str, full: str) -> bool:
    """'R.' or 'Matt' can stand for 'Richard' / 'Matthew' (an initial or a shortened given name)."""
    short, full = short.rstrip(".").lower(), full.rstrip(".").lower()
    if short == full or not short or not full:
        return False
    return (len(short) == 1 and full.startswith(short)) or (len(short) >= 3 and full.startswith(short))


def _merge_person_variants(by_key: dict[str, Cluster], assignment: list) -> None:
    """Join 'R. Tolland' / 'Sam Reed' to the one longer person name of the document they abbreviate."""
    people = {id(cl): cl for cl in by_key.values() if cl.type == "person" and len(cl.name.split()) >= 2}
    for cl in [c for c in by_key.values() if c.type == "person" and len(c.name.split()) == 1]:
        # a lone given name ('Diarmaid is ...') is the one person of the document who has it
        fits = {id(o): o for o in people.values() if o.name.split()[0] == cl.name}
        if len(fits) == 1 and _owns(by_key, cl):
            _merge_key(by_key, assignment, name_key(cl.name), next(iter(fits.values())))
    for cl in sorted(people.values(), key=lambda c: len(c.name)):
        if not _owns(by_key, cl):
            continue
        words = cl.name.split()
        fits = {id(o): o for o in people.values() if o is not cl and _owns(by_key, o)
                and o.name.split()[-1] == words[-1] and len(o.name.split()) == len(words)
                and _given_fits(words[0], o.name.split()[0])}
        if len(fits) == 1:
            _fold_into(by_key, assignment, cl, next(iter(fits.values())))


def _clusters(by_key: dict[str, "Cluster"], *types: str) -> list["Cluster"]:
    """The distinct clusters of `types` in `by_key` (several keys may point at one cluster), in first-seen order."""
    return [cl for cl in {id(c): c for c in by_key.values()}.values() if cl.type in types]


def _owns(by_key: dict[str, "Cluster"], cl: "Cluster") -> bool:
    """True while `cl` is the cluster its own name's key points at (not yet folded into another)."""
    return by_key.get(name_key(cl.name)) is cl


def _merge_short_bodies(by_key: dict[str, Cluster], assignment: list) -> None:
    """Join a head-less body name ('ClearPath') to the one longer body name it begins ('ClearPath Studio')."""
    bodies = _clusters(by_key, "organisation")
    for cl in bodies:
        words = cl.name.split()
        if not _owns(by_key, cl) or cl.name.isupper() or len(words) > 2 \
                or words[-1].lower() in P.ORG_SUFFIX or words[-1].lower() in P.PROGRAMME_SUFFIX:
            continue  # a name with its own head word ('Cabinet Office') is a body of its own
        fits = {id(o): o for o in bodies if o is not cl and _owns(by_key, o)
                and o.name.split()[:len(words)] == words and len(o.name.split()) > len(words)}
        if len(fits) == 1:
            _fold_into(by_key, assignment, cl, next(iter(fits.values())))


_COUNCIL_KIND = re.compile(r"^(?P<area>.+?) (?P<kind>(?:(?:Metropolitan|Borough|County|City|District) )*(?:Council|MBC))$")
_UNIVERSITY = re.compile(r"^(?:University of (?P<a>[A-Z][\w’' -]+)|(?P<b>[A-Z][\w’' -]+?) University)$")


def _variant_key(name: str) -> tuple[str, frozenset[str]] | None:
    """(area or town key, qualifier words) of a council ('X MBC' = 'X Metropolitan Borough Council') or university
    ('X University' = 'University of X'); None for other names."""
    m = _UNIVERSITY.match(name)
    if m:
        return "university:" + name_key(m.group("a") or m.group("b")), frozenset()
    m = _COUNCIL_KIND.match(name)
    if not m:
        return None
    kind = m.group("kind").lower().replace("mbc", "metropolitan borough council").split()
    return "council:" + name_key(m.group("area")), frozenset(kind) - {"council"}


def _merge_body_variants(by_key: dict[str, Cluster], assignment: list) -> None:
    """One body for the forms of its name a report mixes: 'X MBC', 'X Borough Council' and 'X Metropolitan Borough
    Council'; 'X University' and 'University of X'. A bare form joins the fuller one only when one fits
    ('X County Council' and 'X City Council' are two bodies)."""
    bodies = _clusters(by_key, "organisation")
    keyed = [(cl, _variant_key(cl.name)) for cl in bodies]
    keyed = [(cl, k) for cl, k in keyed if k is not None]
    # fullest forms first: 'X MBC' joins 'X Metropolitan Borough Council' before 'X Borough Council' looks for a home
    for cl, (area, kind) in sorted(keyed, key=lambda x: (-len(x[1][1]), len(x[0].name), x[0].name)):
        if not _owns(by_key, cl):
            continue
        fits = {id(o): o for o, (a2, k2) in keyed if o is not cl and a2 == area and kind <= k2
                and _owns(by_key, o) and (kind < k2 or len(o.name) > len(cl.name))}
        fullest = {id(o): o for o in fits.values() if not any(_variant_key(o.name)[1] < _variant_key(x.name)[1]
                                                             for x in fits.values())}
        if len(fullest) == 1 and not any(not (_variant_key(x.name)[1] <= _variant_key(y.name)[1] or
                                              _variant_key(y.name)[1] <= _variant_key(x.name)[1])
                                         for x in fits.values() for y in fits.values()):
            _fold_into(by_key, assignment, cl, next(iter(fullest.values())))


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _merge_partial_bodies(by_key: dict[str, Cluster], assignment: list) -> None:
    """A report shortens a body's name by dropping words ('the Challenge Panel', 'the Reform Panel' for 'the Reform
    Challenge Panel'): a name whose words, head word last, run in order through exactly one nearest longer body
    name with that head is that body."""
    bodies = _clusters(by_key, "organisation", "place")
    for cl in sorted(bodies, key=lambda c: (len(c.name.split()), c.name)):
        words = [w.lower() for w in cl.name.split()]
        # a facility too ('the Marsh Leisure Centre' for 'Marsh Pools & Leisure Centre'); towns never ('Somerset')
        heads = P.ORG_SUFFIX if cl.type == "organisation" else P.PLACE_SUFFIX
        if not _owns(by_key, cl) or len(words) < 2 or _is_acronym(cl.name) \
                or words[-1] not in heads or words[0] in _SMALL:
            continue
        fits = [o for o in bodies if o is not cl and o.type == cl.type and _owns(by_key, o)
                and len(o.name.split()) > len(words) and o.name.split()[-1].lower() == words[-1]
                and _subsequence(words, [w.lower() for w in o.name.split()])]
        # the nearest: a chain of ever longer forms ('Reform Challenge Panel', 'Service Reform Challenge Panel') is one
        nearest = [o for o in fits if not any(x is not o and _subsequence([w.lower() for w in x.name.split()],
                                                                          [w.lower() for w in o.name.split()]) for x in fits)]
        chain = all(_subsequence([w.lower() for w in nearest[0].name.split()], [w.lower() for w in o.name.split()])
                    for o in fits) if len(nearest) == 1 else False
        if chain:
            _fold_into(by_key, assignment, cl, nearest[0])


def _merge_initial_heads(by_key: dict[str, Cluster], assignment: list) -> None:
    """'GV Lab' for 'Green Valley Lab': initials of the words before a kept head word name the one body whose
    name they abbreviate."""
    bodies = _clusters(by_key, "organisation", "programme")
    for cl in bodies:
        words = cl.name.split()
        if len(words) != 2 or not re.fullmatch(r"[A-Z]{2,5}", words[0]) or not _owns(by_key, cl) \
                or words[1].lower() not in (P.ORG_SUFFIX if cl.type == "organisation" else P.PROGRAMME_SUFFIX):
            continue
        # 'Better Lives Outcome (BLO) SIBs' spells 'BLO SIBs' too: the acronym inside is no initial of its own
        fits = {id(o): o for o in bodies if o is not cl and o.type == cl.type and _owns(by_key, o)
                and o.name.split()[-1] == words[1]
                and _initials(re.sub(r"\([^()]*\)", " ", " ".join(o.name.split()[:-1])), False) == words[0]}
        if len(fits) == 1:
            _fold_into(by_key, assignment, cl, next(iter(fits.values())))


_NATIONS = ("England", "Scotland", "Wales", "Northern Ireland", "UK")


def _merge_nation_suffix(by_key: dict[str, Cluster], assignment: list) -> None:
    """'the Crafts Council' for 'Crafts Council England': a body named with its nation is the one body of that name."""
    bodies = _clusters(by_key, "organisation")
    names = {cl.name: cl for cl in bodies}
    for cl in bodies:
        if len(cl.name.split()) < 2 or not _owns(by_key, cl):
            continue
        fits = {id(o): o for nation in _NATIONS if (o := names.get(f"{cl.name} {nation}")) is not None
                and _owns(by_key, o)}
        if len(fits) == 1:
            _fold_into(by_key, assignment, cl, next(iter(fits.values())))


def _merge_programme_tails(by_key: dict[str, Cluster], assignment: list) -> None:
    """'Better Starts' and 'Better Starts Programme' name one initiative: a programme word
    closing a name ('programme', 'project', 'scheme') adds nothing to it."""
    progs = _clusters(by_key, "programme")
    for cl in progs:
        words = cl.name.split()
        if len(words) < 3 or words[-1].lower() not in P.PROGRAMME_TAILS or not _owns(by_key, cl):
            continue
        short = by_key.get(name_key(" ".join(words[:-1])))
        # spaCy often calls the bare form an organisation; a body's own head word ('X Council') keeps it one
        if short is not None and short is not cl and (short.type == "programme" or short.type == "organisation"
                                                      and short.name.split()[-1].lower() not in P.ORG_SUFFIX):
            _fold_into(by_key, assignment, short, cl)


def _fold_into(by_key: dict[str, Cluster], assignment: list, cl: Cluster, target: Cluster) -> None:
    """Make `cl` part of `target`: its surfaces become aliases, every key of it points at `target`."""
    target.aliases.update(cl.surfaces)
    for k in [k for k, v in by_key.items() if v is cl]:
        _merge_key(by_key, assignment, k, target)


def _merge_key(by_key: dict[str, Cluster], assignment: list, key: str, target: Cluster) -> None:
    other = by_key.get(key)
    if other is None or other is target:
        by_key[key] = target
        return
    target.absorb(other)
    for k, v in list(by_key.items()):
        if v is other:
            by_key[k] = target
    for i, v in enumerate(assignment):
        if v is other:
            assignment[i] = target


def build_entities(clusters: list[Cluster], doc: str) -> tuple[list[Entity], dict[int, Entity]]:
    """One Entity per cluster (clusters whose ids collide are one entity); map id(cluster) -> Entity."""
    by_id: dict[str, Entity] = {}
    owner: dict[int, str] = {}
    for cl in clusters:
        name = cl.name
        eid = entity_id(cl.type, name)
        aliases = set(cl.surfaces) | cl.aliases
        prev = by_id.get(eid)
        if prev is not None:
            aliases |= set(prev.aliases) | {prev.name}
        aliases.discard(name)
        by_id[eid] = Entity(id=eid, type=cl.type, name=name, aliases=tuple(sorted(aliases)), docs=(doc,),
                            sector=(prev.sector if prev and prev.sector else cl.sector),
                            mentions=(prev.mentions if prev else 0) + cl.count)
        owner[id(cl)] = eid
    return list(by_id.values()), {k: by_id[v] for k, v in owner.items()}


def resolve_corpus(records: Sequence[DocRecords], *, rules=None, vectors=None,
                   origins: dict | None = None) -> tuple[list[Entity], list[Relation]]:
    """Merge per-document entities into one entity per real-world thing; rewrite relation ids.
    `rules` (a merge file's `MergeRules`) and `vectors` (a `VectorMerge`): see `resolve_corpus_logged`.
    `origins` gets, per resolved entity id, the per-document entities that became it (for `graph.explain`)."""
    entities, relations, _ = resolve_corpus_logged(records, rules=rules, vectors=vectors, origins=origins)
    return entities, relations


class _Joins:
    """Union-find over the corpus's per-document entities that refuses a join a [[never]] rule forbids
    and notes every join and refusal (index pairs; ids are known only once the groups are built)."""

    def __init__(self, ents: list[Entity], never: list) -> None:
        self.parent = list(range(len(ents)))
        self.notes: list[tuple[int, int, str, float | None, str]] = []
        # root -> {(rule index, name index)}: which never-rule names the group's entities carry (by
        # name, not alias: an alias is how one document wrote it, the rule is about bodies)
        self.labels: dict[int, set] = {}
        self.never = never
        if never:
            keys: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for r, rule in enumerate(never):
                for n, name in enumerate(rule.names):
                    keys[name_key(name)].append((r, n))
            for i, e in enumerate(ents):
                hits = {(r, n) for r, n in keys.get(name_key(e.name), ()) if never[r].type in (None, e.type)}
                if hits:
                    self.labels[i] = hits

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int, stage: str, score: float | None, why: str | None) -> bool:
        """Join i's group and j's; False when they were one already or a [[never]] rule forbids it."""
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        if self.labels:
            clash = self._clash(self.labels.get(a, ()), self.labels.get(b, ()))
            if clash is not None:
                self.notes.append((i, j, "never", None, f"{clash.where} keeps {_quoted(clash.names)} apart; "
                                                        f"refused a {stage} merge" + (f" ({why})" if why else "")))
                return False
        self.parent[max(a, b)] = min(a, b)
        if self.labels and (a in self.labels or b in self.labels):
            self.labels[min(a, b)] = self.labels.pop(a, set()) | self.labels.pop(b, set())
        if why is not None:
            self.notes.append((i, j, stage, score, why))
        return True

    def _clash(self, la, lb):
        if not la or not lb:
            return None
        for r in {r for r, _ in la} & {r for r, _ in lb}:
            if {n for r2, n in la if r2 == r}.isdisjoint({n for r2, n in lb if r2 == r}):
                return self.never[r]
        return None


def _quoted(names) -> str:
    return " and ".join(f'"{n}"' for n in names)


def _where(e: Entity) -> str:
    return ", ".join(e.docs)


def resolve_corpus_logged(records: Sequence[DocRecords], *, rules=None, vectors=None, origins: dict | None = None
                          ) -> tuple[list[Entity], list[Relation], list[MergeDecision]]:
    """`resolve_corpus` with the merge file's `rules` applied (merge, never, rename, retype) and, with
    `vectors`, near-duplicate names of one type joined (see near_duplicates.py); also returns every
    cross-document decision, sorted (joins of differing names, refusals, renames)."""
    from .merges import MergeRules, apply_renames

    rules = rules or MergeRules()
    ents: list[Entity] = []
    for rec in sorted(records, key=lambda r: r.document.doc):
        ents.extend(sorted(rec.entities, key=lambda e: e.id))
    joins = _Joins(ents, rules.of("never"))

    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, e in enumerate(ents):
        group = "person" if e.type == "person" else ("outcome" if e.type == "outcome" else "named")
        by_name[(group, name_key(e.name))].append(i)
    for idxs in by_name.values():
        first = ents[idxs[0]]
        for j in idxs[1:]:
            e = ents[j]
            # one name in two documents is no decision worth a line; another spelling or type is
            why = None if (e.name == first.name and e.type == first.type) else \
                f'"{e.name}" ({e.type}, {_where(e)}) and "{first.name}" ({first.type}, {_where(first)}) share a name key'
            joins.union(idxs[0], j, "string", None, why)
    for i, e in enumerate(ents):
        if e.type in {"outcome"}:
            continue
        group = "person" if e.type == "person" else "named"
        for alias in e.aliases:
            if _generic_reference(alias):
                continue  # 'the Council' names a different council in each document
            targets = by_name.get((group, name_key(alias)), [])
            # an alias links to another document's entity only when it names exactly one thing
            roots = {joins.find(t) for t in targets if ents[t].type == e.type or not _is_acronym(alias)}
            if len(roots) == 1:
                root = next(iter(roots))
                joins.union(root, i, "alias", None,
                            f'"{e.name}" ({_where(e)}) has the alias "{alias}", the name of "{ents[root].name}" ({_where(ents[root])})')
    merges = rules.of("merge")
    if merges:
        wanted = {name_key(n) for rule in merges for n in rule.names}
        index: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(ents):
            for form in {name_key(e.name), *map(name_key, e.aliases)} & wanted:
                index[form].append(i)
        for rule in merges:
            hits = sorted({i for n in rule.names for i in index.get(name_key(n), ()) if rule.type in (None, ents[i].type)})
            for j in hits[1:]:
                joins.union(hits[0], j, "merge-file", None, f"{rule.where} merges {_quoted(rule.names)}")
    if vectors is not None:
        _join_near_duplicates(ents, joins, vectors)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ents)):
        groups[joins.find(i)].append(i)
    council_places = _council_place_keys(records)
    renamed = {name_key(rule.names[0]) for rule in rules.rules if rule.kind in ("rename", "retype")}
    id_map: dict[str, str] = {}
    merged: dict[str, Entity] = {}
    final: dict[int, str] = {}  # group root -> its entity's id
    later: list[tuple[int, str, str, str]] = []  # (root, stage, merged, why) of decisions on whole entities
    for root, members in groups.items():
        es = [ents[i] for i in members]
        merged_ent = _merge_entities(es)
        if merged_ent.type == "organisation" and any(e.type == "place" and name_key(e.name) in council_places for e in es) \
                and all(e.type == "place" or name_key(e.name) in council_places for e in es):
            # 'Dunmore' names a council's area in one report: spaCy's body label in another is the same place
            merged_ent = _merge_entities([replace(e, type="place", sector=None) for e in es])
        if joins.labels.get(root):
            merged_ent = _drop_never_aliases(merged_ent, joins, root, later)
        if renamed and (name_key(merged_ent.name) in renamed or any(name_key(a) in renamed for a in merged_ent.aliases)):
            merged_ent, notes = apply_renames(merged_ent, rules)
            later.extend((root, *note) for note in notes)
        if merged_ent.id in merged:
            merged_ent = _merge_entities([merged[merged_ent.id], merged_ent])
        merged[merged_ent.id] = merged_ent
        final[root] = merged_ent.id
        for e in es:
            id_map[e.id] = merged_ent.id
        if origins is not None:
            origins.setdefault(merged_ent.id, []).extend(es)
        if origins is not None:
            origins.setdefault(merged_ent.id, []).extend(es)
    # ids that collided across groups: point them at the final entity
    rels = set()
    for rec in records:
        for r in rec.relations:
            src, tgt = id_map.get(r.source, r.source), id_map.get(r.target, r.target)
            if src == tgt:
                continue
            # most relations keep their ends: copying each one (dataclasses.replace) was a third
            # of resolving 500 reports
            rels.add(r if src == r.source and tgt == r.target else replace(r, source=src, target=tgt))
    relations = sorted(rels, key=lambda r: (r.doc, r.start, r.source, r.target, r.relation, r.role or ""))
    decisions = set()
    for i, j, stage, score, why in joins.notes:
        kept = final[joins.find(i)]
        if stage == "never":
            other = final[joins.find(j)]
            decisions.add(MergeDecision(kept, other, stage, score, why))
            continue
        name = ents[j].name if ents[j].name != merged[kept].name else ents[i].name
        decisions.add(MergeDecision(kept, name, stage, score, why))
    for root, stage, name, why in later:
        decisions.add(MergeDecision(final[root], name, stage, None, why))
    log = sorted(decisions, key=lambda d: (d.kept, d.stage, d.merged, d.why, d.score or 0.0))
    return sorted(merged.values(), key=lambda e: e.id), relations, log


def _join_near_duplicates(ents: list[Entity], joins: _Joins, vectors) -> None:
    """Join groups of one type whose names are near-duplicates (cosine and string guard) or whose
    acronym spells the other's initials."""
    from .near_duplicates import TYPES, NameGroup, near_pairs

    members: dict[int, list[int]] = defaultdict(list)
    find = joins.find
    for i in range(len(ents)):
        members[find(i)].append(i)
    roots, views = [], []
    for root in sorted(members):
        group = members[root]
        if len(group) == 1:  # most entities are named in one document only
            e = ents[group[0]]
            type_, names, docs = e.type, (e.name,), frozenset(e.docs)
        else:
            types: Counter = Counter()
            for i in group:
                types[ents[i].type] += max(ents[i].mentions, 1)
            type_ = max(sorted(types), key=lambda t: types[t])
            names = tuple(sorted({ents[i].name for i in group}))
            docs = frozenset(d for i in group for d in ents[i].docs)
        if type_ in TYPES:
            roots.append(root)
            views.append(NameGroup(type_, names, docs))
    docs = {root: view.docs for root, view in zip(roots, views)}
    for x, y, stage, cosine, why in near_pairs(views, vectors):
        a, b = joins.find(roots[x]), joins.find(roots[y])
        if a == b or docs[a] & docs[b]:
            continue  # an earlier join brought a document of one into the other
        if joins.union(a, b, stage, cosine, why):
            docs[joins.find(a)] = docs.pop(a) | docs.pop(b)


def _drop_never_aliases(ent: Entity, joins: _Joins, root: int, later: list) -> Entity:
    """An entity a [[never]] rule names loses the aliases that are the rule's other names: one
    document's alias must not carry a body the researcher keeps apart."""
    ours = joins.labels[root]
    banned = {}
    for r, n in ours:
        rule = joins.never[r]
        for k, other in enumerate(rule.names):
            if (r, k) not in ours:
                banned[name_key(other)] = rule
    keep = tuple(a for a in ent.aliases if name_key(a) not in banned)
    if len(keep) == len(ent.aliases):
        return ent
    for a in ent.aliases:
        rule = banned.get(name_key(a))
        if rule is not None:
            later.append((root, "never", a, f'{rule.where} keeps {_quoted(rule.names)} apart; the alias "{a}" was dropped'))
    return replace(ent, aliases=keep)


_COUNCIL_NAME = re.compile(r"^(?:(?:London|Royal) Borough of (?P<a>.+)|(?P<b>.+?)(?: (?:Metropolitan )?"
                           r"(?:County|City|District|Borough|Metropolitan Borough))? (?:Council|MBC))$")


def _council_place_keys(records: Sequence[DocRecords]) -> set[str]:
    """Keys of place names that a council of the same document is named after ('Dunmore' of 'Dunmore Council')."""
    keys = set()
    for rec in records:
        places = {name_key(e.name) for e in rec.entities if e.type == "place"}
        for e in rec.entities:
            m = _COUNCIL_NAME.match(e.name) if e.type == "organisation" else None
            if m and name_key(m.group("a") or m.group("b")) in places:
                keys.add(name_key(m.group("a") or m.group("b")))
    return keys


_GENERIC_KEYS = frozenset(name_key(w) for w in P.GENERIC_SINGLE)


def _generic_reference(alias: str) -> bool:
    """True for aliases like 'the Council' / 'the County Council' that refer by a common noun, not a name."""
    key = name_key(alias)
    return key in _GENERIC_KEYS or bool(re.fullmatch(r"(?:city|county|borough|district)?council", key))


def _merge_entities(es: list[Entity]) -> Entity:
    if len(es) == 1:  # most groups (37,000 of them at 100x the bundled corpus): the same result, 4x faster
        e = es[0]
        return Entity(id=entity_id(e.type, e.name), type=e.type, name=e.name,
                      aliases=tuple(sorted(set(e.aliases) - {e.name})), docs=tuple(sorted(set(e.docs))),
                      sector=e.sector if e.type == "organisation" else None, mentions=e.mentions)
    types: Counter = Counter()
    names: Counter = Counter()
    for e in es:
        types[e.type] += max(e.mentions, 1)
        names[e.name] += max(e.mentions, 1)
    type_ = max(sorted(types), key=lambda t: types[t])
    full = [n for n in sorted(names) if not _is_acronym(n)] or sorted(names)
    name = max(full, key=lambda n: (names[n], len(n)))
    aliases = set()
    for e in es:
        aliases |= set(e.aliases) | {e.name}
    aliases.discard(name)
    sectors = Counter(e.sector for e in es if e.sector)
    sector = max(sorted(sectors), key=lambda s: sectors[s]) if sectors and type_ == "organisation" else None
    docs = sorted({d for e in es for d in e.docs})
    return Entity(id=entity_id(type_, name), type=type_, name=name, aliases=tuple(sorted(aliases)),
                  docs=tuple(docs), sector=sector, mentions=sum(e.mentions for e in es))
