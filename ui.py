"""The Gradio workbench: ask a question and see why, explore entities, partnerships, the corpus.

Five tabs over one store (Ask, Explore, Partnerships, Outcomes, Corpus). Two plain routes sit
beside the Gradio app: `/casegraph/doc` (the document viewer, scrolled to a passage) and
`/casegraph/export` (a download of the partnerships view in any export format). Both look
documents up by name in the manifest, never by path, and honour the app's login. Every piece of
report text is HTML-escaped before it is rendered.
"""

from __future__ import annotations

import html
import ipaddress
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode

import ingest  # noqa: F401  (offline environment before anything else)
from ingest.store import Store

__all__ = [
    "build_app",
    "serve",
    "launch",
    "warm",
    "check_bind",
    "example_questions",
    "highlight",
    "render_answer",
    "render_document",
    "render_profile",
    "render_why",
    "safe_upload_name",
]

DOC_ROUTE = "/casegraph/doc"
EXPORT_ROUTE = "/casegraph/export"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_EXPORT_SUFFIX = {"cytoscape": "cyjs", "csv": "zip", "neo4j": "zip"}
_EXPORT_MEDIA = {"graphml": "application/xml", "gexf": "application/xml", "json": "application/json",
                 "cytoscape": "application/json", "html": "text/html", "png": "image/png",
                 "svg": "image/svg+xml", "csv": "application/zip", "neo4j": "application/zip"}


# -- security: where we listen, who may log in ----------------------------------------------


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, auth: str | None) -> tuple[str, str] | None:
    """(user, password) from `auth` or $CASEGRAPH_AUTH; raises ValueError when `host` is not
    loopback and no login is given, or the login is not USER:PASSWORD."""
    auth = auth or os.environ.get("CASEGRAPH_AUTH") or None
    if auth is None:
        if not _is_loopback(host):
            raise ValueError(f"refusing to serve on {host} without a login: anyone on the network could read "
                             "and change the corpus. Pass --auth USER:PASSWORD (or set CASEGRAPH_AUTH), "
                             "or bind 127.0.0.1")
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth / CASEGRAPH_AUTH must be USER:PASSWORD with both parts non-empty")
    return user, password


# -- uploads ------------------------------------------------------------------------------------


def safe_upload_name(name: str, corpus: Path, taken: set[str] | None = None) -> str:
    """A safe file name for an upload inside `corpus`: no folders, no hidden or odd characters,
    and a `-2`, `-3`… suffix instead of overwriting an existing document."""
    base = PurePosixPath(str(name).replace("\\", "/")).name  # drops any folder part, "..", "/"
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_") or "report"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()
    stem = stem[:100]
    taken = taken or set()
    candidate = f"{stem}.{suffix}" if suffix else stem
    n = 2
    while (corpus / candidate).exists() or candidate.lower() in taken:
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
        n += 1
    return candidate


# -- rendering (pure functions over records; every text is escaped) ----------------------------

_esc = html.escape


def _doc_link(doc: str, start: int | None = None, end: int | None = None, label: str = "open in document") -> str:
    params = {"name": doc}
    if start is not None and end is not None and start >= 0 and end > start:
        params.update(start=str(start), end=str(end))
    url = f"{DOC_ROUTE}?{urlencode(params, quote_via=quote)}#hl"
    return f'<a class="cg-open" href="{_esc(url)}" target="_blank" rel="noopener">{_esc(label)} ↗</a>'


def highlight(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Escaped `text` with each (start, end, css class) span wrapped in <mark>; earlier spans in
    the list win where two overlap (so put the answer first)."""
    chosen: list[tuple[int, int, str]] = []
    for s, e, cls in spans:
        s, e = max(0, s), min(len(text), e)
        if e <= s or any(s < ce and cs < e for cs, ce, _ in chosen):
            continue
        chosen.append((s, e, cls))
    out, pos = [], 0
    for s, e, cls in sorted(chosen):
        out.append(_esc(text[pos:s]))
        out.append(f'<mark class="{cls}">{_esc(text[s:e])}</mark>')
        pos = e
    out.append(_esc(text[pos:]))
    return "".join(out)


def _find_all(text: str, term: str) -> list[tuple[int, int]]:
    if len(term) < 3:
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.I)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def question_terms(question: str, graph) -> list[str]:
    """Names and aliases of graph entities that the question mentions, longest first."""
    folded = question.casefold()
    terms = set()
    for _, data in graph.nodes(data=True):
        for name in [data.get("name") or ""] + list(data.get("aliases") or ()):
            if len(name) >= 3 and name.casefold() in folded and _find_all(question, name):
                terms.add(name)
    return sorted(terms, key=lambda t: (-len(t), t))


def _source_spans(src, answer: str | None, terms: list[str]) -> list[tuple[int, int, str]]:
    spans = []
    if src.answer_start is not None and src.answer_end is not None:
        spans.append((src.answer_start, src.answer_end, "cg-ans"))
    elif answer:
        spans += [(s, e, "cg-ans") for s, e in _find_all(src.passage, answer)]
    for term in terms:
        spans += [(s, e, "cg-q") for s, e in _find_all(src.passage, term)]
    return spans


def _confidence(ans) -> str:
    # Answers carry a calibrated `confidence` once the engine computes one; older records have none.
    value = getattr(ans, "confidence", None)
    if not isinstance(value, (int, float)):
        return ""
    return f' <span class="cg-meta" id="cg-confidence">confidence {float(value):.2f}</span>'


def render_answer(ans, graph=None) -> str:
    """The answer panel: short answer, ranked candidates, who/did/what/where, source cards."""
    terms = question_terms(ans.question, graph) if graph is not None else []
    parts = [f'<div class="cg-answer" data-question="{_esc(ans.question, quote=True)}">']
    if ans.answer:
        parts.append(f'<div class="cg-short"><span class="cg-label">Answer</span> '
                     f'<strong id="cg-answer-text">{_esc(ans.answer)}</strong> '
                     f'<span class="cg-type">{_esc(ans.answer_type)}</span>{_confidence(ans)}</div>')
    elif ans.candidates and getattr(ans, "confidence", None) is not None:
        # Withheld: the scorer found candidates but is not sure enough to assert the best one.
        parts.append('<div class="cg-short cg-none" id="cg-no-answer"><strong>Not sure enough to answer</strong> '
                     f'this {_esc(ans.answer_type)} question{_confidence(ans)} — the candidates and the passages '
                     'they come from are below.</div>')
    else:
        parts.append('<div class="cg-short cg-none" id="cg-no-answer"><strong>No supported answer</strong> in the '
                     f'corpus for this {_esc(ans.answer_type)} question'
                     + (" — the closest passages are below." if ans.sources else ".") + "</div>")
    if ans.candidates:
        rows = "".join(
            f"<tr><td>{i}</td><td>{_esc(c.name)}</td><td><span class='cg-type'>{_esc(c.type)}</span></td>"
            f"<td>{c.score:.2f}</td></tr>" for i, c in enumerate(ans.candidates[:8], 1))
        parts.append('<details class="cg-block" open><summary>Candidates</summary><table class="cg-table">'
                     f"<tr><th>#</th><th>name</th><th>type</th><th>score</th></tr>{rows}</table></details>")
    if ans.facts:
        rows = []
        for f in ans.facts:
            ref = f'<a href="#cg-src-{f.source + 1}">[{f.source + 1}]</a>' if f.source is not None else ""
            rows.append(f"<tr><td>{_esc(f.who)}</td><td>{_esc(f.did)}</td><td>{_esc(f.what)}</td>"
                        f"<td>{_esc(f.where or '')}</td><td>{ref}</td></tr>")
        parts.append('<div class="cg-block"><div class="cg-h">Who · did · what · where</div><table class="cg-table">'
                     "<tr><th>who</th><th>did</th><th>what</th><th>where</th><th>source</th></tr>"
                     + "".join(rows) + "</table></div>")
    if ans.sources:
        parts.append(f'<div class="cg-h">Sources ({len(ans.sources)})</div>')
    for i, src in enumerate(ans.sources, 1):
        page = f" · p. {src.page}" if src.page else ""
        body = highlight(src.passage, _source_spans(src, ans.answer, terms))
        parts.append(
            f'<div class="cg-card" id="cg-src-{i}"><div class="cg-card-head"><span class="cg-num">[{i}]</span> '
            f'<span class="cg-title">{_esc(src.title or src.doc)}</span>'
            f'<span class="cg-meta">{_esc(src.doc)}{page} · score {src.score:.3f}</span></div>'
            f'<div class="cg-passage">{body}</div>'
            f'<div class="cg-card-foot">{_doc_link(src.doc, src.start, src.end)}</div></div>')
    parts.append("</div>")
    return "".join(parts)


def render_document(document, start: int | None, end: int | None) -> str:
    """A standalone, escaped HTML page of a document with [start:end) in <mark id="hl">."""
    text = document.text
    ok = start is not None and end is not None and 0 <= start < end <= len(text)
    if ok:
        body = (f"{_esc(text[:start])}<mark id=\"hl\">{_esc(text[start:end])}</mark>{_esc(text[end:])}")
    else:
        body = _esc(text)
    page = f" · page {document.page_at(start)}" if ok and document.pages else ""
    meta = f"{_esc(document.doc)} · {_esc(document.format)} · {document.words or len(text.split())} words{page}"
    return ("<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<title>{_esc(document.title or document.doc)} — casegraph</title>"
            "<style>body{font:16px/1.6 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}"
            "header{font-family:system-ui,sans-serif;border-bottom:1px solid #ccc;margin-bottom:1em}"
            "header p{color:#666;font-size:.85em;margin:.2em 0 .8em}"
            ".text{white-space:pre-wrap}mark{background:#ffe066;padding:.1em 0;outline:2px solid #f5b700}"
            "</style></head><body>"
            f"<header><h1>{_esc(document.title or document.doc)}</h1><p>{meta}</p></header>"
            f'<div class="text">{body}</div></body></html>')


_SYMMETRIC = {"partners_with", "mentioned_with"}


def _profile_relations(graph, node) -> list[tuple[str, str, str, list[dict]]]:
    """(direction, relation, other node, its distinct sentences) for each kind of link `node` has,
    typed relations first, co-mentions last, then by relation and by how often it is said."""
    groups: dict[tuple[str, str, str], dict] = {}
    for direction, edges in (("out", graph.out_edges(node, data=True)), ("in", graph.in_edges(node, data=True))):
        for u, v, data in edges:
            other = v if direction == "out" else u
            rel = data.get("relation") or ""
            # "A partners with B" and "B partners with A" say one thing: one row for both.
            key = ("out" if rel in _SYMMETRIC else direction, rel, other)
            # The same sentence can be recorded more than once (per passage or per role): show it once.
            sentence = (data.get("doc") or "", data.get("start"), data.get("end"), data.get("evidence") or "")
            groups.setdefault(key, {}).setdefault(sentence, data)
    weak = lambda r: r == "mentioned_with"  # noqa: E731  (co-occurrence says least: list it last)
    rows = [(d, rel, other, sorted(found.values(), key=lambda e: (e.get("doc") or "", e.get("start") or 0)))
            for (d, rel, other), found in groups.items()]
    return sorted(rows, key=lambda r: (weak(r[1]), r[1], -len(r[3]), graph.nodes[r[2]].get("name") or r[2], r[0]))


def render_profile(graph, node: str, titles: dict | None = None, limit: int = 200, sentences: int = 20,
                   per_type: int = 6) -> str:
    """An entity's profile: type, sector, aliases, documents, and its relations grouped by type and
    other end, each a collapsible row with a count and its supporting sentences."""
    data = graph.nodes[node]
    titles = titles or {}
    name = data.get("name") or node
    aliases = [a for a in data.get("aliases") or () if a != name]
    docs = data.get("docs") or ()
    parts = [f'<div class="cg-profile"><h2 id="cg-profile-name">{_esc(name)}</h2><div class="cg-facts">'
             f'<span class="cg-type">{_esc(data.get("type") or "entity")}</span>']
    if data.get("sector"):
        parts.append(f'<span class="cg-sector">{_esc(data["sector"])}</span>')
    parts.append(f'<span class="cg-meta">{int(data.get("mentions") or 0)} mentions · id {_esc(node)}</span></div>')
    if aliases:
        parts.append(f'<p><b>Also called:</b> {_esc("; ".join(aliases))}</p>')
    if docs:
        items = "".join(f"<li>{_esc(titles.get(d) or d)} — {_doc_link(d, label=d)}</li>" for d in docs)
        parts.append(f'<details class="cg-docs-block"><summary class="cg-h">Documents ({len(docs)})</summary>'
                     f'<ul class="cg-docs">{items}</ul></details>')
    rows = _profile_relations(graph, node)
    if not rows:
        parts.append("<p class='cg-meta'>No relations recorded for this entity.</p></div>")
        return "".join(parts)
    total = sum(len(r[3]) for r in rows)
    parts.append(f'<div class="cg-h">Relations ({len(rows)} links, {total} sentences)</div><div class="cg-rel">')
    current, shown = None, 0
    for direction, rel, other, found in rows[:limit]:
        if rel != current:
            if current is not None:
                parts.append("</details></div>" if shown > per_type else "</div>")
            count = sum(1 for r in rows[:limit] if r[1] == rel)
            parts.append(f'<div class="cg-rel-group" data-relation="{_esc(rel, quote=True)}">'
                         f'<div class="cg-rel-type">{_esc(rel.replace("_", " "))} <span class="cg-meta">({count})</span></div>')
            current, shown = rel, 0
        shown += 1
        if shown == per_type + 1:  # the best-attested few show; the rest wait one click away
            rest = sum(1 for r in rows[:limit] if r[1] == rel) - per_type
            parts.append(f'<details class="cg-more"><summary class="cg-meta">{rest} more</summary>')
        oname = graph.nodes[other].get("name") or other
        otype = graph.nodes[other].get("type") or ""
        who = (f"<b>{_esc(name)}</b> <i>{_esc(rel)}</i> {_esc(oname)}" if direction == "out"
               else f"{_esc(oname)} <i>{_esc(rel)}</i> <b>{_esc(name)}</b>")
        items = []
        for e in found[:sentences]:
            page = f", p. {e['page']}" if e.get("page") else ""
            link = _doc_link(e["doc"], e.get("start"), e.get("end"), label=f"{e['doc']}{page}") if e.get("doc") else ""
            items.append(f'<li class="cg-ev">“{_esc(e.get("evidence") or "")}” {link}</li>')
        more = f"<li class='cg-meta'>… and {len(found) - sentences} more</li>" if len(found) > sentences else ""
        parts.append(f'<details class="cg-rel-row" data-other="{_esc(other, quote=True)}"><summary>{who} '
                     f'<span class="cg-type">{_esc(otype)}</span> <span class="cg-count">×{len(found)}</span></summary>'
                     f'<ul class="cg-sentences">{"".join(items)}{more}</ul></details>')
    parts.append("</details></div></div>" if shown > per_type else "</div></div>")
    if len(rows) > limit:
        parts.append(f"<p class='cg-meta'>showing {limit} of {len(rows)} links</p>")
    parts.append("</div>")
    return "".join(parts)


def render_why(data: dict, spans: int = 40) -> str:
    """`graph.explain`'s answer for an entity as HTML: per document, each span with the stages that proposed,
    dropped, retyped or merged it, their scores and the sentence; then the merges across documents."""
    parts = ['<div class="cg-why">']
    for i, d in enumerate(data["documents"]):
        groups: dict[tuple[int, int], list[dict]] = {}
        for e in d["events"]:
            groups.setdefault((e["start"], e["end"]), []).append(e)
        parts.append(f'<details class="cg-why-doc" data-doc="{_esc(d["doc"], quote=True)}"{" open" if i == 0 else ""}>'
                     f'<summary>'
                     f'{_esc(d.get("title") or d["doc"])} <span class="cg-meta">{_esc(d["doc"])} · {len(groups)} '
                     f'place{"s" if len(groups) != 1 else ""}</span></summary>')
        if d.get("note"):
            parts.append(f'<p class="cg-meta">{_esc(d["note"])}</p>')
        for (start, end), events in list(groups.items())[:spans]:
            rows = "".join(f'<li class="cg-why-event" data-stage="{_esc(e["stage"], quote=True)}"><b>{_esc(e["action"])}</b>'
                           f' by <code>{_esc(e["stage"])}</code> as {_esc(e["type"])}'
                           + (f' · p={e["score"]:.2f}' if e.get("score") is not None else "")
                           + (f' — <span class="cg-meta">{_esc(e["detail"])}</span>' if e.get("detail") else "")
                           + "</li>" for e in events)
            link = _doc_link(d["doc"], start, end, label="open")
            parts.append(f'<div class="cg-why-span"><b>“{_esc(events[0]["name"])}”</b> '
                         f'<span class="cg-meta">chars {start}-{end}</span> {link}<ul>{rows}</ul>'
                         f'<p class="cg-why-sentence">“{_esc(events[0]["sentence"])}”</p></div>')
        if len(groups) > spans:
            parts.append(f"<p class='cg-meta'>showing {spans} of {len(groups)} places; "
                         f"<code>casegraph explain</code> lists them all</p>")
        parts.append("</details>")
    if data.get("merges"):
        items = "".join(f"<li>{_esc(m['doc'])}: “{_esc(m['name'])}” ({_esc(m['type'])}) — {_esc(m['why'])}</li>"
                        for m in data["merges"])
        parts.append(f'<div class="cg-h">Merged across documents</div><ul class="cg-why-merges">{items}</ul>')
    for r in data.get("resolution_log") or ():
        parts.append(f'<p class="cg-meta">{_esc(str(r.get("stage", "?")))}: “{_esc(str(r.get("merged")))}” → '
                     f'“{_esc(str(r.get("kept")))}” — {_esc(str(r.get("why", "")))}</p>')
    parts.append("</div>")
    return "".join(parts)


# The embedded network page announces a node selection (a click, or a pick from its search box)
# as a `casegraph:select` event; the page is sandboxed (scripts, no same-origin), so the event is
# forwarded to the app by postMessage.
_PICK_SCRIPT = """<script>
window.addEventListener('casegraph:select', function (ev) {
  if (ev.detail) parent.postMessage({casegraphNode: String(ev.detail)}, '*');
});
</script>"""


def network_frame(view, *, colour_by: str = "sector", height: int = 640) -> str:
    """The view drawn by `graph.export.to_html`, embedded as a sandboxed srcdoc iframe."""
    import inspect

    from graph.export import to_html

    kwargs = {}
    params = inspect.signature(to_html).parameters
    for key in ("colour_by", "color_by", "colour"):
        if key in params:
            kwargs[key] = colour_by
            break
    page = to_html(view, **kwargs)
    page = page.replace("</body>", _PICK_SCRIPT + "</body>") if "</body>" in page else page + _PICK_SCRIPT
    return (f'<iframe class="cg-net" title="network" sandbox="allow-scripts" style="width:100%;height:{height}px;'
            f'border:1px solid #ddd;border-radius:6px" srcdoc="{_esc(page, quote=True)}"></iframe>')


def example_questions(graph, limit: int = 6) -> list[str]:
    """Questions the graph can answer, one per relation kind, from its best-attested edges."""
    templates = {
        "leads": ("person", "Who leads {t}?"),
        "works_for": ("person", "Who works for {t}?"),
        "partners_with": ("organisation", "Which organisations partnered with {t}?"),
        "located_in": (None, "Where is {s}?"),
        "achieved": ("programme", "What did {s} achieve?"),
        "funds": ("organisation", "Which organisation funds {t}?"),
        "set_up": ("organisation", "Which organisation set up {t}?"),
        "runs": ("organisation", "Which organisation runs {t}?"),
    }
    best: dict[str, tuple] = {}
    for u, v, d in graph.edges(data=True):
        rel = d.get("relation")
        if rel not in templates:
            continue
        want, _ = templates[rel]
        su, sv = graph.nodes[u], graph.nodes[v]
        if want and su.get("type") != want:
            continue
        # Prefer edges between well-mentioned entities: they make questions a reader recognises.
        score = (su.get("mentions") or 0) + (sv.get("mentions") or 0)
        key = (-score, u, v)
        if rel not in best or key < best[rel][0]:
            best[rel] = (key, su.get("name") or u, sv.get("name") or v)
    out = []
    for rel in templates:
        if rel in best:
            _, s, t = best[rel]
            q = templates[rel][1].format(s=s, t=t)
            if q not in out:
                out.append(q)
    return out[:limit]


# -- the app ------------------------------------------------------------------------------------

CSS = """
.cg-answer{font-size:15px}
.cg-short{font-size:1.25em;margin:.2em 0 .6em}
.cg-short strong{font-size:1.15em}
.cg-none{color:#8a4b00}
.cg-label{color:#666;font-size:.8em;text-transform:uppercase;letter-spacing:.05em;margin-right:.4em}
.cg-type,.cg-sector{display:inline-block;font-size:.75em;padding:.05em .5em;border-radius:1em;background:#e8eefc;
  color:#234;margin-left:.3em;vertical-align:middle}
.cg-sector{background:#e7f6ec}
.cg-h{font-weight:600;margin:.9em 0 .3em}
.cg-table{border-collapse:collapse!important;width:auto;min-width:50%;font-size:.92em;border:none!important}
.cg-table th,.cg-table td{border:none!important;border-bottom:1px solid #e3e3e3!important;padding:.25em .5em!important;
  text-align:left;vertical-align:top;background:none!important}
.cg-table th{color:#555;font-weight:600}
.cg-card{border:1px solid #dcdcdc;border-radius:8px;padding:.6em .8em;margin:.5em 0;background:#fcfcfc}
.cg-card-head{display:flex;gap:.5em;align-items:baseline;flex-wrap:wrap}
.cg-title{font-weight:600}
.cg-meta{color:#777;font-size:.85em}
.cg-num{color:#3a5bbf;font-weight:700}
.cg-passage{margin:.4em 0;line-height:1.5;white-space:pre-wrap}
mark.cg-ans{background:#ffe066;font-weight:600}
mark.cg-q{background:#cfe3ff}
.cg-open{font-size:.85em}
.cg-ev{font-size:.9em;color:#333}
.cg-profile h2{margin:.2em 0}
.cg-rel-type{font-weight:600;color:#3a4350;margin:.7em 0 .2em;text-transform:capitalize}
.cg-rel-row{margin:.1em 0 .1em .4em}
.cg-rel-row summary,.cg-more summary{cursor:pointer}
.cg-more{margin-left:.4em}
.cg-why-doc summary{cursor:pointer;margin:.3em 0}
.cg-why-span{margin:.4em 0 .6em .6em;font-size:.92em}
.cg-why-span ul{margin:.2em 0;padding-left:1.2em}
.cg-why-sentence{color:#444;font-style:italic;margin:.2em 0 0 .4em}
.cg-count{color:#3a5bbf;font-weight:600;font-size:.9em;margin-left:.3em}
.cg-sentences{margin:.3em 0 .5em 1em;padding-left:1em}
.cg-sentences li{margin:.25em 0}
.cg-docs-block summary{cursor:pointer}
.cg-failed{border:1px solid #f0c36d;background:#fff8e6;border-radius:6px;padding:.4em .7em;margin:.3em 0}
.cg-exports a{margin-right:.7em}
.cg-status{font-size:.9em;color:#555}
"""

# Node clicks arrive from the sandboxed network frames as messages; they set a hidden textbox.
HEAD = """<script>
window.addEventListener('message', function (ev) {
  var id = ev.data && ev.data.casegraphNode;
  if (!id) return;
  var ours = Array.prototype.some.call(document.querySelectorAll('iframe.cg-net'),
                                       function (f) { return f.contentWindow === ev.source; });
  if (!ours) return;  // only our own network frames may pick a node
  var box = document.querySelector('#cg-pick textarea, #cg-pick input');
  if (!box) return;
  box.value = String(id);
  box.dispatchEvent(new Event('input', {bubbles: true}));  // updates the bound value
  setTimeout(function () { var go = document.querySelector('#cg-pick-go'); if (go) go.click(); }, 50);
});
// Focusing the entity search selects its text, so typing a new name replaces the last one
// instead of being appended to it (the focusing mouseup would otherwise drop the selection).
var cgJustFocused = null;
document.addEventListener('focusin', function (ev) {
  var t = ev.target;
  if (t && t.matches && t.matches('#cg-entity input')) { cgJustFocused = t; setTimeout(function () { t.select(); }, 0); }
});
document.addEventListener('mouseup', function (ev) {
  if (cgJustFocused && ev.target === cgJustFocused) ev.preventDefault();
  cgJustFocused = null;
}, true);
</script>"""


@dataclass
class Workbench:
    """What the handlers share: the store, the corpus folder and one engine."""

    store: Store
    corpus: Path
    engine: object = None
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)

    def graph(self):
        return self.engine.state().graph

    def titles(self) -> dict:
        return {name: e.get("title") or name for name, e in self.engine.state().documents.items()}


def _entity_choices(graph) -> list[tuple[str, str]]:
    rows = [(f"{d.get('name') or n} · {d.get('type') or ''}", n) for n, d in graph.nodes(data=True)]
    return sorted(rows, key=lambda r: r[0].casefold())


def _first_entity(graph) -> str | None:
    """The most-mentioned organisation (else entity): a profile worth showing before any search."""
    ranked = sorted(graph.nodes(data=True), key=lambda nd: (nd[1].get("type") != "organisation",
                                                           -(nd[1].get("mentions") or 0), nd[0]))
    return ranked[0][0] if ranked else None


def _names_of(graph, type_: str) -> list[str]:
    return sorted({d.get("name") or n for n, d in graph.nodes(data=True) if d.get("type") == type_}, key=str.casefold)


def _doc_rows(store: Store) -> list[list]:
    """Rows of the documents table: the reports that ingested; failed files are listed apart."""
    from graph.stats import document_table

    rows = []
    for r in document_table(store):
        if r.get("status") != "ok":
            continue
        rows.append([r["doc"], r.get("title") or "", r.get("format") or "", r.get("pages") or "",
                     r.get("words") or 0, r.get("entities") or 0, (r.get("ingested_at") or "").replace("T", " "),
                     "ok"])
    return rows


def failed_files(store: Store) -> list[tuple[str, str]]:
    """(name, reason) of each corpus file the store recorded as failed, by name."""
    files = store.read_manifest()["files"]
    return sorted((name, e.get("error") or "unknown error") for name, e in files.items() if e.get("status") != "ok")


def remove_failed(store: Store, corpus: Path, name: str) -> str:
    """Delete a failed file from `corpus` and forget it in the store; returns what was done.

    Only a name the manifest records as failed is touched, so a request cannot reach other files.
    Raises ValueError when `name` is not a failed file."""
    with store.write_lock():
        manifest = store.read_manifest()
        entry = manifest["files"].get(name)
        if entry is None or entry.get("status") == "ok":
            raise ValueError(f"{name!r} is not a failed file in the corpus; nothing removed")
        path = (Path(corpus) / name).resolve()
        note = ""
        if path.is_relative_to(Path(corpus).resolve()) and path.is_file():
            path.unlink()
        else:
            note = " (it was already gone from the folder)"
        # A failed file has no records in the graph or index: dropping its manifest entry is all.
        del manifest["files"][name]
        store.write_manifest(manifest)
    return f"{name}: removed{note}"


def _upload_match(store: Store, corpus: Path, sha: str) -> str | None:
    """The corpus file already holding content `sha` (by the store's record), if it is still there."""
    for name, entry in sorted(store.read_manifest()["files"].items()):
        if entry.get("sha256") == sha and (Path(corpus) / name).is_file():
            return name
    return None


FALLBACK_EXAMPLES = ["Who leads the programme?", "Which organisations partnered with the council?"]


DOC_HEADERS = ["document", "title", "format", "pages", "words", "entities", "ingested at", "status"]
OUTCOME_HEADERS = ["metric", "value", "as stated", "unit", "direction", "baseline", "period", "theme", "achieved by",
                   "place", "document", "sentence", "id"]
_OUTCOME_TYPES = ["str", "number", "str", "str", "str", "str", "str", "str", "str", "str", "str", "str", "str"]
_OUTCOME_FILTERS = ("place", "organisation", "programme", "theme")


def outcome_choices(graph) -> dict[str, list[str]]:
    """The Outcomes tab's menus: the places, organisations, programmes and themes its rows name."""
    from graph.outcomes import outcome_rows

    rows = outcome_rows(graph)
    names = {"place": {r["place"] for r in rows}, "organisation": {n for r in rows for n in r["organisation"]},
             "programme": {n for r in rows for n in r["programme"]}, "theme": {r["theme"] for r in rows}}
    return {k: sorted((n for n in v if n), key=str.casefold) for k, v in names.items()}


def outcome_table_rows(rows: list[dict]) -> list[list]:
    """Cells of the Outcomes table, one list per outcome record (in OUTCOME_HEADERS order)."""
    return [[r["metric"] or "", r["value"], r["value_text"] or "", r["unit"] or "", r["direction"] or "",
             r["baseline"] or "", r["period"] or "", r["theme"] or "", "; ".join(r["achieved_by"]), r["place"] or "",
             r["document"] or "", " ".join((r["sentence"] or "").split()), r["id"] or ""] for r in rows]


def render_outcome(row: dict | None) -> str:
    """One outcome record: its sentence with the result marked, its fields, a link to the sentence in its document."""
    if not row:
        return "<p class='cg-meta'>Pick a row to see its sentence and open it in its document.</p>"
    sentence, base = row.get("sentence") or "", row.get("start") or 0
    ps, pe = (row.get("phrase_start") or base) - base, (row.get("phrase_end") or base) - base
    fields = [("achieved by", "; ".join(row.get("achieved_by") or ()) or "—"), ("place", row.get("place") or "—"),
              ("value", f"{row.get('value_text') or ''} ({row.get('unit') or ''}, {row.get('direction') or 'none'})"),
              ("baseline", row.get("baseline") or "—"), ("period", row.get("period") or "—"),
              ("theme", row.get("theme") or "—")]
    cells = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(str(v))}</td></tr>" for k, v in fields)
    link = _doc_link(row.get("document") or "", row.get("start"), row.get("end"), "open the sentence in its document")
    return (f"<div class='cg-card' id='cg-outcome-card'><div class='cg-card-head'><span class='cg-title'>"
            f"{_esc(row.get('metric') or row.get('outcome') or 'outcome')}</span>"
            f"<span class='cg-meta'>{_esc(row.get('document') or '')}</span></div>"
            f"<div class='cg-passage'>{highlight(sentence, [(ps, pe, 'cg-ans')])}</div>"
            f"<table class='cg-table'>{cells}</table>"
            f"<div class='cg-card-foot'>{link}</div></div>")


def _message(exc: Exception) -> str:
    """An exception as one line for the user (no stack trace)."""
    text = str(exc) or type(exc).__name__
    return text if len(text) < 500 else text[:500] + "…"


def _view_params(place=None, programme=None, doc=None, min_weight=1, programmes=False, internal=False) -> dict:
    params = {"view": "all" if programmes else "partnerships", "min_weight": int(min_weight or 1)}
    if internal:
        params["internal"] = "1"
    if place:
        params["place"] = place
    if programme:
        params["programme"] = programme
    if doc:
        params["doc"] = doc
    return params


def make_partnership_view(graph, params: dict):
    """The partnerships view for the UI's filters (`_view_params`), via graph.views.make_view."""
    from graph.views import make_view

    docs = params.get("doc")
    docs = [docs] if isinstance(docs, str) else docs
    if params.get("view") == "all":
        # Organisations with the programmes they work on, optionally around a place/programme.
        centre = params.get("programme") or params.get("place")
        view = "programme" if params.get("programme") else "place" if params.get("place") else "all"
        return make_view(graph, view, place=params.get("place"), programme=params.get("programme"),
                         docs=docs or None, min_weight=params["min_weight"], types=["organisation", "programme"],
                         depth=2 if centre else 1, include_internal=bool(params.get("internal")))
    return make_view(graph, "partnerships", place=params.get("place"), programme=params.get("programme"),
                     docs=docs or None, min_weight=params["min_weight"], include_internal=bool(params.get("internal")))


def _export_links(params: dict) -> str:
    from graph.export import FORMATS

    links = []
    for fmt in FORMATS:
        url = f"{EXPORT_ROUTE}?{urlencode(dict(params, fmt=fmt), quote_via=quote)}"
        links.append(f'<a class="cg-export" data-format="{_esc(fmt)}" href="{_esc(url)}" download>{_esc(fmt)}</a>')
    return '<div class="cg-exports"><b>Download this view:</b> ' + " ".join(links) + "</div>"


def warm(demo) -> None:
    """Load models and indexes and answer one throwaway question, so the first real one is fast."""
    engine = demo.casegraph.engine
    engine.warm()
    engine.ask((example_questions(engine.state().graph, 1) or ["Who leads the programme?"])[0])


def build_app(store: Store, corpus: Path):
    """The Gradio Blocks of the workbench over `store`, uploads saved into `corpus`."""
    import gradio as gr

    from search.engine import Engine

    bench = Workbench(store=store, corpus=Path(corpus), engine=Engine(store))
    graph0 = bench.graph()
    examples = example_questions(graph0)

    # -- handlers ------------------------------------------------------------------------------
    def ask(question: str):
        question = (question or "").strip()
        if not question:
            return "<p class='cg-meta'>Type a question and press Enter.</p>"
        try:
            ans = bench.engine.ask(question, k=5)
            return render_answer(ans, bench.graph())
        except Exception as exc:  # shown as a message, never a trace
            raise gr.Error(f"could not answer: {_message(exc)}") from None

    def profile(node: str | None):
        if not node:
            return "<p class='cg-meta'>Pick an entity: start typing a name.</p>", ""
        graph = bench.graph()
        if node not in graph:
            from graph.views import ViewError, find_entity

            try:
                node = find_entity(graph, node)
            except ViewError as exc:
                raise gr.Error(_message(exc)) from None
        html_profile = render_profile(graph, node, bench.titles())
        try:
            from graph.views import make_view

            net = network_frame(make_view(graph, "ego", entity=node, depth=1), height=520)
        except Exception as exc:
            net = f"<p class='cg-meta'>No neighbourhood to draw: {_esc(_message(exc))}</p>"
        return html_profile, net

    def why(node: str | None):
        if not node:
            return "<p class='cg-meta'>Pick an entity first.</p>"
        from graph.explain import explain

        try:
            return render_why(explain(bench.store, node))
        except Exception as exc:  # shown as a message, never a trace
            return f"<p class='cg-none'>cannot explain it: {_esc(_message(exc))}</p>"

    def pick(node: str):
        # Setting the dropdown fires its change event, which draws the profile.
        return gr.update(value=node), gr.Tabs(selected="explore")

    def draw(place, programme, doc, min_weight, programmes, internal, colour_by):
        params = _view_params(place, programme, doc, min_weight, programmes, internal)
        try:
            view = make_partnership_view(bench.graph(), params)
        except Exception as exc:
            return f"<p class='cg-none'>{_esc(_message(exc))}</p>", ""
        hidden = view.graph.get("hidden_internal") or 0
        hidden = (f" · {hidden} teams, boards, events or duplicate acronyms hidden" if hidden else "")
        summary = (f"<p class='cg-status'><b>{_esc(view.graph.get('title') or 'partnerships')}</b> · "
                   f"{view.number_of_nodes()} nodes · {view.number_of_edges()} edges{hidden} · node size = degree, "
                   f"edge width = supporting sentences, shaded patches = communities. Hover a node for its name; "
                   f"click it to open its profile.</p>")
        try:
            frame = network_frame(view, colour_by=colour_by)
        except Exception as exc:
            frame = f"<p class='cg-none'>cannot draw the network: {_esc(_message(exc))}</p>"
        return summary + frame, _export_links(params)

    def ok_docs() -> list[str]:
        return sorted(n for n, e in bench.engine.state().documents.items() if e.get("status") == "ok")

    def counts() -> str:
        state = bench.engine.state()
        graph = state.graph
        failed = failed_files(bench.store)
        line = (f"{len(ok_docs())} reports · {graph.number_of_nodes()} entities · "
                f"{graph.number_of_edges()} relations")
        if failed:
            line += f" · **{len(failed)} failed file{'s' if len(failed) != 1 else ''}** (see Corpus)"
        return line

    outcomes_dir = Path(tempfile.mkdtemp(prefix="casegraph-outcomes-"))

    def outcome_list(place="", organisation="", programme="", theme=""):
        """The Outcomes table for the filters, and its CSV file (named for the filters, so two people
        filtering at once never overwrite each other's download)."""
        from graph.outcomes import outcome_rows, outcomes_csv
        from ingest.records import content_hash
        from ingest.store import atomic_write_bytes

        rows = outcome_rows(bench.graph(), place=place or None, organisation=organisation or None,
                            programme=programme or None, theme=theme or None)
        key = content_hash("\0".join([place or "", organisation or "", programme or "", theme or "",
                                      str(bench.store.generation())]))[:12]
        path = outcomes_dir / f"casegraph-outcomes-{key}.csv"
        atomic_write_bytes(path, outcomes_csv(rows))
        note = f"{len(rows)} outcome record{'s' if len(rows) != 1 else ''} · click a row to see its sentence"
        return outcome_table_rows(rows), str(path), note, render_outcome(None)

    def outcome_pick(evt: gr.SelectData):
        from graph.outcomes import outcome_rows

        # the record id, not the row number: the user may have sorted the table
        row_id = (evt.row_value or [None])[-1]
        row = next((r for r in outcome_rows(bench.graph()) if r["id"] == row_id), None)
        return render_outcome(row)

    # Gradio injects the selection by the parameter's type; with postponed annotations the string
    # 'gr.SelectData' cannot be resolved (gradio is imported here, not at module level).
    outcome_pick.__annotations__["evt"] = gr.SelectData

    def refresh_choices():
        """Every menu, example and count from the store as it is now (on page load and after an
        ingest), so a report added by the UI, `casegraph ingest` or `watch` shows without a restart."""
        graph = bench.graph()
        questions = example_questions(graph) or FALLBACK_EXAMPLES
        menus = outcome_choices(graph)
        return (gr.update(choices=_entity_choices(graph)), gr.update(choices=[""] + _names_of(graph, "place")),
                gr.update(choices=[""] + _names_of(graph, "programme")), gr.update(choices=[""] + ok_docs()),
                gr.Dataset(samples=[[q] for q in questions]), counts(), failed_files(bench.store),
                *(gr.update(choices=[""] + menus[k], value="") for k in _OUTCOME_FILTERS), *outcome_list())

    def corpus_state():
        return _doc_rows(bench.store), *refresh_choices()

    def remove(name: str):
        try:
            with bench.ingest_lock:
                note = remove_failed(bench.store, bench.corpus, name)
        except (ValueError, OSError) as exc:
            raise gr.Error(_message(exc)) from None
        return f"- {note}", *corpus_state()

    def upload(files, progress=gr.Progress()):
        from ingest.loaders import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES

        files = files or []
        if not files:
            raise gr.Error("choose one or more report files first")
        limit = int(os.environ.get("CASEGRAPH_MAX_BYTES", DEFAULT_MAX_BYTES))
        saved, notes, taken = [], [], set()
        bench.corpus.mkdir(parents=True, exist_ok=True)
        for f in files:
            src = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            original = src.name
            if src.suffix.lower() not in SUPPORTED_SUFFIXES:
                notes.append(f"{original}: not added — unsupported format {src.suffix or '(none)'}; "
                             f"supported: {' '.join(SUPPORTED_SUFFIXES)}")
                continue
            size = src.stat().st_size
            if size > limit:
                notes.append(f"{original}: not added — {size / 2**20:.1f} MB is over the {limit / 2**20:.0f} MB limit")
                continue
            data = src.read_bytes()
            from ingest.records import content_hash

            same = _upload_match(bench.store, bench.corpus, content_hash(data))
            if same is not None:
                # The same bytes again (a retry, a second drag): one file, re-tried if it had failed.
                if dict(failed_files(bench.store)).get(same) is not None:
                    notes.append(f"{original}: same content as {same}, which failed before; trying it again")
                    saved.append(bench.corpus / same)
                else:
                    notes.append(f"{original}: already in the corpus as {same}; not added again")
                taken.add(same.lower())
                continue
            name = safe_upload_name(original, bench.corpus, taken)
            taken.add(name.lower())
            target = bench.corpus / name
            if target.resolve().parent != bench.corpus.resolve():  # belt and braces: never outside the corpus
                notes.append(f"{original}: not added — unsafe name")
                continue
            try:
                with open(target, "xb") as out:  # "x": never overwrite, even in a race
                    out.write(data)
            except OSError as exc:
                notes.append(f"{original}: not added — cannot save into {bench.corpus}: {exc.strerror or exc}")
                continue
            saved.append(target)
            if name != original:
                notes.append(f"{original}: saved as {name}")
        results = _ingest_files(saved, progress)
        return ("\n".join(f"- {n}" for n in notes + results) or "nothing to do", gr.update(value=None),
                *corpus_state())

    def _ingest_files(paths: list[Path], progress) -> list[str]:
        from app import consumers
        from ingest.pipeline import ingest as run_ingest

        lines = []
        with bench.ingest_lock:
            for i, path in enumerate(paths):
                progress((i, len(paths)), desc=f"ingesting {path.name}", unit="files")
                try:
                    report = run_ingest(path, bench.store, consumers=consumers(), progress=False)
                except Exception as exc:
                    lines.append(f"{path.name}: failed — {_message(exc)}")
                    continue
                for name, reason in report.failed:
                    lines.append(f"**{name}: failed** — {reason}. It is listed under *Failed files* below: "
                                 "remove it, or fix it and re-scan.")
                if report.ok:
                    lines.append(f"{path.name}: added ({report.timings.get('total', 0):.1f}s)")
            progress((len(paths), len(paths)), desc="done")
            if paths:
                bench.engine.state()  # reload now, so the next question sees the new report
        return lines

    def rescan(progress=gr.Progress()):
        from app import consumers
        from ingest.pipeline import ingest as run_ingest

        progress(0, desc=f"scanning {bench.corpus}")
        with bench.ingest_lock:
            try:
                report = run_ingest(bench.corpus, bench.store, consumers=consumers(), progress=False)
            except Exception as exc:
                raise gr.Error(f"re-scan failed: {_message(exc)}") from None
        bench.engine.state()
        lines = [report.summary()] + [f"- **{n}: failed** — {r}" for n, r in report.failed]
        return "\n".join(lines), *corpus_state()

    choice_outputs_late: list = []  # filled once the components exist; the failed-file rows use it

    # -- layout ----------------------------------------------------------------------------------
    with gr.Blocks(title="casegraph — who did what, where", analytics_enabled=False) as demo:
        gr.Markdown("## casegraph · who did what, where — in your transformation reports")
        counts_md = gr.Markdown(counts(), elem_id="cg-counts")
        with gr.Tabs() as tabs:
            with gr.Tab("Ask", id="ask"):
                with gr.Row():
                    question = gr.Textbox(label="Question", placeholder="e.g. Who leads …?  Where is …?",
                                          elem_id="cg-question", scale=5, lines=1, max_lines=1, autofocus=True)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="cg-ask")
                answer_html = gr.HTML("<p class='cg-meta'>Ask about people, organisations, programmes, places and "
                                      "outcomes in the corpus. Every answer shows the passages behind it.</p>",
                                      elem_id="cg-answer", render=False)
                example_box = gr.Examples(examples=[[q] for q in examples or FALLBACK_EXAMPLES], inputs=[question],
                                          outputs=[answer_html], fn=ask, run_on_click=True, cache_examples=False,
                                          label="Try a question drawn from the corpus", examples_per_page=8)
                answer_html.render()
            with gr.Tab("Explore", id="explore") as explore_tab:
                with gr.Row():
                    entity = gr.Dropdown(choices=_entity_choices(graph0), value=_first_entity(graph0), filterable=True,
                                         label="Find an entity (type to search)", elem_id="cg-entity", scale=3)
                with gr.Row():
                    with gr.Column(scale=1):
                        profile_html = gr.HTML(elem_id="cg-profile")
                    with gr.Column(scale=1):
                        gr.Markdown("**Neighbourhood** — click a node to open it")
                        ego_html = gr.HTML(elem_id="cg-ego")
                # closed until asked: explaining re-reads every document's trace
                with gr.Accordion("Why? — the extraction stages behind this entity", open=False,
                                  elem_id="cg-why-box") as why_box:
                    why_html = gr.HTML(elem_id="cg-why")
            with gr.Tab("Partnerships", id="partnerships") as partnerships_tab:
                with gr.Row():
                    place = gr.Dropdown(choices=[""] + _names_of(graph0, "place"), value="", label="Place",
                                        filterable=True)
                    programme = gr.Dropdown(choices=[""] + _names_of(graph0, "programme"), value="",
                                            label="Programme", filterable=True)
                    doc = gr.Dropdown(choices=[""] + ok_docs(), value="",
                                      label="Document", filterable=True)
                with gr.Row():
                    min_weight = gr.Slider(1, 10, value=1, step=1, label="Minimum supporting sentences")
                    programmes = gr.Checkbox(False, label="Show programmes as nodes")
                    internal = gr.Checkbox(False, label="Include teams, boards, events", elem_id="cg-internal")
                    colour_by = gr.Radio(["community", "sector"], value="community", label="Colour by")
                    draw_btn = gr.Button("Draw", variant="primary", elem_id="cg-draw")
                network_html = gr.HTML(elem_id="cg-network")
                exports_html = gr.HTML(elem_id="cg-exports")
            with gr.Tab("Outcomes", id="outcomes"):
                menus0 = outcome_choices(graph0)
                with gr.Row():
                    outcome_menus = [gr.Dropdown(choices=[""] + menus0[k], value="", label=k.capitalize(),
                                                 filterable=True, elem_id=f"cg-outcome-{k}")
                                     for k in _OUTCOME_FILTERS]
                rows0, csv0, note0, card0 = outcome_list()
                with gr.Row():
                    outcome_note = gr.Markdown(note0, elem_id="cg-outcome-note")
                    outcome_csv = gr.DownloadButton("Download CSV", value=csv0, elem_id="cg-outcome-csv", scale=0,
                                                    min_width=160)
                outcome_table = gr.Dataframe(value=rows0, headers=OUTCOME_HEADERS, datatype=_OUTCOME_TYPES,
                                             interactive=False, wrap=True, elem_id="cg-outcomes", type="array",
                                             max_height=480, column_widths=["13%", "5%", "7%", "6%", "6%", "8%", "7%",
                                                                            "6%", "10%", "6%", "8%", "15%", "3%"])
                outcome_card = gr.HTML(card0, elem_id="cg-outcome")
            with gr.Tab("Corpus", id="corpus"):
                docs_table = gr.Dataframe(value=_doc_rows(store), headers=DOC_HEADERS, interactive=False,
                                          wrap=True, elem_id="cg-docs", type="array", max_height=420,
                                          column_widths=["22%", "28%", "6%", "6%", "7%", "7%", "14%", "10%"])
                with gr.Row():
                    from ingest.loaders import SUPPORTED_SUFFIXES

                    files = gr.File(file_count="multiple", file_types=list(SUPPORTED_SUFFIXES),
                                    label="Add reports (" + " ".join(SUPPORTED_SUFFIXES) + ")", elem_id="cg-upload",
                                    scale=3, height=150)
                    with gr.Column(scale=1):
                        add_btn = gr.Button("Add to corpus", variant="primary", elem_id="cg-add")
                        rescan_btn = gr.Button("Re-scan corpus folder", elem_id="cg-rescan")
                status = gr.Markdown(elem_id="cg-status")
                failed = gr.State(failed_files(store))

                @gr.render(inputs=failed)
                def failed_list(rows):
                    if not rows:
                        return
                    gr.Markdown(f"**Failed files ({len(rows)})** — not in the graph or the index. Remove a file, "
                                "or fix it in the corpus folder and re-scan.", elem_id="cg-failed-head")
                    for name, reason in rows:
                        with gr.Row(elem_classes="cg-failed", equal_height=True):
                            gr.HTML(f"<b>{_esc(name)}</b> — {_esc(reason)}", elem_classes="cg-failed-name")
                            button = gr.Button("Remove", size="sm", scale=0, min_width=90, elem_classes="cg-remove")
                            button.click(lambda n=name: remove(n), None,
                                         [status, docs_table, *choice_outputs_late])
        pick_box = gr.Textbox(visible="hidden", elem_id="cg-pick")
        pick_go = gr.Button(visible="hidden", elem_id="cg-pick-go")

        question.submit(ask, question, answer_html, show_progress="minimal", api_name="ask")
        ask_btn.click(ask, question, answer_html, show_progress="minimal", api_name="ask_button")
        entity.change(profile, entity, [profile_html, ego_html])
        why_open = gr.State(False)
        why_box.expand(lambda node: (True, why(node)), entity, [why_open, why_html])
        why_box.collapse(lambda: False, None, why_open)
        entity.change(lambda shown, node: why(node) if shown else gr.skip(), [why_open, entity], why_html)
        pick_go.click(pick, pick_box, [entity, tabs])
        filters = [place, programme, doc, min_weight, programmes, internal, colour_by]
        draw_btn.click(draw, filters, [network_html, exports_html])
        for comp in (place, programme, doc, programmes, internal, colour_by):
            comp.change(draw, filters, [network_html, exports_html])
        min_weight.release(draw, filters, [network_html, exports_html])
        outcome_outputs = [outcome_table, outcome_csv, outcome_note, outcome_card]
        for menu in outcome_menus:
            menu.input(outcome_list, outcome_menus, outcome_outputs)
        outcome_table.select(outcome_pick, None, outcome_card)
        choice_outputs = [entity, place, programme, doc, example_box.dataset, counts_md, failed, *outcome_menus,
                          *outcome_outputs]
        choice_outputs_late[:] = choice_outputs
        add_btn.click(upload, files, [status, files, docs_table, *choice_outputs])
        rescan_btn.click(rescan, None, [status, docs_table, *choice_outputs])
        # Off the queue: a page load only reads the store, and must not wait behind a question.
        demo.load(corpus_state, None, [docs_table, *choice_outputs], queue=False)
        # Tabs draw on first visit, not on page load, so nothing queues ahead of the first question.
        drawn = gr.State(False)
        profiled = gr.State(False)

        def draw_once(done, *args):
            return (gr.skip(), gr.skip(), True) if done else (*draw(*args), True)

        def profile_once(done, node):
            return (gr.skip(), gr.skip(), True) if done else (*profile(node), True)

        partnerships_tab.select(draw_once, [drawn, *filters], [network_html, exports_html, drawn])
        explore_tab.select(profile_once, [profiled, entity], [profile_html, ego_html, profiled])
        entity.change(lambda: True, None, profiled)
    demo.casegraph = bench
    return demo


# -- routes beside the Gradio app ----------------------------------------------------------------


def _authorised(request) -> bool:
    """True when the app has no login, or the request carries Gradio's login cookie."""
    app = request.app
    if getattr(app, "auth", None) is None and getattr(app, "auth_dependency", None) is None:
        return True
    cid = getattr(app, "cookie_id", "")
    token = request.cookies.get(f"access-token-{cid}") or request.cookies.get(f"access-token-unsecure-{cid}")
    return bool(token) and token in getattr(app, "tokens", {})


def _routes(bench: Workbench) -> list:
    from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse
    from starlette.background import BackgroundTask
    from starlette.routing import Route

    headers = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
               "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}

    def _int(value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def doc_page(request):
        if not _authorised(request):
            return PlainTextResponse("log in to the app first", status_code=401)
        name = request.query_params.get("name", "")
        # Looked up by name in the manifest: a path in the request is never opened.
        document = bench.engine.document(name) if name else None
        if document is None:
            return PlainTextResponse(f"no document {name!r} in the corpus", status_code=404, headers=headers)
        start, end = _int(request.query_params.get("start")), _int(request.query_params.get("end"))
        return HTMLResponse(render_document(document, start, end), headers=headers)

    def export_view(request):
        from graph.export import FORMATS, export

        if not _authorised(request):
            return PlainTextResponse("log in to the app first", status_code=401)
        q = request.query_params
        fmt = q.get("fmt", "graphml")
        if fmt not in FORMATS:
            return PlainTextResponse(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", status_code=400)
        params = _view_params(q.get("place"), q.get("programme"), q.get("doc"), _int(q.get("min_weight")) or 1,
                              q.get("view") == "all", q.get("internal") == "1")
        try:
            view = make_partnership_view(bench.graph(), params)
            folder = Path(tempfile.mkdtemp(prefix="casegraph-export-"))
            stem = "casegraph-" + "-".join(re.sub(r"[^a-z0-9]+", "-", str(v).lower()).strip("-")
                                           for k, v in params.items() if k != "min_weight")
            written = Path(export(view, fmt, folder / f"{stem}.{_EXPORT_SUFFIX.get(fmt, fmt)}"))
        except Exception as exc:
            return PlainTextResponse(f"cannot export: {_message(exc)}", status_code=400)
        import shutil

        return FileResponse(written, filename=written.name, media_type=_EXPORT_MEDIA.get(fmt),
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    # Plain Starlette routes: the request object is all they read, nothing is parsed for them.
    return [Route(DOC_ROUTE, doc_page, methods=["GET"]), Route(EXPORT_ROUTE, export_view, methods=["GET"])]


def launch(demo, *, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           block: bool = True):
    """Start `demo` (from build_app) with the document and export routes; blocks unless `block`
    is False (then returns the running Blocks; stop it with `demo.close()`)."""
    from ingest.loaders import DEFAULT_MAX_BYTES

    limit = int(os.environ.get("CASEGRAPH_MAX_BYTES", DEFAULT_MAX_BYTES))
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, auth=auth, share=False, inbrowser=False,
                prevent_thread_lock=True, show_error=False, quiet=not block, max_file_size=limit,
                footer_links=[], app_kwargs={"routes": _routes(demo.casegraph), "docs_url": None,
                                             "redoc_url": None},
                css=CSS, head=HEAD, ssr_mode=False)
    _warm_queue(demo, auth)
    if block:
        demo.block_thread()
    return demo


def _warm_queue(demo, auth) -> None:
    """One question through Gradio's own queue: its first event costs ~1 s of lazy set-up, which
    would otherwise land on the user's first question."""
    try:
        from gradio_client import Client

        url = demo.local_url or f"http://127.0.0.1:{demo.server_port}/"
        question = (example_questions(demo.casegraph.graph(), 1) or ["Who leads the programme?"])[0]
        Client(url, auth=auth, verbose=False, download_files=False, analytics_enabled=False).predict(question, api_name="/ask")
    except Exception as exc:  # a slow first answer is no reason not to serve
        print(f"note: UI warm-up skipped ({type(exc).__name__}: {exc})", file=sys.stderr)


def serve(*, host: str = "127.0.0.1", port: int = 7860, store=None, corpus=None, auth=None) -> int:
    """Start the UI (blocking) over `store` and `corpus`; returns an exit code."""
    try:
        login = check_bind(host, auth)
    except ValueError as exc:
        print(f"casegraph serve: {exc}", file=sys.stderr)
        return 2
    corpus = Path(corpus or os.environ.get("CASEGRAPH_CORPUS", "corpus"))
    store = store if isinstance(store, Store) else Store.at(store, corpus)
    if not store.exists():
        if not corpus.is_dir():
            print(f"casegraph serve: no store at {store.root} and no corpus folder {corpus}; "
                  "pass --corpus DIR or run `casegraph ingest DIR` first", file=sys.stderr)
            return 2
        # A first run ingests the corpus, so `python ui.py` works on a fresh clone.
        from app import consumers
        from ingest.pipeline import ingest as run_ingest

        print(f"no store at {store.root} yet: ingesting {corpus}…", file=sys.stderr)
        print(run_ingest(corpus, store, consumers=consumers(), progress=sys.stderr.isatty()).summary(), file=sys.stderr)
    demo = build_app(store, corpus)
    print("loading models…", file=sys.stderr)
    warm(demo)
    print(f"casegraph UI on http://{'[' + host + ']' if ':' in host else host}:{port}", file=sys.stderr)
    try:
        launch(demo, host=host, port=port, auth=login, block=True)
    except OSError as exc:
        print(f"casegraph serve: cannot listen on {host}:{port}: {exc}; pick another --port", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(serve())
