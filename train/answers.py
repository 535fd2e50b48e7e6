"""The learned answer scorer: features of every candidate for the training questions, a logistic
regression over them, and an isotonic map from the top score to P(correct).

    python train/answers.py            # ingest, extract features, fit, calibrate, write search/models/answer_scorer.json
    python train/answers.py --rank learned   # the same, answers ranked by the learned weights by default
    python train/answers.py ingest     # only build the stores (train/.stores/{train,heldout})

The training corpus (train/corpus.jsonl) is written out as files and ingested with the real
pipeline, one store per split, so nothing about the never-seen documents (not even their IDF)
reaches training. Training questions (train/qa, split "train") are divided by document: most fit
the weights, the rest (CALIB_SHARE of the documents) choose the model and calibrate the confidence
and the withholding threshold. The held-out questions are only read by `casegraph eval --heldout`.
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODEL = ROOT / "search" / "models" / "answer_scorer.json"
CALIB_SHARE = 0.3  # share of the train split's documents kept out of fitting, for selection and calibration
TARGET_PRECISION = 0.9  # share of asserted answers that must be right at the threshold (on calibration)
SEED = 18
# The ranking answers use by default. Measured (see the commit): the learned ranking is a little
# better on the calibration documents and the never-seen split, the hand one better on the dev
# questions it was tuned on; the hand ranking stays the default, both are calibrated, and
# CASEGRAPH_RANK=learned (or --rank learned here) picks the other.
DEFAULT_RANK = "hand"

from evaluation.qa_sets import STORES, build_store, questions  # noqa: E402,F401  (STORES: where the stores live)


def pools(engine, items: list[dict], *, mode: str = "hybrid") -> list[dict]:
    """For each question: its candidate pool, each candidate's features and label (matches a gold answer)."""
    from evaluation.answers import answer_matches
    from search.answer import candidate_pool, pool_features

    state, vectors = engine.state(), engine.vectors
    out = []
    t = time.perf_counter()
    for n, it in enumerate(items, 1):
        q, hits, pool = candidate_pool(it["q"], state, vectors, mode=mode)
        xs = pool_features(q, pool)
        golds = it["answers"] if it["type"] != "none" else []
        ys = [int(answer_matches(c.name, golds)) for c in pool]
        out.append({"item": it, "q": q, "hits": hits, "pool": pool, "xs": xs, "ys": ys})
        if n % 100 == 0:
            print(f"  {n}/{len(items)} questions ({(time.perf_counter() - t) / n * 1000:.0f} ms each)", file=sys.stderr)
    return out


def split_docs(items: list[dict], share: float = CALIB_SHARE, seed: int = SEED) -> tuple[set, set]:
    """(fit documents, calibration documents): a seeded split of the documents, never of questions."""
    docs = sorted({it["doc"] for it in items})
    random.Random(seed).shuffle(docs)
    k = round(len(docs) * share)
    return set(docs[k:]), set(docs[:k])


def fit(rows: list[dict], c: float, balanced: bool) -> dict:
    """A logistic regression over the named features of `rows`' candidates, as a JSON-able spec."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    names = sorted({k for r in rows for x in r["xs"] for k in x})
    X = np.array([[x.get(k, 0.0) for k in names] for r in rows for x in r["xs"]], dtype=float)
    y = np.array([v for r in rows for v in r["ys"]])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if balanced else None)
    model.fit((X - mean) / scale, y)
    return {"features": names, "weights": {k: float(w) for k, w in zip(names, model.coef_[0])},
            "mean": {k: float(m) for k, m in zip(names, mean)}, "scale": {k: float(v) for k, v in zip(names, scale)},
            "intercept": float(model.intercept_[0]), "C": c, "class_weight": "balanced" if balanced else None}


def answers_of(rows: list[dict], engine, scorer) -> list[dict]:
    """Each question's Answer under `scorer` (threshold off), with whether it is right and its top score."""
    from evaluation.answers import score_answer
    from search.answer import answer_from

    state = engine.state()
    out = []
    for r in rows:
        it = r["item"]
        ans = answer_from(it["q"], r["q"], r["hits"], r["pool"], state, scorer=scorer)
        gold = dict(it, answers=it["answers"] if it["type"] != "none" else [])
        flags = score_answer(ans, gold)
        out.append({"id": it["id"], "type": it["type"], "asserted": ans.answer is not None,
                    "p": ans.confidence if ans.confidence is not None else 0.0, **flags})
    return out


def calibrate(results: list[dict]) -> dict:
    """Isotonic map from top probability to P(right) over the asserted answers, and the lowest
    threshold whose kept answers are right at least TARGET_PRECISION of the time (by the lower
    Wilson bound, so a handful of lucky answers do not set it)."""
    import numpy as np
    from sklearn.isotonic import IsotonicRegression

    asserted = [r for r in results if r["asserted"]]
    p = np.array([r["p"] for r in asserted])
    y = np.array([int(r["answer@1"]) for r in asserted])
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y)
    conf = iso.predict(p)
    threshold = choose_threshold(conf.tolist(), y.tolist())
    return {"isotonic": {"x": [float(v) for v in iso.X_thresholds_], "y": [float(v) for v in iso.y_thresholds_]},
            "threshold": float(threshold),
            "coverage": float((conf >= threshold).sum() / max(len(results), 1)),
            "precision": float(y[conf >= threshold].mean()) if (conf >= threshold).any() else None}


def choose_threshold(conf: list[float], right: list[int], target: float = TARGET_PRECISION) -> float:
    """The lowest confidence whose kept answers are right `target` of the time by the lower Wilson
    bound; failing that, by the plain share; failing that, the confidence of the surest answers
    (never 1.0 by default, which would withhold everything)."""
    levels = sorted(set(conf))
    for ok in (lambda k, n: _wilson_low(k, n) >= target, lambda k, n: k / n >= target):
        for t in levels:
            kept = [y for c, y in zip(conf, right) if c >= t]
            if kept and ok(sum(kept), len(kept)):
                return float(t)
    return float(levels[-1]) if levels else 1.0


def _wilson_low(k: float, n: int, z: float = 1.0) -> float:
    p = k / n
    return (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)


def _open(spec: dict, rank: str):
    """The scorer of `spec` ranking by `rank`, uncalibrated and never withholding (for fitting the calibration)."""
    from search.scorer import Scorer

    return Scorer(dict(spec, rank=rank, calibration=None, isotonic=None), threshold=0.0)


def train(root: Path = STORES, out: Path = MODEL, rank: str = DEFAULT_RANK) -> dict:
    """Ingest the train split, read the candidate pools, fit and choose the weights, calibrate, save."""
    from search.engine import Engine

    st = build_store("train", root)
    engine = Engine(st)
    engine.warm()
    items = questions("train")
    fit_docs, calib_docs = split_docs(items)
    print(f"train split: {len(items)} questions; fit on {len(fit_docs)} documents, calibrate on {len(calib_docs)}",
          file=sys.stderr)
    rows = pools(engine, items)
    fit_rows = [r for r in rows if r["item"]["doc"] in fit_docs]
    cal_rows = [r for r in rows if r["item"]["doc"] in calib_docs]

    def rates(res):
        ans = [r for r in res if r["type"] != "none"]
        return sum(r["answer@1"] for r in ans) / len(ans), sum(r["answer@5"] for r in ans) / len(ans)

    hand = rates(answers_of(cal_rows, engine, None))
    print(f"hand formula on calibration documents (answerable): answer@1 {hand[0]:.3f} answer@5 {hand[1]:.3f}",
          file=sys.stderr)
    best = None
    for c in (0.03, 0.1, 0.3, 1.0, 3.0):
        for balanced in (False, True):
            spec = fit(fit_rows, c, balanced)
            a1, a5 = rates(answers_of(cal_rows, engine, _open(spec, "learned")))
            print(f"  C={c:<5} balanced={balanced!s:<5} answer@1 {a1:.3f} answer@5 {a5:.3f}", file=sys.stderr)
            if best is None or (a1, a5) > best[:2]:
                best = (a1, a5, spec)
    a1, a5, spec = best
    spec["calibration"] = {r: calibrate(answers_of(cal_rows, engine, _open(spec, r))) for r in ("hand", "learned")}
    spec.update(rank=rank, trained={
        "corpus": "train/corpus.jsonl split train", "questions": "train/qa", "calibration_share": CALIB_SHARE,
        "seed": SEED, "learned_calibration_answer@1": a1, "learned_calibration_answer@5": a5,
        "hand_calibration_answer@1": hand[0], "hand_calibration_answer@5": hand[1], "target_precision": TARGET_PRECISION})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(out)
    for r, cal in spec["calibration"].items():
        print(f"{r} ranking: threshold {cal['threshold']:.3f}, coverage {cal['coverage']:.3f}, "
              f"precision {cal['precision']} on the calibration documents", file=sys.stderr)
    print(f"chose C={spec['C']} class_weight={spec['class_weight']}: calibration answer@1 {a1:.3f} "
          f"(hand {hand[0]:.3f}); answers ranked by {rank}; wrote {out}", file=sys.stderr)
    return spec


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "all"
    if cmd == "ingest":
        build_store("train")
        build_store("heldout")
        return 0
    if cmd in ("all", "--rank"):
        train(rank=argv[1] if cmd == "--rank" and len(argv) > 1 else DEFAULT_RANK)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
