"""The measured side of each benchmark: run in a fresh interpreter by `bench.measure`.

`python -m bench.workers KIND --json-out FILE ...` does one job (ingest, naive, ask, export) and
writes its own figures as JSON to FILE; wall, CPU and peak memory are taken from outside by the
parent, so these figures are only what the process alone can know (stage timings, latencies).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import ingest  # noqa: F401  (offline environment before anything else)

STAGES: dict[str, float] = defaultdict(float)


def _timed(stage: str, fn):
    """Wrap `fn` so the time of its outermost calls adds up under `stage`."""
    depth = {"n": 0}

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        depth["n"] += 1
        t = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            depth["n"] -= 1
            if depth["n"] == 0:
                STAGES[stage] += time.perf_counter() - t

    return wrapper



def instrument() -> None:
    """Split the pipeline's coarse stages into finer ones without changing what runs.

    Functions are re-bound on their modules before the pipeline imports them, so the pipeline
    calls the timed versions; nothing is replaced, only timed."""
    import ingest.normalise as normalise

    for name in getattr(normalise, "__all__", ()):
        fn = getattr(normalise, name, None)
        if callable(fn) and not isinstance(fn, type):
            setattr(normalise, name, _timed("clean", fn))
    import ingest.chunk as chunk
    import ingest.extract as extract
    import ingest.nlp as nlp

    nlp.load_nlp = _timed("nlp_model_load", nlp.load_nlp)
    nlp.parse = _timed("nlp", nlp.parse)  # the pipeline's batch parser (segments, maybe two processes)
    extract.extract = _timed("extraction", extract.extract)
    chunk.chunk = _timed("chunk", chunk.chunk)
    from ingest.store import Store

    Store.write_records = _timed("record_write", Store.write_records)
    import search.embed as embed

    embed.load_model = _timed("embed_model_load", embed.load_model)  # the torch backend
    embed._session = _timed("embed_model_load", embed._session)  # the onnx backend (cached)


def job_ingest(args) -> dict:
    if args.instrument:
        instrument()
    from app import consumers
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import Store

    t = time.perf_counter()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    report = run_ingest(args.corpus, Store(Path(args.store)), consumers=consumers(), progress=False,
                        log=lambda msg: print(msg, file=sys.stderr))
    wall = time.perf_counter() - t
    if profiler:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_text(unicode=False, color=False, show_all=False), "utf-8")
    return {"wall_in_process": wall, "timings": dict(report.timings), "stages": dict(STAGES),
            "added": len(report.added), "updated": len(report.updated), "unchanged": len(report.unchanged),
            "removed": len(report.removed), "failed": report.failed}


def job_add_warm(args) -> dict:
    """Add one report to a store the way `casegraph watch` does: spaCy, the embedding model and
    the store already loaded by an earlier ingest in this process; only the second one is timed."""
    if args.instrument:
        instrument()
    from app import consumers
    from ingest.nlp import load_nlp
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import Store
    from ingest.watch import warm_up
    from search.index import refresh

    from .scale import make_report

    store, extra = Store(Path(args.store)), Path(args.extra)
    extra.unlink(missing_ok=True)
    made_by = refresh.embed_ahead(store)  # the store's embedder, as the watch's ingests use
    load_nlp(), made_by(["warm up"]), made_by(["warm up"], threads=1)
    run_ingest(args.corpus, store, consumers=consumers(), progress=False, log=lambda msg: None)
    warm_up(store, consumers())  # as `casegraph watch` does after its first ingest
    make_report(args.report_source, extra)
    STAGES.clear()
    t = time.perf_counter()
    report = run_ingest(args.corpus, store, consumers=consumers(), progress=False, log=lambda msg: None)
    wall = time.perf_counter() - t
    extra.unlink()
    run_ingest(args.corpus, store, consumers=consumers(), progress=False, log=lambda msg: None)
    return {"wall_in_process": wall, "timings": dict(report.timings), "stages": dict(STAGES),
            "added": report.added, "words": None}


def job_naive(args) -> dict:
    from .naive import naive_ingest

    return naive_ingest(args.corpus, args.store)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q / 100 * (len(ordered) - 1)
    lo, hi = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (rank - lo)


def job_ask(args) -> dict:
    """Warm `ask` latency: load once, one untimed pass, then `rounds` timed passes."""
    import psutil

    from search.engine import Engine

    questions = [q["q"] if isinstance(q, dict) else q  # the eval format or a plain list
                 for q in json.loads(Path(args.questions).read_text("utf-8"))]
    t = time.perf_counter()
    engine = Engine(Path(args.store))
    engine.warm()
    warm_s = time.perf_counter() - t
    answered = 0
    for q in questions:
        answered += engine.ask(q).answer is not None
    latencies = []
    for _ in range(args.rounds):
        for q in questions:
            t = time.perf_counter()
            engine.ask(q)
            latencies.append((time.perf_counter() - t) * 1000)
    return {"questions": len(questions), "rounds": args.rounds, "answered": answered, "warm_load_s": warm_s,
            "p50_ms": _percentile(latencies, 50), "p95_ms": _percentile(latencies, 95),
            "p99_ms": _percentile(latencies, 99), "max_ms": max(latencies) if latencies else None,
            "rss_mb": psutil.Process().memory_info().rss / 2**20}


def job_export(args) -> dict:
    """Time the partnerships view and its exports from a saved graph."""
    from graph.build import load_graph
    from graph.export import export
    from graph.views import make_view
    from ingest.store import Store

    store = Store(Path(args.store))
    t = time.perf_counter()
    graph = load_graph(store.graph_path)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    view = make_view(graph, "partnerships")
    view_s = time.perf_counter() - t
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    formats = {}
    for fmt in args.formats.split(","):
        t = time.perf_counter()
        export(view, fmt, out / f"partnerships.{fmt}")
        formats[fmt] = time.perf_counter() - t
    return {"graph_nodes": graph.number_of_nodes(), "graph_edges": graph.number_of_edges(),
            "view_nodes": view.number_of_nodes(), "view_edges": view.number_of_edges(),
            "load_graph_s": load_s, "view_s": view_s, "export_s": formats}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers")
    parser.add_argument("kind", choices=["ingest", "add_warm", "naive", "ask", "export"])
    parser.add_argument("--json-out", required=True)
    parser.add_argument("--corpus")
    parser.add_argument("--store")
    parser.add_argument("--instrument", action="store_true")
    parser.add_argument("--profile")
    parser.add_argument("--questions")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out")
    parser.add_argument("--extra", help="add_warm: the new report's path inside the corpus")
    parser.add_argument("--report-source", help="add_warm: the bundled corpus the new report is cut from")
    parser.add_argument("--formats", default="json,graphml,html")
    args = parser.parse_args(argv)
    result = globals()[f"job_{args.kind}"](args)
    Path(args.json_out).write_text(json.dumps(result, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
