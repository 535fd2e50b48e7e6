"""Load: concurrent users asking questions over plain HTTP while an ingest of new reports runs.

`python -m bench.load [--users 20] [--seconds 60] [--json-out PATH]` starts `casegraph serve` on a
free loopback port over a store of corpus A, lets `users` threads ask questions through Gradio's
HTTP API for `seconds`, and part-way through runs `casegraph ingest` of corpus B (one report
edited, one added, one removed) on the same store in another process. It reports requests,
errors, malformed answers, p50/p95/max latency, and checks that every answer's sources come from
one corpus state (all from A's passages or all from B's, never a mix) and that B's new report is
answerable once the ingest is done. tests/test_load.py runs a short form.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .crash import ROOT, child_env, make_corpora, run_ingest
from .measure import stop_process

__all__ = ["gradio_call", "well_formed", "source_spans", "passage_spans", "percentile", "run_load",
           "start_server", "free_port", "main"]

QUESTIONS = [
    "Who is chief executive of Harbour Trust?",
    "Which organisations work in partnership with Riverside Council?",
    "Where is the Healthy Homes programme?",
    "What did the programme achieve?",
    "Who leads the learning network?",
    "Which organisation did Harbourside Digital work with on the review?",
    "Who is chief executive of Fenwick Community Trust?",
    "What did the Warm Homes Programme achieve?",
]
NEW_QUESTION = "Who is chief executive of Fenwick Community Trust?"
NEW_DOC = "fenwick-community-trust.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gradio_call(base: str, api: str, data: list, timeout: float = 120) -> tuple[str, object]:
    """Call a Gradio event over plain HTTP (POST /gradio_api/call/API, then read its event stream):
    ("complete", outputs) or ("error", message)."""
    body = json.dumps({"data": data}).encode()
    req = urllib.request.Request(f"{base}/gradio_api/call/{api}", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        event_id = json.loads(resp.read())["event_id"]
    with urllib.request.urlopen(f"{base}/gradio_api/call/{api}/{event_id}", timeout=timeout) as resp:
        event = None
        for raw in resp:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                payload = line.split(":", 1)[1].strip()
                try:
                    value = json.loads(payload)
                except ValueError:
                    value = payload
                return event, value
    return "error", "event stream ended without a result"


_LINK_RE = re.compile(r'href="/casegraph/doc\?([^"#]*)')


def source_spans(answer_html: str) -> list[tuple[str, int, int]]:
    """(doc, start, end) of every source card's document link in a rendered answer."""
    from urllib.parse import parse_qs

    out = []
    for query in _LINK_RE.findall(answer_html):
        q = parse_qs(html.unescape(query))
        if "start" in q and "end" in q:
            out.append((q["name"][0], int(q["start"][0]), int(q["end"][0])))
    return out


def well_formed(answer_html: str, question: str) -> list[str]:
    """Problems with a rendered answer (empty when it is a proper answer or a proper 'no answer')."""
    problems = []
    if not isinstance(answer_html, str) or not answer_html.startswith('<div class="cg-answer"'):
        return [f"not an answer panel: {str(answer_html)[:120]!r}"]
    if ('id="cg-answer-text"' in answer_html) == ('id="cg-no-answer"' in answer_html):
        problems.append("neither (or both) an answer and a 'no supported answer'")
    if f'data-question="{html.escape(question, quote=True)}"' not in answer_html:
        problems.append("the panel is for another question")
    if answer_html.count("<div") != answer_html.count("</div>") or not answer_html.endswith("</div>"):
        problems.append("unbalanced markup")
    if answer_html.count('class="cg-card"') != len(source_spans(answer_html)):
        problems.append("a source card without a document link")
    return problems


def passage_spans(store_root: Path) -> set[tuple[str, int, int]]:
    """(doc, start, end) of every passage in a store's current keyword snapshot."""
    from ingest.store import Store
    from search.index import load_snapshot

    return {(p.doc, p.start, p.end) for p in load_snapshot(Store(Path(store_root))).passages}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))]


def run_load(base: str, *, users: int = 20, seconds: float = 60, questions: list[str] = QUESTIONS,
             timeout: float = 120) -> dict:
    """`users` threads ask `questions` in turn for `seconds`; every answer is checked and kept."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    malformed: list[str] = []
    answers: list[dict] = []
    attempts = [0]

    def user(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            q = questions[i % len(questions)]
            i += 1
            with lock:
                attempts[0] += 1
            t = time.perf_counter()
            try:
                event, value = gradio_call(base, "ask", [q], timeout=timeout)
            except (OSError, urllib.error.URLError, ValueError) as exc:
                with lock:
                    errors.append(f"{q}: {type(exc).__name__}: {exc}")
                continue
            took = time.perf_counter() - t
            with lock:
                latencies.append(took)
                if event != "complete":
                    errors.append(f"{q}: {value}")
                    continue
                panel = value[0] if isinstance(value, list) and value else value
                bad = well_formed(panel, q)
                if bad:
                    malformed.append(f"{q}: {'; '.join(bad)}")
                answers.append({"q": q, "t": time.monotonic(), "spans": source_spans(panel),
                                "answered": 'id="cg-answer-text"' in panel})

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + timeout + 30)
    return {"users": users, "seconds": seconds, "requests": attempts[0],
            "answers": len(answers), "errors": len(errors), "malformed": len(malformed),
            "error_samples": errors[:5], "malformed_samples": malformed[:5],
            "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
            "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "max_ms": round(1000 * max(latencies), 1) if latencies else None, "records": answers}


def mixed_answers(records: list[dict], old: set, new: set) -> list[dict]:
    """Answers whose sources are neither all in the old corpus state nor all in the new one."""
    return [r for r in records if r["spans"] and not (set(r["spans"]) <= old or set(r["spans"]) <= new)]


_SERVE = ("import sys, ui; sys.exit(ui.serve(host='127.0.0.1', port=int(sys.argv[1]), store=sys.argv[2], "
          "corpus=sys.argv[3]))")


def start_server(store: Path, corpus: Path, port: int, timeout: float = 600) -> subprocess.Popen:
    """`casegraph serve` in its own process; returns once it answers HTTP."""
    proc = subprocess.Popen([sys.executable, "-c", _SERVE, str(port), str(store), str(corpus)], cwd=ROOT,
                            env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read()[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("server did not start in time")


def scenario(work: Path, *, users: int, seconds: float, ingest_after: float, log=print) -> dict:
    """The whole run: store of A, server, load, ingest of B part-way, checks."""
    a, b = make_corpora(work)
    store = work / "store"
    rc, took, err = run_ingest(a, store)
    if rc:
        raise RuntimeError(f"ingest of A failed: {err}")
    old = passage_spans(store)
    # The server serves folder B, whose files are ingested by the separate ingest process below.
    port = free_port()
    server = start_server(store, b, port)
    base = f"http://127.0.0.1:{port}"
    ingest_result: dict = {}

    def ingest_b() -> None:
        time.sleep(ingest_after)
        t = time.monotonic()
        ingest_result["rc"], ingest_result["seconds"], ingest_result["err"] = run_ingest(b, store)
        ingest_result["start"], ingest_result["end"] = t, time.monotonic()

    writer = threading.Thread(target=ingest_b, daemon=True)
    try:
        writer.start()
        result = run_load(base, users=users, seconds=seconds)
        writer.join(900)
        new = passage_spans(store)
        # Once the ingest is done, the new report must be answerable from the same server.
        time.sleep(1.0)
        event, value = gradio_call(base, "ask", [NEW_QUESTION])
        panel = value[0] if event == "complete" and isinstance(value, list) else str(value)
        result["new_report_served"] = any(doc == NEW_DOC for doc, _, _ in source_spans(panel))
    finally:
        stop_process(server, timeout=20)
    during = [r for r in result["records"] if ingest_result.get("start", 1e18) <= r["t"] <= ingest_result.get("end", 0)]
    result.update(ingest_rc=ingest_result.get("rc"), ingest_s=round(ingest_result.get("seconds") or 0, 1),
                  answers_during_ingest=len(during), mixed=len(mixed_answers(result["records"], old, new)),
                  outside_both=sum(1 for r in result["records"] if not set(r["spans"]) <= (old | new)))
    result.pop("records")
    log(json.dumps(result, indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ingest-after", type=float, default=5, help="seconds into the load the ingest starts")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="casegraph-load-") as tmp:
        res = scenario(Path(tmp), users=args.users, seconds=args.seconds, ingest_after=args.ingest_after)
    print(f"requests {res['requests']}, errors {res['errors']}, malformed {res['malformed']}, "
          f"p95 {res['p95_ms']} ms, answers during ingest {res['answers_during_ingest']}, mixed {res['mixed']}, "
          f"new report served {res['new_report_served']}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1), "utf-8")
    bad = res["errors"] or res["malformed"] or res["mixed"] or res["outside_both"] or not res["new_report_served"]
    return 1 if bad or res["ingest_rc"] else 0


if __name__ == "__main__":
    sys.exit(main())
