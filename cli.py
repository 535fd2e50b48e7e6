"""The `casegraph` command: thin wrappers that parse arguments, call the library, print.

Heavy packages are imported inside the commands, so `casegraph --help` is instant.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import ingest  # noqa: F401  (offline environment before anything else)

DEFAULT_CORPUS = "corpus"


def _store(args):
    from ingest.store import Store

    return Store.at(args.store, getattr(args, "corpus", None) or _corpus_from(args))


def _corpus_from(args) -> str:
    path = getattr(args, "path", None)
    if path and Path(path).is_dir():
        return path
    return os.environ.get("CASEGRAPH_CORPUS", DEFAULT_CORPUS)


# -- commands ---------------------------------------------------------------------------------


def cmd_ingest(args) -> int:
    from app import ingest_and_index

    store = _store(args)
    max_bytes = int(args.max_mb * 2**20) if args.max_mb else None
    report = ingest_and_index(args.path or _corpus_from(args), store,
                              progress=not args.quiet and sys.stderr.isatty() or args.progress, max_bytes=max_bytes)
    for name, reason in report.failed:
        print(f"failed {name}: {reason}", file=sys.stderr)
    for old, new in report.renamed:
        print(f"renamed {old} -> {new}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_ask(args) -> int:
    from search.engine import Engine

    store = _store(args)
    if not store.exists():
        print(f"no store at {store.root}: run `casegraph ingest` first", file=sys.stderr)
        return 2
    if args.question and not args.batch and not args.local:
        from search.service import answer_from_dict, ask_running

        served = ask_running(store, args.question, k=args.k)  # a `casegraph serve` for this store
        if served is not None:
            print(json.dumps(served, ensure_ascii=False, indent=2) if args.json else format_answer(answer_from_dict(served)))
            return 0
    engine = Engine(store, vector_files=True)
    if args.batch:
        lines = Path(args.batch).read_text("utf-8").splitlines() if args.batch != "-" else sys.stdin.read().splitlines()
        for line in lines:
            if line.strip():
                print(json.dumps(asdict(engine.ask(line.strip(), k=args.k)), ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        print("give a question, or --batch FILE", file=sys.stderr)
        return 2
    ans = engine.ask(args.question, k=args.k)
    if args.json:
        print(json.dumps(asdict(ans), ensure_ascii=False, indent=2))
        return 0
    print(format_answer(ans))
    return 0


def format_answer(ans) -> str:
    """The readable form of an answer: the answer, other candidates, numbered sources."""
    lines = [f"Q: {ans.question}"]
    if ans.answer:
        lines.append(f"A: {ans.answer}  ({ans.answer_type})")
        others = [c.name for c in ans.candidates[1:5]]
        if others:
            lines.append("   other candidates: " + "; ".join(others))
    else:
        lines.append("A: no supported answer in the corpus" + (" — the closest passages:" if ans.sources else ""))
    for i, s in enumerate(ans.sources, 1):
        page = f", p. {s.page}" if s.page else ""
        text = " ".join(s.passage.split())
        lines.append(f"\n[{i}] {s.title} ({s.doc}{page}, chars {s.start}-{s.end}, score {s.score:.3f})")
        lines.append("    " + (text[:400] + ("…" if len(text) > 400 else "")))
    return "\n".join(lines)


def cmd_stats(args) -> int:
    from graph.stats import document_table, stats

    store = _store(args)
    if args.docs:
        rows = document_table(store)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                status = r["status"] if r["status"] == "ok" else f"FAILED: {r['error']}"
                print(f"{r['doc']}\t{r.get('title') or ''}\t{r.get('format') or ''}\tpages={r.get('pages') or '-'}\t"
                      f"words={r.get('words') or 0}\tentities={r.get('entities') or 0}\t{r.get('ingested_at')}\t{status}")
        return 0
    data = stats(store)
    if args.json:
        print(json.dumps(data, sort_keys=True))
    else:
        print(f"documents: {data['documents']}\npassages:  {data['passages']}")
        print("entities:  " + ", ".join(f"{k} {v}" for k, v in sorted(data["entities"].items())))
        print("relations: " + ", ".join(f"{k} {v}" for k, v in sorted(data["relations"].items())))
    return 0


def cmd_export(args) -> int:
    from graph.build import load_graph
    from graph.export import SUFFIXES, export
    from graph.views import ViewError, make_view

    store = _store(args)
    if not store.exists():
        print(f"no store at {store.root}: run `casegraph ingest` first", file=sys.stderr)
        return 2
    graph = load_graph(store.graph_path)
    if args.view == "outcomes":
        return _export_outcomes(args, graph)
    try:
        view = make_view(graph, args.view, entity=args.entity, place=args.place, programme=args.programme,
                         depth=args.depth, docs=args.doc or None, relations=args.relation or None,
                         types=args.type or None, min_weight=args.min_weight, include_weak=args.weak)
        suffix = ".csv" if args.format == "csv" else SUFFIXES.get(args.format, "." + args.format)
        out = Path(args.output or f"casegraph-{args.view}{suffix}")
        options = {"colour_by": args.colour_by}
        if args.format == "csv":
            # `-o partnerships.csv` is that file; a folder only when it exists or the name ends in '/'
            folder = out.is_dir() or (args.output or "").endswith(("/", os.sep)) or out.suffix.lower() == ".zip"
            options["as_file"] = not folder
        if args.format in ("png", "svg"):
            options.update(width=args.width, height=args.height)
        written = export(view, args.format, out, **options)
    except ViewError as exc:
        print(f"casegraph export: {exc}", file=sys.stderr)
        return 1
    if options.get("as_file"):
        from graph.export import csv_nodes_path

        written = f"{written} (edges) and {csv_nodes_path(written)} (nodes)"
    print(f"wrote {written} ({view.number_of_nodes()} nodes, {view.number_of_edges()} edges)")
    return 0


def _export_outcomes(args, graph) -> int:
    """`export --view outcomes`: one row per outcome record (a table, so csv or json only)."""
    from graph.outcomes import outcome_rows, write_outcomes
    from graph.views import ViewError

    try:
        rows = outcome_rows(graph, place=args.place, programme=args.programme, organisation=args.entity,
                            docs=args.doc or None)
        out = Path(args.output or f"casegraph-outcomes.{args.format}")
        written = write_outcomes(rows, args.format, out)
    except ViewError as exc:
        print(f"casegraph export: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} ({len(rows)} outcome records)")
    return 0


def cmd_explain(args) -> int:
    from graph.explain import explain, format_explanation
    from graph.views import ViewError

    try:
        data = explain(_store(args), args.name, args.other)
    except ViewError as exc:
        print(f"casegraph explain: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else format_explanation(data))
    return 0


def cmd_serve(args) -> int:
    import ui
    from ingest.store import Store, StoreError
    from search.service import start_api, stop_api

    # The same store ui.serve picks; its ask API lets `casegraph ask` skip loading models.
    try:
        api = start_api(Store.at(args.store, args.corpus or os.environ.get("CASEGRAPH_CORPUS", DEFAULT_CORPUS)))
    except StoreError as exc:  # a read-only store: the UI still works, `ask` answers by itself
        print(f"note: no ask API for the shell ({exc})", file=sys.stderr)
        api = None
    try:
        return ui.serve(host=args.host, port=args.port, store=args.store, corpus=args.corpus, auth=args.auth)
    finally:
        if api is not None:
            stop_api(api)


def cmd_watch(args) -> int:
    from app import consumers
    from ingest.watch import watch

    path = args.path or _corpus_from(args)
    watch(path, _store(args), consumers=consumers(), debounce_ms=args.debounce)
    return 0


def cmd_eval(args) -> int:
    if args.modes:
        return _eval_modes(args)
    from evaluation.answers import run_evaluation

    store = Path(args.store) if args.store else None
    return run_evaluation(corpus=args.corpus or _corpus_from(args), store=store, questions=args.questions,
                          entities=args.entities, json_out=args.json_out, heldout=args.heldout)


def _eval_modes(args) -> int:
    """Extraction by mode (rules / model / combined) on the never-seen split and the given annotations."""
    from evaluation.modes import MODES, format_table, run
    from train.corpus import OUT as TRAIN_CORPUS

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        print(f"casegraph eval: unknown mode {', '.join(unknown)}; use some of {', '.join(MODES)}", file=sys.stderr)
        return 2
    splits = {json.loads(line).get("split") for line in TRAIN_CORPUS.read_text("utf-8").splitlines()} \
        if TRAIN_CORPUS.exists() else set()
    sets: list = [s for s in ("fresh", "heldout") if s in splits]  # the fresh split first: nothing was chosen on it
    if args.entities:
        sets.append(("dev", args.corpus or _corpus_from(args), args.entities))
    if not sets:
        print("casegraph eval --modes: no never-seen split (train/corpus.jsonl) and no --entities file", file=sys.stderr)
        return 2
    result = run(sets, modes)
    print(format_table(result))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


# -- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casegraph",
        description="Knowledge graph and semantic search over public-service transformation reports.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p, corpus=False):
        p.add_argument("--store", help="store folder (default: $CASEGRAPH_STORE or .casegraph/ beside the corpus)")
        if corpus:
            p.add_argument("--corpus", help="corpus folder (default: corpus/)")
        return p

    p = common(sub.add_parser("ingest", help="ingest a folder or files, incrementally"))
    p.add_argument("path", nargs="?", help="corpus folder or a report file (default: corpus/)")
    p.add_argument("--max-mb", type=float, help="skip files larger than this (default 25 MB)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--progress", action="store_true", help="progress bar even when not on a terminal")
    p.set_defaults(func=cmd_ingest)

    p = common(sub.add_parser("ask", help="answer a question with its sources"), corpus=True)
    p.add_argument("question", nargs="?", help="the question")
    p.add_argument("--json", action="store_true", help="print the JSON answer object")
    p.add_argument("--batch", metavar="FILE", help="one question a line (- for stdin); prints one JSON line each")
    p.add_argument("-k", type=int, default=5, help="number of sources (default 5)")
    p.add_argument("--local", action="store_true",
                   help="answer in this process even when `casegraph serve` runs for the store")
    p.set_defaults(func=cmd_ask)

    p = common(sub.add_parser("export", help="export a view of the graph"), corpus=True)
    p.add_argument("--format", default="graphml",
                   choices=["graphml", "gexf", "json", "cytoscape", "csv", "html", "png", "svg", "neo4j"])
    p.add_argument("--view", default="partnerships",
                   choices=["partnerships", "all", "ego", "place", "programme", "outcomes"],
                   help="outcomes: one row per outcome record (--format csv or json)")
    p.add_argument("--entity", help="the entity of an ego view (of the outcomes view: the organisation that "
                                    "achieved them)")
    p.add_argument("--place", help="the place of a place view")
    p.add_argument("--programme", help="the programme of a programme view")
    p.add_argument("--depth", type=int, default=1, help="ego view depth (default 1)")
    p.add_argument("--doc", action="append", help="only evidence from this document (repeatable)")
    p.add_argument("--min-weight", type=int, default=1, help="drop edges with fewer supporting sentences")
    p.add_argument("--relation", action="append", help="only these relation types (repeatable)")
    p.add_argument("--type", action="append", help="only these entity types (repeatable)")
    p.add_argument("--weak", action="store_true", help="include weak mentioned_with edges")
    p.add_argument("--colour-by", default="sector", choices=["sector", "community"], help="node colours")
    p.add_argument("--width", type=int, default=1600, help="PNG/SVG width in pixels")
    p.add_argument("--height", type=int, default=1200, help="PNG/SVG height in pixels")
    p.add_argument("-o", "--output", help="output path")
    p.set_defaults(func=cmd_export)

    p = common(sub.add_parser("explain", help="why an entity or an edge is in the graph: each stage, score, sentence"),
               corpus=True)
    p.add_argument("name", help='an entity\'s name or alias, or an edge "A -> B"')
    p.add_argument("other", nargs="?", help="the other end of an edge (instead of \"A -> B\")")
    p.add_argument("--json", action="store_true", help="print the explanation as one JSON object")
    p.set_defaults(func=cmd_explain)

    p = common(sub.add_parser("serve", help="start the web UI"), corpus=True)
    p.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1; others need --auth)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--auth", help="USER:PASSWORD (or $CASEGRAPH_AUTH); required off loopback")
    p.set_defaults(func=cmd_serve)

    p = common(sub.add_parser("watch", help="watch the corpus folder and ingest changes"))
    p.add_argument("path", nargs="?", help="corpus folder (default: corpus/)")
    p.add_argument("--debounce", type=int, default=1000, help="milliseconds of quiet before ingesting")
    p.set_defaults(func=cmd_watch)

    p = common(sub.add_parser("eval", help="evaluate answers and extraction on annotated sets"), corpus=True)
    p.add_argument("--questions", help="questions JSON (e.g. bench/eval/dev/dev_questions.json)")
    p.add_argument("--entities", help="entity annotations JSON (e.g. bench/eval/dev/dev_entities.json)")
    p.add_argument("--heldout", action="store_true",
                   help="also answer the questions of train/corpus.jsonl's fresh split (never seen) and heldout split (a development set) "
                        "(train/qa; summary rows only)")
    p.add_argument("--json-out", help="also write the figures as JSON here")
    p.add_argument("--modes", help="extraction only, by mode: e.g. rules,model,combined, on the never-seen "
                                   "split of train/ and on --entities (no questions, no index)")
    p.set_defaults(func=cmd_eval)

    p = common(sub.add_parser("stats", help="counts of documents, passages, entities, relations"), corpus=True)
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--docs", action="store_true", help="the documents table instead")
    p.set_defaults(func=cmd_stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from ingest.store import StoreError

    try:
        return args.func(args) or 0
    except (StoreError, FileNotFoundError) as exc:
        print(f"casegraph {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


# Commands that only read the store: once their output is written, nothing is left to save, so the
# shell's `casegraph ask` skips the interpreter's teardown of models and indexes (0.3-0.5 s).
_READ_ONLY = ("ask", "explain", "stats")


def console() -> None:
    """The `casegraph` command: main(), then a fast exit after a read-only command."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv and argv[0] in _READ_ONLY:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
