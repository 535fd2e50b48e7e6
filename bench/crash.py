"""Crash safety: SIGKILL `casegraph ingest` at moments spread through loading, extraction,
embedding and saving, re-run it, and compare the store with a clean ingest of the same corpus.

`python -m bench.crash [--points 12] [--seed 1] [--json-out PATH]` runs the full form: every kill
point starts from a committed store of corpus A while the folder already holds corpus B (one
report edited, one added, one removed), is killed after a delay drawn inside one stage's window
(windows measured from a profiled run), then re-run to completion and checked. The short form
in tests/test_reliability.py chains a few kills on one store (a crash on top of a crash).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
UI_CORPUS = ROOT / "tests" / "data" / "ui" / "corpus"

__all__ = ["child_env", "ingest_argv", "run_ingest", "kill_after", "kill_when", "TRIGGERS", "profile_stages", "stage_windows",
           "fingerprint", "differences", "observed_phase", "make_corpora", "run_points", "main"]

# Extra reports for the B corpus: plain sentences the extractor turns into entities and relations.
EXTRA_REPORT = ("Fenwick Community Trust in Larchford\n\n"
                "Amira Okafor is chief executive of Fenwick Community Trust. Fenwick Community Trust works in "
                "partnership with Larchford Borough Council on the Warm Homes Programme.\n\n"
                "The Warm Homes Programme insulated three hundred homes in Larchford in 2021.\n")
EDIT_LINE = ("\nLarchford Borough Council funds the Harbour Learning Network, which also works with "
             "Fenwick Community Trust.\n")


def child_env() -> dict:
    """The environment of a child ingest: offline, no telemetry, the repository importable."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               GRADIO_ANALYTICS_ENABLED="False", TOKENIZERS_PARALLELISM="false")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("CASEGRAPH_STORE", None)
    return env


def ingest_argv(corpus: Path, store: Path) -> list[str]:
    """`casegraph ingest CORPUS --store STORE --quiet` as a fresh interpreter."""
    code = f"import cli,sys; sys.exit(cli.main(['ingest', {str(corpus)!r}, '--store', {str(store)!r}, '--quiet']))"
    return [sys.executable, "-c", code]


def run_ingest(corpus: Path, store: Path, timeout: float = 600) -> tuple[int, float, str]:
    """Run one ingest to completion: (exit status, wall seconds, stderr tail)."""
    t = time.perf_counter()
    proc = subprocess.run(ingest_argv(corpus, store), cwd=ROOT, env=child_env(), capture_output=True,
                          text=True, timeout=timeout)
    return proc.returncode, time.perf_counter() - t, (proc.stderr or "")[-2000:]


def kill_after(corpus: Path, store: Path, delay: float) -> dict:
    """Start an ingest and SIGKILL it after `delay` seconds (if it is still running)."""
    t = time.perf_counter()
    proc = subprocess.Popen(ingest_argv(corpus, store), cwd=ROOT, env=child_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = True
    return {"delay": round(delay, 3), "killed": killed, "rc": proc.returncode,
            "ran_s": round(time.perf_counter() - t, 3)}


def _mtimes(store: Path) -> dict:
    """Modification times of the files each ingest stage writes last (0 when absent)."""
    def m(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return 0

    docs = store / "docs"
    records = sorted(p.name for p in docs.glob("*.json")) if docs.exists() else []
    return {"records": tuple(records), "manifest committed": m(store / "manifest.json"),
            "graph saved": m(store / "graph.key"), "keyword switched": m(store / "keyword" / "CURRENT"),
            "chroma written": m(store / "chroma" / "chroma.sqlite3")}


TRIGGERS = ("records written", "manifest committed", "graph saved", "keyword switched", "chroma written")


def kill_when(corpus: Path, store: Path, trigger: str, after: float = 0.0, timeout: float = 900) -> dict:
    """Start an ingest and SIGKILL it `after` seconds past the moment the store shows `trigger`
    (one of TRIGGERS: a new record file, or the manifest / graph key / keyword CURRENT / Chroma
    database rewritten), watching the files every 5 ms."""
    key = "records" if trigger == "records written" else trigger
    before = _mtimes(store)
    t = time.perf_counter()
    proc = subprocess.Popen(ingest_argv(corpus, store), cwd=ROOT, env=child_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = None
    while proc.poll() is None and time.perf_counter() - t < timeout:
        now = _mtimes(store)[key]
        if now != before[key] and (key != "records" or set(now) - set(before[key])):
            seen = time.perf_counter() - t
            break
        time.sleep(0.005)
    if seen is not None and after:
        try:
            proc.wait(timeout=after)
        except subprocess.TimeoutExpired:
            pass
    killed = proc.poll() is None
    if killed:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return {"trigger": trigger, "after": after, "seen_at": None if seen is None else round(seen, 3),
            "killed": killed, "rc": proc.returncode, "ran_s": round(time.perf_counter() - t, 3)}


_PROFILE = """
import json, sys, time
t0 = time.time()
import app
from pathlib import Path
from ingest.pipeline import ingest
from ingest.store import Store
t1 = time.time()
r = ingest(sys.argv[1], Store(Path(sys.argv[2])), consumers=app.consumers(), progress=False)
print(json.dumps({"interpreter": t0, "ingest": t1, "end": time.time(), "timings": r.timings}))
"""

# Stage order inside one ingest (pipeline.ingest, then graph.build.refresh, then search.index.refresh).
# Passages are embedded on a thread during extraction; "embedding" here is what the index does after.
_STAGES = [("loading", ("hash", "load")), ("extraction", ("extract",)), ("manifest", ("manifest",)),
           ("graph", ("graph",)), ("keyword", ("keyword_index",)), ("embedding", ("index_diff", "index_embedding")),
           ("chroma write", ("index_write",))]


def profile_stages(corpus: Path, store: Path) -> dict:
    """Run one ingest with stage timings: {"wall": s, "windows": {stage: (from_s, to_s)}} measured
    from the moment the child process is started."""
    t = time.time()
    proc = subprocess.run([sys.executable, "-c", _PROFILE, str(corpus), str(store)], cwd=ROOT, env=child_env(),
                          capture_output=True, text=True, timeout=600)
    wall = time.time() - t
    if proc.returncode != 0:
        raise RuntimeError(f"profiled ingest failed: {proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": wall, "windows": stage_windows(data["ingest"] - t, data["timings"], wall)}


def stage_windows(start: float, timings: dict, wall: float) -> dict:
    """Cumulative (from, to) seconds of each stage, from the ingest's per-stage timings."""
    windows = {"start-up": (0.0, start)}
    at = start
    for stage, keys in _STAGES:
        took = sum(float(timings.get(k, 0.0)) for k in keys)
        windows[stage] = (at, at + took)
        at += took
    windows["garbage/exit"] = (at, max(at, wall))
    return windows


# -- what a store holds ----------------------------------------------------------------------------


def fingerprint(store_root: Path) -> dict:
    """Everything that must match a clean ingest: stats, manifest entries, record files, passage
    ids in the keyword snapshot and in Chroma, the graph; plus leftover temp files."""
    from graph.build import load_graph
    from graph.stats import stats
    from ingest.store import Store
    from search.index import load_snapshot, vector_index

    store = Store(Path(store_root))
    manifest = store.read_manifest()
    files = {name: (e.get("status"), e.get("sha256"), e.get("record"), e.get("passages"), e.get("entities"))
             for name, e in manifest["files"].items()}
    snap = load_snapshot(store)
    snap_ids = [p.id for p in snap.passages]
    spans = [(p.doc, p.start, p.end) for p in snap.passages]
    vi = vector_index(store)
    chroma_ids = sorted(vi.ids())
    nearest = []
    if chroma_ids:  # the HNSW segment must load and answer, not only the id table
        nearest = [pid for pid, _ in vi.query(vi.embed_query("partnership programme"), k=5)]
    graph = load_graph(store.graph_path)
    records = sorted(p.name for p in store.docs_dir.glob("*.json")) if store.docs_dir.exists() else []
    return {
        "stats": stats(store),
        "files": {k: list(v) for k, v in sorted(files.items())},
        "records": records,
        "manifest_records": sorted(f"{e['record']}{suffix}" for e in manifest["files"].values() if e.get("record")
                                   for suffix in (".json", ".graph.json")),
        "state_key": store.state_key(manifest),
        "graph_key": (store.graph_path.with_suffix(".key").read_text("utf-8")
                      if store.graph_path.with_suffix(".key").exists() else None),
        "snapshot_key": snap.key,
        "snapshot_ids": sorted(snap_ids),
        "snapshot_duplicates": len(snap_ids) - len(set(snap_ids)),
        "span_duplicates": len(spans) - len(set(spans)),
        "chroma_ids": chroma_ids,
        "nearest_outside_snapshot": sorted(set(nearest) - set(snap_ids)),
        "nodes": sorted(graph.nodes),
        "edges": sorted((u, v, k) for u, v, k in graph.edges(keys=True)),
        "temp_files": sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*.tmp")),
    }


def differences(got: dict, want: dict) -> list[str]:
    """Why store `got` is not the clean store `want` (empty when it is), and internal faults of `got`."""
    out = []
    for key in ("stats", "files", "records", "snapshot_ids", "chroma_ids", "nodes", "edges", "state_key"):
        if got[key] != want[key]:
            g, w = got[key], want[key]
            if isinstance(g, list) and isinstance(w, list):
                out.append(f"{key}: {len(g)} vs clean {len(w)}; extra {sorted(set(map(str, g)) - set(map(str, w)))[:5]}"
                           f" missing {sorted(set(map(str, w)) - set(map(str, g)))[:5]}")
            else:
                out.append(f"{key}: {g} vs clean {w}")
    if got["records"] != got["manifest_records"]:
        out.append(f"record files {len(got['records'])} != manifest records {len(got['manifest_records'])} (orphans)")
    if got["graph_key"] != got["state_key"] or got["snapshot_key"] != got["state_key"]:
        out.append(f"indexes lag the manifest: graph {got['graph_key']} snapshot {got['snapshot_key']} "
                   f"manifest {got['state_key']}")
    if got["chroma_ids"] != got["snapshot_ids"]:
        out.append("Chroma ids differ from the keyword snapshot's (orphan or missing index entries)")
    for key in ("snapshot_duplicates", "span_duplicates"):
        if got[key]:
            out.append(f"{key}: {got[key]}")
    if got["nearest_outside_snapshot"]:
        out.append(f"Chroma query returned ids not in the store: {got['nearest_outside_snapshot'][:5]}")
    return out


def observed_phase(store_root: Path, before: dict) -> str:
    """Where a killed ingest stopped, read from the files it left (no Chroma access)."""
    from ingest.store import Store

    store = Store(Path(store_root))
    try:
        manifest = store.read_manifest()
    except Exception as exc:  # a torn manifest would be a defect: report it, do not hide it
        return f"manifest unreadable: {exc}"
    records = {p.name for p in store.docs_dir.glob("*.json")} if store.docs_dir.exists() else set()
    if manifest.get("generation") == before.get("generation") and manifest["files"].keys() == before.get("names"):
        return "extraction (records written, not committed)" if records - before.get("records", set()) \
            else "start-up/loading/extraction (nothing written)"
    key = store.state_key(manifest)
    key_path = store.graph_path.with_suffix(".key")
    if not key_path.exists() or key_path.read_text("utf-8") != key:
        return "after the manifest commit, before the graph was saved"
    current = store.keyword_dir / "CURRENT"
    if not current.exists() or current.read_text("utf-8").strip() != key:
        return "graph saved, keyword snapshot not switched"
    return "keyword switched: embedding / Chroma write / garbage collection"


def _before(store_root: Path) -> dict:
    from ingest.store import Store

    store = Store(Path(store_root))
    m = store.read_manifest()
    records = {p.name for p in store.docs_dir.glob("*.json")} if store.docs_dir.exists() else set()
    return {"generation": m.get("generation"), "names": m["files"].keys(), "records": records}


# -- corpora ---------------------------------------------------------------------------------------


def make_corpora(root: Path, sources: tuple[Path, ...] = (MINI, UI_CORPUS)) -> tuple[Path, Path]:
    """Corpus A (the fixture reports) and B (one edited, one added, one removed), under `root`."""
    a, b = root / "corpus-a", root / "corpus-b"
    for folder in (a, b):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for src in sources:
            for f in sorted(src.iterdir()):
                if f.is_file():
                    shutil.copy2(f, folder / f.name)
    names = sorted(p.name for p in b.iterdir())
    edited = b / names[0]
    edited.write_text(edited.read_text("utf-8") + EDIT_LINE, "utf-8")
    (b / names[-1]).unlink()
    (b / "fenwick-community-trust.txt").write_text(EXTRA_REPORT, "utf-8")
    return a, b


def run_points(work: Path, points: int, seed: int, log=print) -> dict:
    """The full form: `points` kills, each from a committed A store with B in the folder, each
    followed by a completing re-run and a comparison with a clean ingest of B."""
    rng = random.Random(seed)
    a, b = make_corpora(work)
    base = work / "store-a"
    rc, wall_a, err = run_ingest(a, base)
    if rc != 0:
        raise RuntimeError(f"clean ingest of A failed: {err}")
    clean = work / "store-b-clean"
    profile_store = work / "store-profile"
    shutil.copytree(base, profile_store)
    prof = profile_stages(b, profile_store)  # A -> B, the same work every kill point interrupts
    rc, wall_b, err = run_ingest(b, clean)
    if rc != 0:
        raise RuntimeError(f"clean ingest of B failed: {err}")
    want = fingerprint(clean)
    log(f"clean ingest A {wall_a:.1f}s, B {wall_b:.1f}s; A->B run {prof['wall']:.1f}s")
    log("stage windows (s from process start): " + ", ".join(f"{k} {v[0]:.1f}-{v[1]:.1f}"
                                                            for k, v in prof["windows"].items()))
    stages = [s for s in prof["windows"] if s != "start-up"]
    # Half the points are timed (a random moment inside a stage's window); half are triggered by
    # the file a stage has just written, so the short saving steps are hit too, not only by luck.
    plan = []
    for i in range(points):
        if i % 2 and i // 2 < len(TRIGGERS) * 2:
            trigger = TRIGGERS[(i // 2) % len(TRIGGERS)]
            plan.append(("trigger", trigger, 0.0 if i // 2 < len(TRIGGERS) else rng.uniform(0.05, 0.5)))
        else:
            stage = stages[(i // 2) % len(stages)]
            lo, hi = prof["windows"][stage]
            plan.append(("timed", stage, rng.uniform(lo, hi) if hi > lo else lo))
    results = []
    for i, (kind, stage, delay) in enumerate(plan):
        store = work / f"store-kill-{i}"
        if store.exists():
            shutil.rmtree(store)
        shutil.copytree(base, store)
        before = _before(store)
        kill = kill_after(b, store, delay) if kind == "timed" else kill_when(b, store, stage, delay)
        kill.update(stage=f"{kind}: {stage}", observed=observed_phase(store, before))
        rc, took, err = run_ingest(b, store)
        kill.update(rerun_rc=rc, rerun_s=round(took, 2), rerun_err=err[-300:] if rc else "")
        problems = differences(fingerprint(store), want) if rc == 0 else [f"re-run failed: {err[-500:]}"]
        kill["problems"] = problems
        results.append(kill)
        log(f"[{i + 1}/{points}] kill {kind} {stage} +{delay:.2f}s (observed: {kill['observed']}) killed={kill['killed']} "
            f"re-run rc={rc} {took:.1f}s -> {'OK' if not problems else 'FAIL ' + '; '.join(problems)}")
        shutil.rmtree(store, ignore_errors=True)
    killed = sum(r["killed"] for r in results)
    failed = [r for r in results if r["problems"]]
    return {"points": points, "killed": killed, "failed": len(failed), "phases": sorted({r["observed"] for r in results}),
            "clean_wall_s": round(wall_b, 2), "results": results, "windows": prof["windows"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crash", description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=12, help="kill points (default 12)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json-out", help="write the results here as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="casegraph-crash-") as tmp:
        res = run_points(Path(tmp), args.points, args.seed)
    print(f"crash points tried {res['points']}, killed mid-run {res['killed']}, failed checks {res['failed']}; "
          f"phases hit: {'; '.join(res['phases'])}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1, default=str), "utf-8")
    return 1 if res["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
