"""`python -m bench [--full] [--sizes 1,10]`: speed and memory of casegraph, with tables on stdout
and JSON in bench/results/.

Benchmarks (each job in a fresh interpreter, measured from outside):
  ingest  cold ingest of the bundled corpus, stage by stage, beside the naive ingest; re-ingest
  scale   1x / 10x (/ 100x with --full) corpora: ingest cost, store size, warm `ask` latency,
          partnerships export, re-ingest, one new 20-page report into the largest store
  ui      resident memory of `casegraph serve` once it answers
  cold_ask  a new `casegraph ask` process on the bundled corpus (the shell's experience): median
          wall of several runs per question
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .measure import ROOT, dir_size, machine, run_job, stop_process, tree_rss, write_result
from .scale import corpus_words, make_corpus, make_report

# The targets on a 2-core machine.
TARGETS = {
    "cold_vs_naive": 0.5,  # cold ingest wall <= 0.5 x the naive ingest's
    "peak_rss_mb": 1536,
    "reingest_s": 3.0,
    "add_report_s": 10.0,
    "ask_p95_ms_1x": 150.0,
    "ask_p95_ms_100x": 300.0,
    "per_doc_ratio": 1.2,
    "cold_ask_s": 3.0,
}

# Questions for the cold ask: one the answerer reads with the parser, one it answers without.
COLD_QUESTIONS = ("Who leads the South West peer learning group?", "Where is Storyhouse?")


def _table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    out = [f"\n== {title}", line, "-" * len(line)]
    out += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
    return "\n".join(out)


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def _ingest(corpus: Path, store: Path, *, instrument: bool = True, profile: Path | None = None):
    args = ["--corpus", str(corpus), "--store", str(store)]
    if instrument:
        args.append("--instrument")
    if profile:
        args += ["--profile", str(profile)]
    return run_job("ingest", *args)


def _summary(m, words: int, files: int) -> dict:
    r = m.result
    passages = _passages(r)
    return {"wall_s": m.wall_s, "cpu_s": m.cpu_s, "peak_rss_mb": m.peak_rss_mb, "documents": files,
            "words": words, "passages": passages, "words_per_s": words / m.wall_s,
            "passages_per_s": (passages / m.wall_s) if passages else None,
            "per_doc_s": m.wall_s / max(files, 1), "per_kword_s": m.wall_s / max(words / 1000, 1e-9),
            "in_process_s": r.get("wall_in_process"), "timings": r.get("timings", {}), "stages": r.get("stages", {})}


def _passages(result: dict) -> int | None:
    timings = result.get("timings", {})
    if "embedded" in timings:  # embedded by the index, plus those embedded during extraction
        return int(timings["embedded"]) + int(timings.get("vectors_read", 0))
    return result.get("passages")


def _stage_rows(timings: dict, stages: dict) -> list[list]:
    """The per-stage breakdown the issue asks for, from the pipeline's timings and the finer
    instrumented ones (load includes clean; extract = chunk + nlp + extraction + record writes)."""
    t, s = timings, stages
    load = t.get("load", 0.0)
    rows = [
        ["hash + compare", t.get("hash")],
        ["load (incl. clean)", load],
        ["  clean (all normalise calls)", s.get("clean")],
        ["chunk", s.get("chunk")],
        ["nlp model load", s.get("nlp_model_load")],
        ["nlp (spaCy)", (s.get("nlp") or 0.0) - (s.get("nlp_model_load") or 0.0) if "nlp" in s else None],
        ["extraction", s.get("extraction")],
        ["record writes", s.get("record_write")],
        ["manifest", t.get("manifest")],
        ["resolution", t.get("resolution")],
        ["graph save", t.get("graph_save")],
        ["keyword index", t.get("keyword_index")],
        ["embedding (incl. model load)", t.get("embedding")],
        ["  (a thread beside nlp; waited after)", t.get("embedding_wait")],
        ["  of which model load", s.get("embed_model_load")],
        ["  index embedding (not done ahead)", t.get("index_embedding")],
        ["vector index writes", t.get("index_write")],
        ["total (in process)", t.get("total")],
    ]
    return rows


# -- benchmarks ---------------------------------------------------------------------------------


def bench_ingest(args, work: Path) -> dict:
    corpus = Path(args.corpus)
    files, words, size = corpus_words(corpus)
    store = _fresh(work / "store-1x")
    profile = (work / "profile-ingest.txt") if args.profile else None
    cold = _ingest(corpus, store, profile=profile)
    naive = run_job("naive", "--corpus", str(corpus), "--store", str(_fresh(work / "store-naive")))
    again = _ingest(corpus, store, instrument=False)
    cold_s, naive_s = _summary(cold, words, files), _summary(naive, words, files)
    naive_s["stages"] = naive.result.get("timings", {})
    naive_s["passages"] = naive.result.get("passages")
    naive_s["passages_per_s"] = naive_s["passages"] / naive.wall_s
    data = {
        "corpus": {"folder": str(corpus), "documents": files, "words": words, "bytes": size},
        "cold": cold_s,
        "naive": naive_s,
        "ratio_cold_over_naive": cold.wall_s / naive.wall_s,
        "reingest_unchanged": {"wall_s": again.wall_s, "cpu_s": again.cpu_s, "peak_rss_mb": again.peak_rss_mb,
                               "in_process_s": again.result.get("wall_in_process"),
                               "unchanged": again.result.get("unchanged")},
        "store_bytes": dir_size(store),
    }
    print(_table("Cold ingest of the bundled corpus "
                 f"({files} documents, {words:,} words, {size / 1024:.0f} KB)",
                 ["", "wall s", "CPU s", "peak RSS MB", "words/s", "passages/s"],
                 [["casegraph", cold.wall_s, cold.cpu_s, cold.peak_rss_mb, cold_s["words_per_s"], cold_s["passages_per_s"]],
                  ["naive", naive.wall_s, naive.cpu_s, naive.peak_rss_mb, naive_s["words_per_s"], naive_s["passages_per_s"]],
                  ["ratio", cold.wall_s / naive.wall_s, cold.cpu_s / naive.cpu_s, cold.peak_rss_mb / naive.peak_rss_mb,
                   None, None],
                  ["re-ingest unchanged", again.wall_s, again.cpu_s, again.peak_rss_mb, None, None]]))
    nt = naive.result.get("timings", {})
    print(_table("Stages (seconds)", ["stage", "casegraph", "naive"],
                 [[name, value, {"nlp (spaCy)": nt.get("nlp"), "embedding (incl. model load)": nt.get("embedding"),
                                 "vector index writes": nt.get("index_write"), "load (incl. clean)": nt.get("load"),
                                 "nlp model load": nt.get("models")}.get(name)]
                  for name, value in _stage_rows(cold_s["timings"], cold_s["stages"])]))
    if profile and profile.exists():
        dest = ROOT / "bench" / "results" / f"profile-ingest-{machine()['date'][:10]}.txt"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(profile, dest)
        data["profile"] = str(dest.relative_to(ROOT))
        print(f"\nprofile of the cold ingest: {dest.relative_to(ROOT)}")
    return data


def _questions(args, work: Path) -> Path | None:
    src = Path(args.questions)
    if not src.exists():
        print(f"note: {src} not found; ask latency is skipped (give --questions)", file=sys.stderr)
        return None
    qs = [q["q"] for q in json.loads(src.read_text("utf-8")) if q.get("q")]
    out = work / "questions.json"
    out.write_text(json.dumps(qs), "utf-8")
    return out


def bench_scale(args, work: Path) -> dict:
    sizes = [int(s) for s in args.sizes.split(",")]
    questions = _questions(args, work)
    results = []
    rows, latency_rows = [], []
    for n in sizes:
        corpus = Path(args.corpus) if n == 1 else work / f"corpus-{n}x"
        if n != 1:
            make_corpus(args.corpus, corpus, n)
        files, words, size = corpus_words(corpus)
        store = _fresh(work / f"store-{n}x")
        cold = _ingest(corpus, store)
        entry = {"multiplier": n, "corpus_bytes": size, **_summary(cold, words, files),
                 "store_bytes": dir_size(store),
                 "store_parts": {p.name: dir_size(p) if p.is_dir() else p.stat().st_size for p in store.iterdir()}}
        if questions:
            ask = run_job("ask", "--store", str(store), "--questions", str(questions), "--rounds", str(args.rounds))
            entry["ask"] = dict(ask.result, process_peak_rss_mb=ask.peak_rss_mb)
            latency_rows.append([f"{n}x", ask.result["p50_ms"], ask.result["p95_ms"], ask.result["p99_ms"],
                                 ask.result["max_ms"], ask.result["warm_load_s"], ask.peak_rss_mb])
        try:
            exp = run_job("export", "--store", str(store), "--out", str(work / f"export-{n}x"))
            entry["export"] = exp.result
        except RuntimeError as exc:  # the export module may be mid-change; the rest still counts
            entry["export"] = {"error": str(exc)[-500:]}
        results.append(entry)
        rows.append([f"{n}x", files, words, cold.wall_s, cold.cpu_s, cold.peak_rss_mb, entry["per_doc_s"],
                     entry["per_kword_s"], entry["store_bytes"] / 2**20])
        print(f"[{n}x done: {cold.wall_s:.1f}s]", file=sys.stderr, flush=True)

    largest = sizes[-1]
    corpus = Path(args.corpus) if largest == 1 else work / f"corpus-{largest}x"
    store = work / f"store-{largest}x"
    again = _ingest(corpus, store, instrument=False)
    extra = Path(corpus) / "zz-new-report-20-pages.txt" if largest != 1 else None
    added = None
    if extra is not None:
        make_report(args.corpus, extra)
        try:
            add = _ingest(corpus, store)
            added = {"wall_s": add.wall_s, "cpu_s": add.cpu_s, "peak_rss_mb": add.peak_rss_mb,
                     "words": len(extra.read_text("utf-8").split()), "timings": add.result.get("timings"),
                     "stages": add.result.get("stages"), "into_multiplier": largest}
        finally:
            extra.unlink()
        # The same report added by a running `casegraph watch` (models already loaded).
        warm = run_job("add_warm", "--instrument", "--corpus", str(corpus), "--store", str(store), "--extra", str(extra),
                       "--report-source", str(args.corpus))
        added["warm_in_process_s"] = warm.result["wall_in_process"]
        added["warm_timings"] = warm.result["timings"]
        added["warm_stages"] = warm.result["stages"]
    base = results[0]
    data = {"sizes": results, "reingest_unchanged_largest": {"multiplier": largest, "wall_s": again.wall_s,
                                                             "in_process_s": again.result.get("wall_in_process")},
            "add_one_report": added,
            "per_doc_ratio_largest_over_1x": results[-1]["per_doc_s"] / base["per_doc_s"]}
    print(_table("Scale: cold ingest", ["size", "docs", "words", "wall s", "CPU s", "peak MB", "s/doc", "s/1k words",
                                        "store MB"], rows))
    if latency_rows:
        print(_table("Warm ask latency (ms) over the dev questions",
                     ["size", "p50", "p95", "p99", "max", "load s", "RSS MB"], latency_rows))
    exp_rows = [[f"{e['multiplier']}x", e["export"].get("view_nodes"), e["export"].get("view_edges"),
                 e["export"].get("load_graph_s"), e["export"].get("view_s"),
                 *[e["export"].get("export_s", {}).get(f) for f in ("json", "graphml", "html")]]
                for e in results if "export" in e]
    print(_table("Partnerships view export (s)", ["size", "nodes", "edges", "load graph", "view", "json",
                                                   "graphml", "html"], exp_rows))
    rows = [[f"re-ingest unchanged ({largest}x)", again.wall_s]]
    if added:
        rows.append([f"add one {added['words']:,}-word report ({largest}x), new process", added["wall_s"]])
        rows.append([f"the same, into a running watch (models loaded)", added["warm_in_process_s"]])
    print(_table("Incremental", ["", "wall s"], rows))
    return data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_ui(args, work: Path) -> dict:
    """RSS of `casegraph serve` once its page answers (and after one question through the engine
    warms the models, when the UI does that at start)."""
    store = work / "store-1x"
    if not (store / "manifest.json").exists():
        _ingest(Path(args.corpus), store, instrument=False)
    port = _free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "cli.py", "serve", "--port", str(port), "--store", str(store),
                             "--corpus", str(args.corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ready, error = None, None
    try:
        while time.perf_counter() - t0 < 180:
            if proc.poll() is not None:
                error = proc.stderr.read().decode("utf-8", "replace")[-1500:]
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    if resp.status == 200:
                        ready = time.perf_counter() - t0
                        break
            except OSError:
                time.sleep(0.25)
        rss_ready = tree_rss(proc.pid) / 2**20 if ready else None
        time.sleep(3)  # let any background warm-up the UI starts finish
        rss_settled = tree_rss(proc.pid) / 2**20 if ready else None
    finally:
        stop_process(proc)
    data = {"startup_s": ready, "rss_ready_mb": rss_ready, "rss_settled_mb": rss_settled, "error": error}
    print(_table("UI server (casegraph serve, bundled corpus)", ["", "value"],
                 [["start to first page, s", ready], ["RSS at first page, MB", rss_ready],
                  ["RSS 3 s later, MB", rss_settled]] + ([["error", (error or "").splitlines()[-1:]]] if error else [])))
    return data


def _targets(ingest: dict | None, scale: dict | None) -> list[list]:
    rows = []

    def row(name, value, target, ok):
        rows.append([name, value, target, "ok" if ok else f"MISS by {value / target:.2f}x" if target else "MISS"])

    if ingest:
        r = ingest["ratio_cold_over_naive"]
        row("cold ingest / naive (wall)", r, TARGETS["cold_vs_naive"], r <= TARGETS["cold_vs_naive"])
        p = ingest["cold"]["peak_rss_mb"]
        row("cold ingest peak RSS MB", p, TARGETS["peak_rss_mb"], p <= TARGETS["peak_rss_mb"])
        w = ingest["reingest_unchanged"]["wall_s"]
        row("re-ingest unchanged s (process)", w, TARGETS["reingest_s"], w <= TARGETS["reingest_s"])
    if scale:
        sizes = scale["sizes"]
        for e in sizes:
            if "ask" in e and e["multiplier"] in (1, 100):
                t = TARGETS["ask_p95_ms_1x" if e["multiplier"] == 1 else "ask_p95_ms_100x"]
                row(f"ask p95 ms at {e['multiplier']}x", e["ask"]["p95_ms"], t, e["ask"]["p95_ms"] <= t)
        if scale.get("add_one_report"):
            a = scale["add_one_report"]
            row(f"add one report into {a['into_multiplier']}x s", a["wall_s"], TARGETS["add_report_s"],
                a["wall_s"] <= TARGETS["add_report_s"])
            if a.get("warm_in_process_s") is not None:
                w = a["warm_in_process_s"]
                row(f"  the same into a running watch s", w, TARGETS["add_report_s"], w <= TARGETS["add_report_s"])
        r = scale["per_doc_ratio_largest_over_1x"]
        row(f"per-doc cost {sizes[-1]['multiplier']}x / 1x", r, TARGETS["per_doc_ratio"], r <= TARGETS["per_doc_ratio"])
    return rows


def _timed(cmd: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of one command, measured from outside (os.wait4 on the child)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def bench_cold_ask(args, work: Path) -> dict:
    """`casegraph ask "..." --json` from a new process, as typed in a shell: interpreter start,
    imports, reading the store, one answer. Median of `--cold-runs` runs per question."""
    import statistics

    store = work / "store-1x"
    if not (store / "manifest.json").exists():
        _ingest(Path(args.corpus), store, instrument=False)
    script = Path(sys.executable).with_name("casegraph")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "cli"]
    rows, per_question = [], {}
    for q in COLD_QUESTIONS:
        _timed(base + ["ask", q, "--json", "--store", str(store)])  # untimed: the page cache, not the code
        runs = [_timed(base + ["ask", q, "--json", "--store", str(store)]) for _ in range(args.cold_runs)]
        walls = [w for w, _ in runs]
        per_question[q] = {"wall_s": walls, "cpu_s": [c for _, c in runs], "median_wall_s": statistics.median(walls),
                           "median_cpu_s": statistics.median(c for _, c in runs)}
        rows.append([q, statistics.median(walls), min(walls), max(walls), statistics.median(c for _, c in runs)])
    print(_table(f"Cold `casegraph ask` (new process, bundled corpus, median of {args.cold_runs})",
                 ["question", "wall s", "min", "max", "CPU s"], rows))
    return {"questions": per_question, "runs": args.cold_runs,
            "median_wall_s": max(v["median_wall_s"] for v in per_question.values())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also the 100x corpus (long: tens of minutes)")
    parser.add_argument("--sizes", help="corpus multipliers, e.g. 1,10 (default 1,10; 1,10,100 with --full)")
    parser.add_argument("--only", default="ingest,scale,ui,cold_ask,reliability",
                        help="benchmarks to run (default ingest,scale,ui,cold_ask,reliability: the 60 s load test and "
                             "the kill loop)")
    parser.add_argument("--cold-runs", type=int, default=5, help="new-process `casegraph ask` runs per question (default 5)")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="the bundled corpus")
    parser.add_argument("--questions", default=str(ROOT / "bench" / "eval" / "dev" / "dev_questions.json"),
                        help="questions for the warm ask latency (default: the development set in bench/eval/dev)")
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the questions (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile the cold ingest with pyinstrument")
    parser.add_argument("--workdir", default=os.environ.get("CASEGRAPH_BENCH_DIR",
                                                            str(Path(tempfile.gettempdir()) / "casegraph-bench")))
    args = parser.parse_args(argv)
    args.sizes = args.sizes or ("1,10,100" if args.full else "1,10")
    if sorted(int(s) for s in args.sizes.split(",")) != [int(s) for s in args.sizes.split(",")] or \
            not args.sizes.startswith("1"):
        parser.error("--sizes must start at 1 and increase, e.g. 1,10,100")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    info = machine()
    print(f"casegraph bench on {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB RAM, "
          f"load average {info['load_average']}, commit {info['commit']}")
    if info["load_average"][0] > 1.5:
        print("warning: the machine is busy (1-minute load > 1.5); figures will be slower than on a quiet one")
    ingest = scale = None
    if "ingest" in only:
        ingest = bench_ingest(args, work)
        print(f"-> {write_result('ingest', ingest).relative_to(ROOT)}")
    if "scale" in only:
        scale = bench_scale(args, work)
        print(f"-> {write_result('scale', scale).relative_to(ROOT)}")
    if "ui" in only:
        print(f"-> {write_result('ui', bench_ui(args, work)).relative_to(ROOT)}")
    cold = None
    if "cold_ask" in only:
        cold = bench_cold_ask(args, work)
        print(f"-> {write_result('cold-ask', cold).relative_to(ROOT)}")
    if "reliability" in only:
        from datetime import date

        from . import crash, load

        stamp = date.today().isoformat()
        crash.main(["--json-out", str(ROOT / "bench" / "results" / f"crash-{stamp}.json")])
        load.main(["--json-out", str(ROOT / "bench" / "results" / f"load-{stamp}.json")])
    rows = _targets(ingest, scale)
    if cold is not None:
        w, t = cold["median_wall_s"], TARGETS["cold_ask_s"]
        rows.append(["cold `casegraph ask` s (new process)", w, t, "ok" if w <= t else f"MISS by {w / t:.2f}x"])
    if rows:
        print(_table("Targets", ["", "measured", "target", ""], rows))
        write_result("targets", {"rows": rows, "load_average_end": os.getloadavg()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
