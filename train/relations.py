"""Train the relation classifier (`make train`): logistic regression over ingest.relate.pair_features.

    python train/relations.py [--base md|sm] [--C 4.0]

Candidates are built from the gold mentions of train/corpus.jsonl the same way extraction builds
them from its own mentions; a pair's label is the gold relation anchored in its sentence (with
direction), else 'none'. Trains on the `train` split, reports per-relation precision and recall on
the `heldout` split (gold mentions, so this measures the classifier alone), and writes
ingest/models/relations.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "train"))

import corpus as C  # noqa: E402

TYPES = {"ORG": "organisation", "PERSON": "person", "PLACE": "place", "PROGRAMME": "programme", "OUTCOME": "outcome"}


def doc_pairs(d, sdoc):
    """(features, label) for every candidate pair of one training document."""
    from ingest.extract import _sentences
    from ingest.relate import candidate_pairs, label_of, mentions_by_unit, pair_features

    types = {s.id: TYPES[s.type] for s in d.spans if s.type in TYPES}
    mentions, ident = [], {}
    for s in d.spans:
        t = types.get(s.id)
        if t is None:
            continue
        m = (s.start, s.end, t)
        mentions.append(m)
        ident[m] = s.id
    units = _sentences(sdoc, d.text)
    gold = defaultdict(list)
    for r in d.relations:
        gold[frozenset((r.source, r.target))].append(r)
    out = []
    pairs = candidate_pairs(mentions, units)
    in_unit = mentions_by_unit(mentions, pairs)
    for pair in pairs:
        ia, ib = ident[pair.a], ident[pair.b]
        label = "none"
        for r in gold.get(frozenset((ia, ib)), ()):
            if r.sent[0] < pair.unit[1] and pair.unit[0] < r.sent[1]:
                src, tgt = (pair.a, pair.b) if r.source == ia else (pair.b, pair.a)
                label = label_of(r.relation, src, tgt, pair)
                break
        out.append((pair_features(d.text, pair, in_unit[pair.unit], sdoc), label, (ia, ib, pair)))
    return out


def _prf(pred: Counter, gold: Counter, hit: Counter, rels) -> dict:
    rows = {}
    for r in rels:
        p = hit[r] / pred[r] if pred[r] else 0.0
        rc = hit[r] / gold[r] if gold[r] else 0.0
        rows[r] = {"precision": round(p, 3), "recall": round(rc, 3), "predicted": pred[r], "gold": gold[r]}
    tp, np_, ng = sum(hit.values()), sum(pred.values()), sum(gold.values())
    rows["all"] = {"precision": round(tp / np_, 3) if np_ else 0.0, "recall": round(tp / ng, 3) if ng else 0.0,
                   "predicted": np_, "gold": ng}
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "train" / "ner.cfg"))
    ap.add_argument("--base", choices=("md", "sm"))
    ap.add_argument("--C", type=float, default=2.0)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--output", default=str(ROOT / "ingest" / "models" / "relations.json"))
    args = ap.parse_args(argv)

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from spacy.util import load_config

    from ingest.nlp import load_nlp
    from ingest.relate import RelationModel, decode

    cfg = load_config(args.config)
    base = args.base or cfg["base"]["name"]
    t0 = time.time()
    corpus_path = ROOT / cfg["paths"]["corpus"]
    docs = [d for d in C.read_jsonl(corpus_path) if d.split in ("train", "heldout")]  # never the fresh split
    nlp = load_nlp(base)
    sdocs = list(nlp.pipe([d.text for d in docs], batch_size=8))
    rows = {"train": [], "heldout": []}
    for d, sdoc in zip(docs, sdocs):
        rows[d.split].extend(doc_pairs(d, sdoc))
    print(f"parsed {len(docs)} documents in {time.time() - t0:.0f}s; pairs: train {len(rows['train'])}, "
          f"heldout {len(rows['heldout'])}; positive train pairs "
          f"{sum(1 for _, y, _ in rows['train'] if y != 'none')}")
    counts = Counter(k for f, _, _ in rows["train"] for k in f)
    keep = {k for k, n in counts.items() if n >= args.min_count}
    vec = DictVectorizer()
    X = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f, _, _ in rows["train"]])
    y = [lab for _, lab, _ in rows["train"]]
    clf = LogisticRegression(C=args.C, max_iter=3000, random_state=0)
    clf.fit(X, y)
    names = vec.get_feature_names_out()
    weights: dict[str, list] = {}
    coef = clf.coef_
    for j, name in enumerate(names):
        col = [(int(k), round(float(coef[k, j]), 5)) for k in range(coef.shape[0]) if abs(coef[k, j]) > 1e-4]
        if col:
            weights[str(name)] = col
    data = {"classes": [str(c) for c in clf.classes_], "intercept": [round(float(v), 5) for v in clf.intercept_],
            "weights": weights}
    model = RelationModel(data)

    # held-out documents, gold mentions: the classifier alone
    pred, gold, hit = Counter(), Counter(), Counter()
    for f, lab, (_, _, pair) in rows["heldout"]:
        p_lab, _ = model.predict(f)
        g = decode(lab, pair) if lab != "none" else None
        p = decode(p_lab, pair)
        if g:
            gold[g[0]] += 1
        if p:
            pred[p[0]] += 1
            if g and p == g or (g and p and p[0] == g[0] == "partners_with"):
                hit[p[0]] += 1
    rels = sorted({r for r in list(gold) + list(pred)})
    report = _prf(pred, gold, hit, rels)
    print(f"{'relation':16}{'P':>7}{'R':>7}{'pred':>6}{'gold':>6}   (held-out documents, gold mentions)")
    for r, row in report.items():
        print(f"{r:16}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['predicted']:>6}{row['gold']:>6}")
    data["meta"] = {
        "base": base, "C": args.C, "min_count": args.min_count, "features": len(weights),
        "train_pairs": len(rows["train"]), "corpus_sha256": hashlib.sha256(corpus_path.read_bytes()).hexdigest(),
        "heldout_gold_mentions": report, "train_seconds": round(time.time() - t0, 1),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.output}: {len(weights)} features, {Path(args.output).stat().st_size // 1024} KB, "
          f"{time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
