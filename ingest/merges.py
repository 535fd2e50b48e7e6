"""The researcher's merge file: `casegraph-merges.toml` in the corpus folder.

It corrects cross-document resolution without re-extracting anything: the rules are applied when
the graph is rebuilt, and an ingest notices an edited file (its hash is kept in the manifest). The
file is never read as a report. Names match an entity's name or any of its aliases, forgivingly
(case, spacing, a leading "the", plurals and a legal form do not matter: see `text.name_key`);
`type` narrows a rule to entities of that type. Example:

    # Two forms of one body that no string rule joins
    [[merge]]
    names = ["Harrowby BC", "Harrowby Borough Council"]
    type = "organisation"

    # Two bodies that must stay apart, whatever the resolver thinks
    [[never]]
    names = ["Harrowby County Council", "Harrowby City Council"]

    [[rename]]
    from = "Better Lives"
    to = "Better Lives 2030"

    [[retype]]
    name = "Safe Steps"
    type = "programme"

See docs/merges.md for what each rule does and how the graph shows it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .records import ENTITY_TYPES, content_hash

__all__ = ["MERGES_FILE", "MergeFileError", "MergeRules", "Rule", "load_merges", "parse_merges", "apply_renames",
           "rules_to_json", "rules_from_json"]

MERGES_FILE = "casegraph-merges.toml"

# section -> (required keys, optional keys)
_SECTIONS = {
    "merge": ({"names"}, {"type"}),
    "never": ({"names"}, {"type"}),
    "rename": ({"from", "to"}, {"type"}),
    "retype": ({"name", "type"}, set()),
}
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_-]+)\s*\]\]")


class MergeFileError(ValueError):
    """The merge file cannot be used; the message names the file, the line and what to do."""


@dataclass(frozen=True)
class Rule:
    """One rule of the file: `names` (merge, never), `names[0]` -> `to` (rename), or `names[0]`'s
    type set to `to` (retype); `type` narrows which entities it matches; `line` is where it is."""

    kind: str
    names: tuple[str, ...]
    type: str | None = None
    to: str | None = None
    line: int = 0

    @property
    def where(self) -> str:
        return f"{MERGES_FILE} line {self.line}"


@dataclass(frozen=True)
class MergeRules:
    """The parsed file: its rules in file order, and the hash of its bytes (empty: no file)."""

    rules: tuple[Rule, ...] = ()
    sha256: str = ""

    def of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]

    def __bool__(self) -> bool:
        return bool(self.rules)


def load_merges(folder: str | Path) -> MergeRules:
    """The merge file of a corpus folder (no rules when it has none); MergeFileError when malformed."""
    path = Path(folder) / MERGES_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return MergeRules()
    except OSError as exc:
        raise MergeFileError(f"{path}: cannot read it ({exc.strerror or exc}); check its permissions") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MergeFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    return parse_merges(text, path)


def parse_merges(text: str, path: str | Path = MERGES_FILE) -> MergeRules:
    """Parse and check the merge file's text; MergeFileError names the line and the fix."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where as "(at line 3, column 1)" or "(at end of document)"; name the line first
        m = re.search(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)", str(exc))
        what = str(exc)[:m.start()] if m else str(exc)
        where = (f"line {m.group(1)}, column {m.group(2)}" if m and m.group(1)
                 else f"line {max(len(text.splitlines()), 1)} (the end)")
        raise MergeFileError(f"{path}, {where}: {what}: not valid TOML; fix that line (each rule is a [[merge]], "
                             "[[never]], [[rename]] or [[retype]] table; see docs/merges.md), and ingest again") from exc
    headers: dict[str, list[int]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            headers.setdefault(m.group(1), []).append(n)

    def fail(line: int, message: str):
        at = f" line {line}" if line else ""
        raise MergeFileError(f"{path},{at}: {message}; fix the rule (see docs/merges.md), and ingest again")

    rules: list[Rule] = []
    for section, tables in data.items():
        lines = headers.get(section, [])
        if section not in _SECTIONS:
            fail(lines[0] if lines else _line_of(text, section),
                 f"unknown section {section!r}; use [[merge]], [[never]], [[rename]] or [[retype]]")
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            fail(lines[0] if lines else _line_of(text, section), f"{section!r} must be written [[{section}]] (a table per rule)")
        required, optional = _SECTIONS[section]
        for i, table in enumerate(tables):
            line = lines[i] if i < len(lines) else 0
            missing = sorted(required - table.keys())
            extra = sorted(table.keys() - required - optional)
            if missing:
                fail(line, f"[[{section}]] needs {', '.join(repr(k) for k in missing)}")
            if extra:
                fail(line, f"[[{section}]] has unknown key(s) {', '.join(repr(k) for k in extra)}; "
                           f"it takes {', '.join(repr(k) for k in sorted(required | optional))}")
            type_ = table.get("type")
            if type_ is not None and type_ not in ENTITY_TYPES:
                fail(line, f"type {type_!r} is not an entity type; use one of {', '.join(ENTITY_TYPES)}")
            if section in ("merge", "never"):
                names = table["names"]
                if not isinstance(names, list) or len(names) < 2 or not all(_name(n) for n in names):
                    fail(line, f"[[{section}]] names must be a list of two or more non-empty names")
                rules.append(Rule(section, tuple(n.strip() for n in names), type_, None, line))
            elif section == "rename":
                if not _name(table["from"]) or not _name(table["to"]):
                    fail(line, "[[rename]] 'from' and 'to' must be non-empty names")
                rules.append(Rule(section, (table["from"].strip(),), type_, table["to"].strip(), line))
            else:
                if not _name(table["name"]):
                    fail(line, "[[retype]] 'name' must be a non-empty name")
                rules.append(Rule(section, (table["name"].strip(),), None, type_, line))
    _check_consistent(rules, fail)
    rules.sort(key=lambda r: r.line)
    return MergeRules(tuple(rules), content_hash(text))


def _name(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _line_of(text: str, word: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"^\s*\[?\[?\s*{re.escape(word)}\b", line):
            return n
    return 0


def _check_consistent(rules: list[Rule], fail) -> None:
    """Rules that contradict each other or name one thing twice are errors, not a silent choice."""
    from .text import name_key

    merged: dict[frozenset, Rule] = {}
    for r in rules:
        keys = [name_key(n) for n in r.names]
        if r.kind in ("merge", "never") and any(not k for k in keys):
            fail(r.line, f"[[{r.kind}]] has a name with no letters or digits")
        if r.kind == "never" and len(set(keys)) < len(keys):
            fail(r.line, "[[never]] lists two forms of one name (casegraph already treats them as the same name)")
        if r.kind == "merge":
            for a in keys:
                for b in keys:
                    if a != b:
                        merged[frozenset((a, b))] = r
    for r in rules:
        if r.kind != "never":
            continue
        keys = [name_key(n) for n in r.names]
        for a in keys:
            for b in keys:
                m = merged.get(frozenset((a, b))) if a != b else None
                if m is not None:
                    fail(r.line, f"[[never]] keeps apart two names the [[merge]] at line {m.line} joins; remove one of the two")


def apply_renames(entity, rules: MergeRules):
    """`entity` (a resolved Entity) after the [[rename]] and [[retype]] rules that name it (by its
    name or an alias), in file order, with a (stage, name, why) note for each change."""
    from dataclasses import replace

    from . import patterns as P
    from .records import entity_id
    from .text import name_key

    notes: list[tuple[str, str, str]] = []
    for rule in rules.rules:
        if rule.kind not in ("rename", "retype") or name_key(rule.names[0]) not in \
                {name_key(entity.name), *map(name_key, entity.aliases)}:
            continue
        if rule.kind == "rename":
            if rule.type not in (None, entity.type) or entity.name == rule.to:
                continue
            notes.append(("rename", entity.name, f'{rule.where} renames "{rule.names[0]}" to "{rule.to}"'))
            entity = replace(entity, id=entity_id(entity.type, rule.to), name=rule.to,
                             aliases=tuple(sorted((set(entity.aliases) | {entity.name}) - {rule.to})))
        elif entity.type != rule.to:
            notes.append(("merge-file", entity.name,
                          f'{rule.where} retypes "{rule.names[0]}" from {entity.type} to {rule.to}'))
            sector = (entity.sector or P.sector_of(entity.name)) if rule.to == "organisation" else None
            entity = replace(entity, id=entity_id(rule.to, entity.name), type=rule.to, sector=sector)
    return entity, notes


def rules_to_json(rules: MergeRules) -> dict:
    """The rules as the manifest keeps them."""
    from dataclasses import asdict

    return {"sha256": rules.sha256, "rules": [asdict(r) for r in rules.rules]}


def rules_from_json(data: dict | None) -> MergeRules:
    """`rules_to_json`'s output back as MergeRules (no rules for None)."""
    if not data:
        return MergeRules()
    return MergeRules(tuple(Rule(r["kind"], tuple(r["names"]), r.get("type"), r.get("to"), r.get("line", 0))
                            for r in data.get("rules", ())), data.get("sha256", ""))
