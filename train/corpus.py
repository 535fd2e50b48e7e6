"""The team's annotated training corpus: parse, validate and build (see train/ANNOTATION.md).

    python train/corpus.py check [PATH ...]   # validate files (default: every file under train/docs and train/fresh)
    python train/corpus.py build              # write train/corpus.jsonl with the split of each document
    python train/corpus.py stats              # documents, words and spans by genre and split
    python train/corpus.py overlap            # spans whose name is also a name in the dev annotations

Pure standard library, so it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
# A second never-seen split, written after every model choice of the first was made, by writers who
# never saw a model's output: documents here are never trained on and never used to choose anything.
FRESH = HERE / "fresh"
OUT = HERE / "corpus.jsonl"

ENTITY_TYPES = ("ORG", "PERSON", "PLACE", "PROGRAMME", "ROLE", "OUTCOME")
SPAN_TYPES = ENTITY_TYPES + ("REF",)
RELATIONS = ("works_for", "leads", "partners_with", "funds", "commissions", "runs", "delivers", "located_in",
             "achieved", "set_up")
FORMATS = ("text", "markdown", "pdf-text")
NATIONS = {"uk", "united kingdom", "britain", "great britain", "england", "wales", "scotland", "northern ireland",
           "europe"}

# Two whole genres never trained on, plus about one document in five of every other genre: the
# never-seen split. Chosen by genre name and a hash of the file name, never by reading results.
HELD_OUT_GENRES = ("committee-minutes", "funding-announcement")
HELD_OUT_SHARE = 0.2

# Places and national bodies so common in this field that leaving them out of training would teach
# the model less about real reports than it would protect the dev figures.
COMMON_FACTS = ("London", "Manchester", "Birmingham", "Leeds", "NHS England", "Local Government Association")

_SPAN = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z]+)(?::([a-z0-9_-]+))?⟧")
_REL = re.compile(r"⟪\s*([a-z0-9_-]+)\s+([a-z_]+)\s+([a-z0-9_-]+)\s*⟫")
_SENT_END = re.compile(r"[.!?][\"'”’)]*(?=\s)|\n[ \t]*\n")


class CorpusError(ValueError):
    """A training file breaks the annotation rules; the message names the file and the place."""


@dataclass
class Span:
    start: int
    end: int
    type: str
    id: str
    text: str


@dataclass
class Rel:
    source: str
    relation: str
    target: str
    source_span: tuple[int, int]
    target_span: tuple[int, int]
    sent: tuple[int, int]


@dataclass
class TrainDoc:
    id: str
    genre: str
    title: str
    format: str
    text: str
    split: str = "train"
    spans: list[Span] = field(default_factory=list)
    relations: list[Rel] = field(default_factory=list)

    def entities(self) -> list[Span]:
        return [s for s in self.spans if s.type != "REF"]


def split_of(genre: str, name: str, fresh: bool = False) -> str:
    """'fresh', 'heldout' or 'train', fixed by the folder, the genre and a hash of the file name."""
    if fresh:
        return "fresh"
    if genre in HELD_OUT_GENRES:
        return "heldout"
    h = int(hashlib.sha256(f"{genre}/{name}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "heldout" if h < HELD_OUT_SHARE else "train"


def _where(raw: str, pos: int) -> str:
    line = raw.count("\n", 0, pos) + 1
    return f"line {line}"


def parse(path: Path) -> TrainDoc:
    """Read one annotated file into text and offsets; raise CorpusError naming the file and line."""
    raw = path.read_text(encoding="utf-8")
    header, _, body = raw.partition("\n\n")
    meta = {}
    for line in header.splitlines():
        if not line.startswith("# ") or ":" not in line:
            raise CorpusError(f"{path}: header line {line!r} is not '# key: value' (a blank line ends the header)")
        k, _, v = line[2:].partition(":")
        meta[k.strip()] = v.strip()
    genre = meta.get("genre") or path.parent.name
    if genre != path.parent.name:
        raise CorpusError(f"{path}: genre {genre!r} differs from its folder {path.parent.name!r}")
    fmt = meta.get("format", "text")
    if fmt not in FORMATS:
        raise CorpusError(f"{path}: format {fmt!r} is not one of {', '.join(FORMATS)}")
    offset = len(header) + 2
    text_parts: list[str] = []
    spans: list[Span] = []
    pending_rels: list[tuple[int, str, str, str, int]] = []
    pos, out_len, auto = 0, 0, 0
    token = re.compile(r"⟦([^⟦⟧|]+)\|([A-Z]+)(?::([a-z0-9_-]+))?⟧|⟪[^⟪⟫]*⟫|[⟦⟧⟪⟫]")
    for m in token.finditer(body):
        chunk = body[pos:m.start()]
        text_parts.append(chunk)
        out_len += len(chunk)
        tok = m.group(0)
        where = _where(raw, offset + m.start())
        if tok.startswith("⟦") and m.group(2):
            surface, typ, ident = m.group(1), m.group(2), m.group(3)
            if typ not in SPAN_TYPES:
                raise CorpusError(f"{path}: {where}: unknown type {typ!r} in {tok!r}; use one of {', '.join(SPAN_TYPES)}")
            if typ == "REF" and not ident:
                raise CorpusError(f"{path}: {where}: REF span {tok!r} needs the id of the entity it refers to")
            if surface != surface.strip() or not surface.strip():
                raise CorpusError(f"{path}: {where}: span {tok!r} starts or ends with a space")
            if typ in ("ORG", "PLACE", "PROGRAMME") and re.match(r"(?:the|a|an|our)\s", surface):
                raise CorpusError(f"{path}: {where}: {tok!r} starts with a lower-case article; put it outside the span")
            if re.search(r"[,.;:]$|['’]s$", surface) and not re.search(r"\b(?:Ltd|Inc|Co|St|Dr|plc)\.$", surface):
                raise CorpusError(f"{path}: {where}: {tok!r} ends with punctuation or a possessive; put it outside")
            if not ident:
                auto += 1
                ident = f"_{auto}"
            spans.append(Span(out_len, out_len + len(surface), typ, ident, surface))
            text_parts.append(surface)
            out_len += len(surface)
        elif tok.startswith("⟪"):
            rm = _REL.fullmatch(tok)
            if not rm:
                raise CorpusError(f"{path}: {where}: relation {tok!r} is not ⟪source relation target⟫")
            src, rel, tgt = rm.groups()
            if rel not in RELATIONS:
                raise CorpusError(f"{path}: {where}: unknown relation {rel!r}; use one of {', '.join(RELATIONS)}")
            pending_rels.append((out_len, src, rel, tgt, offset + m.start()))
        else:
            raise CorpusError(f"{path}: {where}: stray or malformed bracket {tok!r} (a span is ⟦text|TYPE⟧ or ⟦text|TYPE:id⟧)")
        pos = m.end()
    text_parts.append(body[pos:])
    text = "".join(text_parts).rstrip() + "\n"
    for s in spans:
        assert text[s.start:s.end] == s.text
    fresh = FRESH in path.resolve().parents
    doc = TrainDoc(id=("fresh/" if fresh else "") + f"{genre}/{path.stem}", genre=genre, title=meta.get("title", ""),
                   format=fmt, text=text, split=split_of(genre, path.stem, fresh), spans=spans)
    _check_spans(path, raw, doc)
    for at, src, rel, tgt, raw_pos in pending_rels:
        doc.relations.append(_anchor(path, raw, raw_pos, doc, at, src, rel, tgt))
    return doc


def _check_spans(path: Path, raw: str, doc: TrainDoc) -> None:
    types: dict[str, str] = {}
    for s in doc.spans:
        if s.type == "REF":
            continue
        if s.id in types and types[s.id] != s.type:
            raise CorpusError(f"{path}: id {s.id!r} is used for both {types[s.id]} and {s.type} spans")
        types[s.id] = s.type
        if s.type == "PLACE" and _norm(s.text) in NATIONS:
            raise CorpusError(f"{path}: {s.text!r} is a nation name; the policy counts it neither way, leave it plain")
    for s in doc.spans:
        if s.type == "REF" and s.id not in types:
            raise CorpusError(f"{path}: REF {s.text!r} points at id {s.id!r}, which no entity span has")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence-like units: cut after . ! ? before whitespace, and at blank lines."""
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _anchor(path, raw, raw_pos, doc: TrainDoc, at: int, src: str, rel: str, tgt: str) -> Rel:
    where = _where(raw, raw_pos)
    sents = sentences(doc.text)
    # the sentence the marker closes: the last one starting before the marker's offset
    k = max((i for i, (s, _) in enumerate(sents) if s < at), default=0)
    lo = sents[k - 1][0] if k > 0 else 0
    hi = sents[k][1]
    found = {}
    for ident in (src, tgt):
        cands = [s for s in doc.spans if s.id == ident and s.start >= lo and s.end <= max(hi, at)]
        if not cands:
            raise CorpusError(f"{path}: {where}: relation ⟪{src} {rel} {tgt}⟫: no span with id {ident!r} in its "
                              "sentence or the one before; give the mention an id, or move the marker")
        found[ident] = cands[-1]
    if src == tgt:
        raise CorpusError(f"{path}: {where}: relation ⟪{src} {rel} {tgt}⟫ joins an entity to itself")
    a, b = found[src], found[tgt]
    return Rel(src, rel, tgt, (a.start, a.end), (b.start, b.end), (min(a.start, b.start, sents[k][0]), hi))


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower().replace("’", "'")
    s = re.sub(r"[^\w£%.' ]+", " ", s)
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"\s+", " ", s).strip()


def gold_entities(doc: TrainDoc) -> dict:
    """The document's gold lists in the shape of shared/eval/dev_entities.json (one name per entity id)."""
    by_id: dict[str, list[Span]] = {}
    for s in doc.entities():
        key = s.id if not s.id.startswith("_") else f"{s.type}:{_norm(s.text)}"
        by_id.setdefault(key, []).append(s)

    def canon(spans: list[Span]) -> str:
        return max((re.sub(r"\s+", " ", s.text) for s in spans), key=lambda t: (len(t), t))

    out = {"doc": doc.id, "organisations": [], "people": [], "programmes": [], "places": [], "partnerships": []}
    names = {}
    for key, spans in sorted(by_id.items()):
        t = spans[0].type
        name = canon(spans)
        names[spans[0].id] = name
        for s in spans:
            names[s.id] = name
        if t == "ORG":
            out["organisations"].append(name)
        elif t == "PERSON":
            out["people"].append({"name": name, "role": None, "organisation": None})
        elif t == "PROGRAMME":
            out["programmes"].append(name)
        elif t == "PLACE":
            out["places"].append(name)
    for r in doc.relations:
        if r.relation == "partners_with":
            out["partnerships"].append([names[r.source], names[r.target], "partners_with"])
    out["relations"] = [[names[r.source], r.relation, names[r.target]] for r in doc.relations]
    return out


def files(paths: list[str] | None = None) -> list[Path]:
    roots = [Path(p) for p in paths] if paths else [DOCS] + ([FRESH] if FRESH.is_dir() else [])
    out: list[Path] = []
    for root in roots:
        out += sorted(root.rglob("*.txt")) if root.is_dir() else [root]
    return out


def load(paths: list[str] | None = None) -> tuple[list[TrainDoc], list[str]]:
    docs, errors = [], []
    for p in files(paths):
        try:
            docs.append(parse(p))
        except CorpusError as exc:
            errors.append(str(exc))
        except UnicodeDecodeError as exc:
            errors.append(f"{p}: not UTF-8 ({exc})")
    return docs, errors


def read_jsonl(path: Path = OUT) -> list[TrainDoc]:
    """The built corpus, as written by `build`."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        d["spans"] = [Span(**s) for s in d["spans"]]
        d["relations"] = [Rel(**{**r, "source_span": tuple(r["source_span"]), "target_span": tuple(r["target_span"]),
                                 "sent": tuple(r["sent"])}) for r in d["relations"]]
        docs.append(TrainDoc(**d))
    return docs


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    docs, errors = load(argv[1:] or None)
    for e in errors:
        print(e, file=sys.stderr)
    if cmd == "check":
        n_rel = sum(len(d.relations) for d in docs)
        print(f"{len(docs)} documents valid, {len(errors)} with errors; "
              f"{sum(len(d.entities()) for d in docs)} entity spans, {n_rel} relations")
        return 1 if errors else 0
    if cmd == "build":
        if errors:
            print("not built: fix the files above first", file=sys.stderr)
            return 1
        lines = [json.dumps(asdict(d), ensure_ascii=False, sort_keys=True) for d in sorted(docs, key=lambda d: d.id)]
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(HERE.parent)}: {len(docs)} documents")
        return 0
    if cmd == "overlap":
        # Content-blind guard: training must not teach the dev set's names. Prints only the
        # training file and its own span, so the dev annotations are never read by a writer.
        dev = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_entities.json"
        if not dev.exists():
            print(f"{dev} not found; nothing to compare", file=sys.stderr)
            return 0
        names = set()
        for d in json.loads(dev.read_text(encoding="utf-8")):
            names.update(_norm(n) for k in ("organisations", "programmes", "places") for n in d[k])
            names.update(_norm(p["name"]) for p in d["people"])
        names -= {_norm(n) for n in COMMON_FACTS}
        hits = 0
        for d in docs:
            for s in d.entities():
                if _norm(s.text) in names and s.type != "OUTCOME":
                    hits += 1
                    print(f"train/{'' if d.split == 'fresh' else 'docs/'}{d.id}.txt: {s.text!r} ({s.type}) - rename it or choose another body")
        print(f"{hits} spans share a name with the development annotations")
        return 1 if hits else 0
    if cmd == "stats":
        rows: dict[tuple[str, str], list[int]] = {}
        for d in docs:
            r = rows.setdefault((d.genre, d.split), [0, 0, 0, 0])
            r[0] += 1
            r[1] += len(d.text.split())
            r[2] += len(d.entities())
            r[3] += len(d.relations)
        print(f"{'genre':32} {'split':8} {'docs':>5} {'words':>7} {'spans':>6} {'rels':>5}")
        for (g, s), (n, w, e, r) in sorted(rows.items()):
            print(f"{g:32} {s:8} {n:5} {w:7} {e:6} {r:5}")
        return 1 if errors else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
