"""Extraction quality by mode — rules only, model only, combined — on the never-seen split and the dev sets.

Extraction only (load, clean, parse, extract; no embeddings or index), so a run takes a minute or
two. Entities are matched as the outside check matches them (evaluation.extraction); relations are
scored per type: a gold relation is found when an edge of that type joins the two ends (either
direction) and cites the document; a predicted typed edge is right when the gold has that relation
between its two ends. The never-seen split (train/corpus.jsonl, split "heldout") is written out as
files and read only as these summary rows.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

__all__ = ["MODES", "run", "format_table", "evaluate_relations", "heldout_set", "annotated_set", "dev_entities_path"]

ROOT = Path(__file__).resolve().parents[1]

MODES = ("rules", "model", "combined")


def heldout_set(tmp: Path, split: str = "heldout") -> tuple[list[Path], list[dict]]:
    """A never-seen split ('heldout', or 'fresh': written after every model choice) as report files,
    with its gold lists."""
    files, gold = [], []
    from train import corpus as C

    from .qa_sets import doc_file

    for d in C.read_jsonl():
        if d.split != split:
            continue
        name = doc_file(d.id, d.format)  # the names the split's questions use
        path = tmp / name
        path.write_text(d.text, encoding="utf-8")
        files.append(path)
        g = C.gold_entities(d)
        g["doc"] = name
        gold.append(g)
    return files, gold


def dev_set() -> tuple[list[Path], list[dict]]:
    return annotated_set(ROOT / "corpus", dev_entities_path())


def synthetic_set() -> tuple[list[Path], list[dict]]:
    return annotated_set(ROOT / "bench" / "eval" / "synthetic", ROOT / "bench" / "eval" / "synthetic_entities.json")


def annotated_set(corpus: Path, entities: Path) -> tuple[list[Path], list[dict]]:
    """The annotated files of a corpus folder and their gold lists (shared/eval/dev_entities.json's shape)."""
    gold = json.loads(Path(entities).read_text(encoding="utf-8"))
    return [Path(corpus) / g["doc"] for g in gold], gold


def dev_entities_path() -> Path:
    """The dev annotations: CASEGRAPH_DEV_ENTITIES, ../shared/eval beside the checkout, else the copy in bench/eval/dev."""
    env = os.environ.get("CASEGRAPH_DEV_ENTITIES")
    for p in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "eval" / "dev_entities.json",
                                              ROOT / "bench" / "eval" / "dev" / "dev_entities.json"]:
        if p.exists():
            return p
    raise FileNotFoundError("no dev annotations found: set CASEGRAPH_DEV_ENTITIES to a dev_entities.json")


def evaluate_relations(gold: list[dict], entities, relations) -> dict:
    """Per relation type precision and recall; 'all' counts an edge of any type between the two ends."""
    from evaluation.extraction import names_match

    names = {e.id: (e.name, *e.aliases) for e in entities}
    hit_g, n_g, hit_p, n_p = Counter(), Counter(), Counter(), Counter()
    any_found = any_total = 0
    by_doc: dict[str, list] = {}
    for r in relations:
        by_doc.setdefault(r.doc, []).append(r)
    for entry in gold:
        doc = entry["doc"]
        rels = entry.get("relations") or []
        edges = by_doc.get(doc, [])
        ends = []
        for a, rel, b in rels:
            ends.append((a, rel, b))
            n_g[rel] += 1
            any_total += 1
            ok_any = ok_typed = False
            for e in edges:
                if e.relation == "mentioned_with" or e.source not in names or e.target not in names:
                    continue
                fwd = names_match(a, names[e.source]) and names_match(b, names[e.target])
                rev = names_match(b, names[e.source]) and names_match(a, names[e.target])
                if fwd or rev:
                    ok_any = True
                    ok_typed |= e.relation == rel
            hit_g[rel] += ok_typed
            any_found += ok_any
        for e in edges:
            if e.relation == "mentioned_with" or e.source not in names or e.target not in names:
                continue
            n_p[e.relation] += 1
            hit_p[e.relation] += any(rel == e.relation and (
                (names_match(a, names[e.source]) and names_match(b, names[e.target])) or
                (names_match(b, names[e.source]) and names_match(a, names[e.target]))) for a, rel, b in ends)
    types = sorted(set(n_g) | set(n_p))
    rows = {t: {"precision": hit_p[t] / n_p[t] if n_p[t] else 0.0, "recall": hit_g[t] / n_g[t] if n_g[t] else 0.0,
                "predicted": n_p[t], "gold": n_g[t]} for t in types}
    tp, np_, tg, ng = sum(hit_p.values()), sum(n_p.values()), sum(hit_g.values()), sum(n_g.values())
    rows["typed"] = {"precision": tp / np_ if np_ else 0.0, "recall": tg / ng if ng else 0.0, "predicted": np_,
                     "gold": ng}
    rows["any edge"] = {"precision": None, "recall": any_found / any_total if any_total else 0.0, "predicted": None,
                        "gold": any_total}
    return rows


def extract_set(files: list[Path], mode: str, sdocs_cache: dict) -> tuple[list, list]:
    """Entities and relations of each file under one extraction mode (parses cached per pipeline)."""
    from ingest.extract import extract
    from ingest.loaders import load_document
    from ingest.nlp import load_ingest_nlp, load_nlp

    os.environ["CASEGRAPH_EXTRACT"] = mode
    pipe = "sm" if mode == "rules" else "trained"
    docs = [load_document(p, p.name) for p in files]
    key = (pipe, tuple(str(p) for p in files))
    if key not in sdocs_cache:
        nlp = load_nlp() if pipe == "sm" else load_ingest_nlp()
        sdocs_cache[key] = list(nlp.pipe([d.text for d in docs], batch_size=8))
    ents, rels = [], []
    for d, sdoc in zip(docs, sdocs_cache[key]):
        rec = extract(d, sdoc)
        ents += rec.entities
        rels += rec.relations
    return ents, rels


def run(sets, modes=MODES) -> dict:
    """Per set and mode: F1 (and P/R) by entity type, partnership recall and relation P/R by type.
    `sets` are names ('fresh', 'heldout', 'dev', 'synthetic') or (name, corpus folder, annotations file)."""
    from evaluation.extraction import evaluate_entities

    cache: dict = {}
    out: dict = {}
    saved = os.environ.get("CASEGRAPH_EXTRACT")
    with tempfile.TemporaryDirectory() as tmp:
        loaders = {"heldout": lambda: heldout_set(Path(tmp)), "fresh": lambda: heldout_set(Path(tmp), "fresh"),
                   "dev": dev_set, "synthetic": synthetic_set}
        for entry in sets:
            if isinstance(entry, str):
                name = entry
                files, gold = loaders[name]()
            else:
                name, folder, annotations = entry
                files, gold = annotated_set(Path(folder), Path(annotations))
            for mode in modes:
                t = time.perf_counter()
                ents, rels = extract_set(files, mode, cache)
                res = evaluate_entities(gold, ents, rels)
                row = {t_: round(v["f1"], 3) for t_, v in res["types"].items()}
                row["partnerships"] = round(res["partnerships"]["recall"], 3)
                row["relations"] = evaluate_relations(gold, ents, rels) if any(g.get("relations") for g in gold) else None
                row["prf"] = {t_: (round(v["precision"], 3), round(v["recall"], 3)) for t_, v in res["types"].items()}
                row["seconds"] = round(time.perf_counter() - t, 1)
                out.setdefault(name, {})[mode] = row
    if saved is None:
        os.environ.pop("CASEGRAPH_EXTRACT", None)
    else:
        os.environ["CASEGRAPH_EXTRACT"] = saved
    return out


def format_table(result: dict) -> str:
    """The by-mode table `casegraph eval --modes` prints."""
    lines = []
    for name, rows in result.items():
        lines.append(f"\n{name}: F1 (P/R)")
        lines.append(f"{'mode':10}{'organisation':>20}{'person':>20}{'programme':>20}{'place':>20}{'partners':>10}"
                     f"{'rel P':>7}{'rel R':>7}{'any R':>7}")
        for mode, row in rows.items():
            cells = "".join(f"{row[t]:>7.3f} ({row['prf'][t][0]:.2f}/{row['prf'][t][1]:.2f})"
                            for t in ("organisation", "person", "programme", "place"))
            rel = row["relations"]
            rp = f"{rel['typed']['precision']:>7.3f}{rel['typed']['recall']:>7.3f}{rel['any edge']['recall']:>7.3f}" \
                if rel else f"{'':>21}"
            lines.append(f"{mode:10}{cells}{row['partnerships']:>10.3f}{rp}")
        for mode, row in rows.items():
            rel = row["relations"]
            if rel and mode != "rules":
                lines.append(f"  {mode} relations by type (P/R, gold): " + ", ".join(
                    f"{t} {v['precision']:.2f}/{v['recall']:.2f} ({v['gold']})" for t, v in rel.items()
                    if t not in ("typed", "any edge")))
    return "\n".join(lines)
