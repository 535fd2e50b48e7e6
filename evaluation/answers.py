"""Answer evaluation (`casegraph eval --questions FILE`): answer@1, answer@5, source@3, evidence@3.

Implements the outside check's matching (shared/eval/README.md): answers and gold strings are
normalised (lower-case, NFKC, straight quotes, punctuation other than `£ % . '` dropped, a leading
"the" dropped); an answer matches a gold string when they are equal, or when the answer contains
the gold and is at most three times its length (or 25 characters longer). Evidence matches when the
first 40 normalised characters of the gold sentence occur in a normalised source passage.
Every retrieval mode is scored in the same run, on the same store, with the same answer building.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["normalise_answer", "answer_matches", "evidence_in", "score_answer", "evaluate_questions",
           "format_report", "run_evaluation", "calibration", "heldout_questions", "METRICS", "MODES",
           "SYSTEM_MODES", "BASELINE_MODES"]

METRICS = ("answer@1", "answer@5", "source@3", "evidence@3")
# The full system and its retrieval ablations (the same answer builder over one retriever) ...
SYSTEM_MODES = ("hybrid", "dense", "bm25")
# ... and the issue's two baselines: the naive pipeline (top passage, its first entity of the
# expected type) over dense retrieval and over BM25.
BASELINE_MODES = ("naive-dense", "naive-bm25")
MODES = SYSTEM_MODES + BASELINE_MODES
_ALIASES = {"naive": "naive-dense"}


def normalise_answer(text: str) -> str:
    """The outside check's normal form of an answer or gold string."""
    from .extraction import normalise_name

    return normalise_name(text or "")


def answer_matches(answer: str | None, golds: Iterable[str]) -> bool:
    """True when `answer` equals a gold string, or contains it and is not much longer (see module doc)."""
    if not answer:
        return False
    a = normalise_answer(answer)
    if not a:
        return False
    for gold in golds:
        g = normalise_answer(gold)
        if not g:
            continue
        if a == g or (g in a and len(a) <= max(3 * len(g), len(g) + 25)):
            return True
    return False


def evidence_in(evidence: str, passages: Iterable[str]) -> bool:
    """True when the first 40 normalised characters of `evidence` occur in one of `passages`."""
    head = normalise_answer(evidence)[:40]
    return bool(head) and any(head in normalise_answer(p) for p in passages)


def score_answer(ans, item: dict) -> dict:
    """The four hit flags of one Answer against one gold question item."""
    golds = item.get("answers") or []
    sources = list(ans.sources)
    return {
        "answer@1": answer_matches(ans.answer, golds),
        "answer@5": any(answer_matches(c.name, golds) for c in ans.candidates[:5]),
        "source@3": any(s.doc == item.get("doc") for s in sources[:3]),
        "evidence@3": evidence_in(item.get("evidence") or "", (s.passage for s in sources[:3])),
    }


def evaluate_questions(engine, questions: Sequence[dict], *, modes: Sequence[str] = ("hybrid", "dense", "bm25")) -> dict:
    """Answer every question in every mode; returns {mode: {metric: rate}, "rows": [...], "latency": ...}."""
    from search.answer import answer, passages
    from search.scorer import Scorer, load_scorer

    from .baseline import naive_answer

    # The answer before withholding, with its confidence, so the calibration can be read; the
    # threshold is applied here (a withheld answer is no answer@1).
    installed = load_scorer()
    scorer = Scorer(installed.spec, threshold=0.0) if installed is not None else None
    threshold = installed.threshold if installed is not None else 0.0
    state = engine.state()
    vectors = engine.vectors
    modes = [_ALIASES.get(m, m) for m in modes]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown evaluation mode(s) {', '.join(unknown)}; use {', '.join(MODES)}")
    result: dict = {"n": len(questions), "modes": {}, "rows": []}
    per_mode_hits: dict[str, dict[str, int]] = {m: {k: 0 for k in METRICS} for m in modes}
    timings: dict[str, list[float]] = {m: [] for m in modes}
    unwithheld: dict[str, int] = {m: 0 for m in modes}  # answer@1 had no answer been withheld
    retrieval: dict[str, float] = {m: 0.0 for m in modes}  # reciprocal rank of the gold sentence's passage
    rows = {item.get("id", str(i)): {"id": item.get("id", str(i)), "q": item["q"], "gold": (item.get("answers") or [""])[0],
                                     "doc": item.get("doc"), "type": item.get("type", "?")} for i, item in enumerate(questions)}
    answerable = [item for item in questions if item.get("type") != "none"]
    for mode in modes:
        for i, item in enumerate(questions):
            t = time.perf_counter()
            if mode in BASELINE_MODES:
                ans = naive_answer(item["q"], state, vectors, mode=mode.split("-")[1])
            else:
                ans = answer(item["q"], state, vectors, mode=mode, scorer=scorer)
            timings[mode].append((time.perf_counter() - t) * 1000)
            raw = answer_matches(ans.answer, item.get("answers") or []) if item.get("type") != "none" else False
            asserted = ans.answer is not None and (ans.confidence is None or ans.confidence >= threshold)
            if not asserted and ans.answer is not None:
                import dataclasses

                ans = dataclasses.replace(ans, answer=None)
            flags = score_answer(ans, item)
            if mode not in BASELINE_MODES:
                rank = _evidence_rank(item, passages(item["q"], state, vectors, mode=mode), state)
                retrieval[mode] += 1.0 / rank if rank else 0.0
            if item.get("type") != "none":
                for k, v in flags.items():
                    per_mode_hits[mode][k] += int(v)
                unwithheld[mode] += int(raw)
            row = rows[item.get("id", str(i))]
            row[mode] = {"answer": ans.answer, "candidates": [c.name for c in ans.candidates[:5]],
                         "sources": [s.doc for s in ans.sources[:3]], **flags,
                         "confidence": ans.confidence, "raw_right": raw, "had_answer": raw or ans.answer is not None
                         or bool(ans.candidates), "asserted": asserted}
    n = max(len(answerable), 1)
    for mode in modes:
        ms = sorted(timings[mode])
        result["modes"][mode] = {k: per_mode_hits[mode][k] / n for k in METRICS}
        result["modes"][mode]["answer@1_unwithheld"] = unwithheld[mode] / n
        # Retrieval alone (before answer building): where the gold sentence's passage ranks.
        result["modes"][mode]["evidence_mrr"] = retrieval[mode] / n if mode not in BASELINE_MODES else None
        result["modes"][mode]["latency_ms_p50"] = statistics.median(ms) if ms else 0.0
        result["modes"][mode]["latency_ms_p95"] = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))] if ms else 0.0
    result["rows"] = list(rows.values())
    result["n_answerable"] = len(answerable)
    result["by_type"] = _by_type(result["rows"], modes)
    if scorer is not None:
        result["calibration"] = {m: calibration(result["rows"], m, threshold) for m in modes if m in SYSTEM_MODES}
    result["baselines"] = [m for m in modes if m in BASELINE_MODES]
    result["ablations"] = [m for m in modes if m in SYSTEM_MODES]
    if "hybrid" in result["modes"] and result["baselines"]:
        # The issue's test, metric by metric: the full system ahead of every baseline ("ahead"),
        # level with the best of them ("tied"), or behind one ("behind").
        best = {k: max(result["modes"][b][k] for b in result["baselines"]) for k in METRICS}
        hybrid = result["modes"]["hybrid"]
        result["ahead_of_baselines"] = {
            k: "ahead" if hybrid[k] > best[k] else "tied" if hybrid[k] == best[k] else "behind" for k in METRICS}
    return result


def _by_type(rows: list[dict], modes) -> dict:
    """{mode: {type: {n, metric: rate}}}; for unanswerable questions (type none) the share withheld."""
    out: dict = {}
    for mode in modes:
        table: dict = {}
        for t in sorted({r["type"] for r in rows}):
            got = [r[mode] for r in rows if r["type"] == t and mode in r]
            if not got:
                continue
            if t == "none":
                table[t] = {"n": len(got), "withheld": sum(g["answer"] is None for g in got) / len(got)}
            else:
                table[t] = {"n": len(got), **{k: sum(bool(g[k]) for g in got) / len(got) for k in METRICS}}
        out[mode] = table
    return out


def calibration(rows: list[dict], mode: str, threshold: float, bins: int = 10) -> dict:
    """Reliability table (confidence bins: mean confidence against share right), expected calibration
    error, and coverage against accuracy as the threshold moves, over the questions that got an
    answer before withholding (unanswerable ones count as wrong when answered)."""
    got = [(r[mode]["confidence"] or 0.0, bool(r[mode]["raw_right"])) for r in rows
           if mode in r and r[mode].get("confidence") is not None and r[mode]["had_answer"]]
    n_all = sum(1 for r in rows if mode in r)
    table, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, y) for c, y in got if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = sum(c for c, _ in inside) / len(inside)
            acc = sum(y for _, y in inside) / len(inside)
            ece += len(inside) / max(len(got), 1) * abs(conf - acc)
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inside), "confidence": conf, "accuracy": acc})
        else:
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": 0, "confidence": None, "accuracy": None})
    curve = []
    for t in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, threshold):
        kept = [y for c, y in got if c >= t]
        curve.append({"threshold": t, "coverage": len(kept) / max(n_all, 1),
                      "accuracy": sum(kept) / len(kept) if kept else None})
    at = curve.pop()
    curve.sort(key=lambda x: x["threshold"])
    return {"n": len(got), "reliability": table, "ece": ece, "coverage": curve, "at_threshold": at}


def _evidence_rank(item: dict, hits, state) -> int | None:
    """1-based rank of the first retrieved passage holding the gold evidence, or None."""
    evidence = item.get("evidence") or ""
    for r, h in enumerate(hits, 1):
        if evidence_in(evidence, [state.snapshot.passages[h.index].text]):
            return r
    return None


def format_report(result: dict, *, misses_mode: str = "hybrid") -> str:
    """The tables and the misses of `evaluate_questions` output, as printed by `casegraph eval`:
    the full system with its retrieval ablations, then the issue's naive baselines."""
    header = f"{'mode':<12}" + "".join(f"{m:>12}" for m in METRICS) + f"{'p50 ms':>9}{'p95 ms':>9}{'ret MRR':>9}"

    def line(mode: str, row: dict) -> str:
        return (f"{mode:<12}" + "".join(f"{row[m]:>12.3f}" for m in METRICS)
                + f"{row['latency_ms_p50']:>9.1f}{row['latency_ms_p95']:>9.1f}"
                + (f"{row['evidence_mrr']:>9.3f}" if row.get("evidence_mrr") is not None else f"{'-':>9}"))

    modes = result["modes"]
    system = [m for m in modes if m not in BASELINE_MODES]
    baselines = [m for m in modes if m in BASELINE_MODES]
    lines = [f"{result.get('name', 'questions')}: {result['n']} questions"
             + (f" ({result['n_answerable']} answerable; rates over those)" if result.get("n_answerable", result["n"]) != result["n"] else "")]
    if system:
        lines += ["", "full system; dense and bm25 rows are retrieval ablations (same answer builder, one retriever):",
                  header] + [line(m, modes[m]) for m in system]
    if baselines:
        lines += ["", "baselines (the issue's naive pipeline: top passage, its first entity of the expected type):",
                  header] + [line(m, modes[m]) for m in baselines]
    if result.get("calibration"):
        lines += ["", "answer@1 had nothing been withheld: " + ", ".join(
            f"{m} {row['answer@1_unwithheld']:.3f}" for m, row in modes.items() if m in system)]
    by_type = result.get("by_type") or {}
    if by_type:
        lines += ["", "by question type (answer@1 counts a withheld answer as a miss; 'none' rows: share withheld):"]
        head = f"{'mode':<12}{'type':<12}{'n':>5}" + "".join(f"{m:>12}" for m in METRICS)
        lines.append(head)
        for mode, table in by_type.items():
            for t, row in table.items():
                if t == "none":
                    lines.append(f"{mode:<12}{t:<12}{row['n']:>5}{'withheld':>12}{row['withheld']:>12.3f}")
                else:
                    lines.append(f"{mode:<12}{t:<12}{row['n']:>5}" + "".join(f"{row[m]:>12.3f}" for m in METRICS))
    for mode, cal in (result.get("calibration") or {}).items():
        if mode != "hybrid":
            continue
        at = cal["at_threshold"]
        lines += ["", f"calibration ({mode}, {cal['n']} answered questions): expected calibration error {cal['ece']:.3f}",
                  f"{'confidence':<12}{'n':>6}{'mean conf':>11}{'accuracy':>10}"]
        for b in cal["reliability"]:
            if b["n"]:
                lines.append(f"{b['bin']:<12}{b['n']:>6}{b['confidence']:>11.3f}{b['accuracy']:>10.3f}")
            else:
                lines.append(f"{b['bin']:<12}{0:>6}{'-':>11}{'-':>10}")
        lines += [f"{'threshold':<12}{'coverage':>10}{'accuracy':>10}"]
        for c in cal["coverage"]:
            acc = f"{c['accuracy']:>10.3f}" if c["accuracy"] is not None else f"{'-':>10}"
            lines.append(f"{c['threshold']:<12.3f}{c['coverage']:>10.3f}{acc}")
        acc = f"{at['accuracy']:.3f}" if at["accuracy"] is not None else "-"
        lines.append(f"at the installed threshold {at['threshold']:.3f}: coverage {at['coverage']:.3f}, "
                     f"accuracy of asserted answers {acc}")
    ahead = result.get("ahead_of_baselines")
    if ahead:
        lines += ["", "hybrid against the better baseline: " + ", ".join(f"{k} {v}" for k, v in ahead.items())]
    misses = [r for r in result["rows"] if misses_mode in r and not all(r[misses_mode][m] for m in METRICS)]
    if misses:
        lines += ["", f"misses ({misses_mode}): {len(misses)} questions"]
        for r in misses:
            got = r[misses_mode]
            failed = ", ".join(m for m in METRICS if not got[m])
            lines.append(f"  {r['id']}: {r['q']}")
            lines.append(f"      gold: {r['gold']!r} in {r['doc']}")
            lines.append(f"      got:  {got['answer']!r}; candidates {got['candidates']}; sources {got['sources']}")
            lines.append(f"      missed: {failed}")
    return "\n".join(lines)


def _entities_and_relations(store):
    """Resolved Entity and Relation records rebuilt from the saved graph."""
    from graph.build import load_graph
    from ingest.records import Entity, Relation

    graph = load_graph(store.graph_path)
    entities = [Entity(id=n, type=d.get("type", ""), name=d.get("name", n), aliases=tuple(d.get("aliases") or ()),
                       docs=tuple(d.get("docs") or ()), sector=d.get("sector"), mentions=d.get("mentions") or 0)
                for n, d in graph.nodes(data=True) if d.get("type") != "document"]
    relations = [Relation(source=u, target=v, relation=d.get("relation", ""), doc=d.get("doc", ""),
                          evidence=d.get("evidence", ""), start=d.get("start", 0), end=d.get("end", 0),
                          page=d.get("page"), role=d.get("role"))
                 for u, v, d in graph.edges(data=True)]
    return entities, relations


def heldout_questions(root=None, split: str = "heldout") -> tuple[object, list[dict]]:
    """A never-seen split ('heldout', or 'fresh': written after every choice was made): its store
    (train/.stores/<split>, ingested incrementally from train/corpus.jsonl) and its question-answer
    items (train/qa), read only for summary rows."""
    from .qa_sets import STORES, build_store, questions

    items = questions(split)
    if not items:
        return None, []
    st = build_store(split, Path(root) if root else STORES)
    return st, items


def run_evaluation(*, corpus, store=None, questions=None, entities=None, json_out=None,
                   modes: Sequence[str] = MODES, out=None, heldout: bool = False) -> int:
    """Ingest `corpus` into `store` (a fresh temp folder by default), print the question and entity
    tables with the misses, write JSON when `json_out`; returns 0 (the exit status)."""
    from app import ingest_and_index
    from ingest.store import Store

    out = out or sys.stdout
    tmp = None
    if store is None:
        tmp = tempfile.TemporaryDirectory(prefix="casegraph-eval-")
        store = tmp.name
    st = Store(Path(store))
    try:
        t = time.perf_counter()
        report = ingest_and_index(corpus, st, progress=False, log=lambda msg: print(msg, file=sys.stderr))
        print(f"ingest: {report.summary()} (store {st.root}, {time.perf_counter() - t:.1f}s)", file=out)
        figures: dict = {"corpus": str(corpus)}
        for split in ("fresh", "heldout") if heldout else ():
            from search.engine import Engine

            hst, items = heldout_questions(split=split)
            if not items:
                continue
            engine = Engine(hst)
            engine.warm()
            result = evaluate_questions(engine, items, modes=modes)
            # the held-out split's misses have been read since 2026-12-03: a development set now
            kind = "never-seen split" if split == "fresh" else "held-out split (a development set)"
            result["name"] = f"{kind} '{split}' (train/qa questions on its documents)"
            figures[split] = result
            print(format_report(result, misses_mode=None), file=out)
            print("", file=out)
        if questions:
            from search.engine import Engine

            items = json.loads(Path(questions).read_text("utf-8"))
            engine = Engine(st)
            engine.warm()
            result = evaluate_questions(engine, items, modes=modes)
            result["name"] = f"questions {Path(questions).name}"
            figures["questions"] = result
            print(format_report(result), file=out)
        if entities:
            from .extraction import evaluate_entities, format_entity_report

            gold = json.loads(Path(entities).read_text("utf-8"))
            ents, rels = _entities_and_relations(st)
            ent_result = evaluate_entities(gold, ents, rels)
            figures["entities"] = ent_result
            print("", file=out)
            print(format_entity_report(ent_result), file=out)
        if not questions and not entities and not heldout:
            print("nothing to evaluate: give --questions FILE and/or --entities FILE", file=out)
        if json_out:
            Path(json_out).write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0
