"""Write a view in the tool the user already has: GraphML, GEXF, JSON, Cytoscape.js, CSV, HTML, PNG/SVG, Neo4j.

Every writer takes a view from `graph.views.make_view`, adds the measures if missing, writes nodes and
edges in sorted order (byte-stable output) and writes atomically. Outside the `json` format, attribute
values are flattened to strings, numbers or booleans (lists '; '-joined, None omitted).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import networkx as nx

from ingest.store import atomic_write_bytes

from .export_html import to_html
from .export_style import edge_rows, flat, flat_attrs, layout, node_colour, node_size, sorted_copy
from .measures import measured
from .views import ViewError

__all__ = ["Format", "REGISTRY", "FORMATS", "SUFFIXES", "export", "to_html", "to_json_data", "to_cytoscape_data",
           "csv_tables", "csv_edge_table", "csv_nodes_path"]

NODE_COLUMNS = ("id", "name", "type", "sector", "aliases", "docs", "mentions", "degree", "weighted_degree",
                "betweenness", "community")
EDGE_COLUMNS = ("source", "target", "source_name", "target_name", "relation", "weight", "doc", "page",
                "evidence", "start", "end", "role", "docs", "n_docs", "evidences", "programmes", "relations", "key")


@dataclass(frozen=True)
class Format:
    """One export format: how it is written, its default file suffix, what it is for."""

    name: str
    write: Callable  # (view, path, options) -> None
    suffix: str  # default file name suffix; "" for a folder of files
    description: str
    folder: bool = False  # several files, written into a folder or a .zip


def export(view, fmt: str, path: Path, **options) -> Path:
    """Write `view` as `fmt` to `path` (a file, a folder, or a .zip for csv/neo4j); returns the path written.

    Raises ViewError for an empty view or an unknown format. Options: `title`, `colour_by`
    ('sector' | 'community'), `width`/`height` in pixels for png/svg.
    """
    spec = REGISTRY.get(fmt)
    if spec is None:
        raise ViewError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if view is None or view.number_of_nodes() == 0:
        raise ViewError("the view is empty, so there is nothing to export; widen the view or loosen its filters")
    path = Path(path)
    if path.is_dir() and not spec.folder:
        raise ViewError(f"{path} is a folder; give a file name such as {path / ('view' + spec.suffix)}")
    spec.write(measured(view), path, options)
    _share(path)
    return path


def _graphml(view, path: Path, options: dict) -> None:
    _write_xml(nx.write_graphml, _flat_graph(view), path, named_key_ids=True)


def _gexf(view, path: Path, options: dict) -> None:
    _write_xml(nx.write_gexf, _gexf_graph(view, colour_by=options.get("colour_by", "sector")), path)


def _json(view, path: Path, options: dict) -> None:
    atomic_write_bytes(path, _dumps(to_json_data(view)))


def _cytoscape(view, path: Path, options: dict) -> None:
    atomic_write_bytes(path, _dumps(to_cytoscape_data(view, colour_by=options.get("colour_by", "sector"))))


def _csv(view, path: Path, options: dict) -> None:
    _write_csv(view, path, options.get("as_file"))


def _neo4j(view, path: Path, options: dict) -> None:
    from .export_neo4j import neo4j_tables

    _write_tables(path, neo4j_tables(view))


def _html(view, path: Path, options: dict) -> None:
    page = to_html(view, title=options.get("title") or view.graph.get("title") or "casegraph",
                   colour_by=options.get("colour_by", "sector"))
    atomic_write_bytes(path, page.encode("utf-8"))


def _image(fmt: str) -> Callable:
    def write(view, path: Path, options: dict) -> None:
        from .export_image import render_image

        data = render_image(view, fmt, width=int(options.get("width", 1600)), height=int(options.get("height", 1200)),
                            title=options.get("title") or view.graph.get("title") or "",
                            colour_by=options.get("colour_by", "sector"))
        atomic_write_bytes(path, data)

    return write


REGISTRY: dict[str, Format] = {f.name: f for f in (
    Format("graphml", _graphml, ".graphml", "GraphML for yEd, Gephi and networkx"),
    Format("gexf", _gexf, ".gexf", "GEXF for Gephi, with colours, sizes and positions"),
    Format("json", _json, ".json", "networkx node-link JSON (the export contract)"),
    Format("cytoscape", _cytoscape, ".cyjs", "Cytoscape.js elements JSON, also read by Cytoscape desktop"),
    Format("csv", _csv, "", "one edge a row with both ends' columns, and NAME.nodes.csv beside it (a folder when -o names one, or a .zip)", folder=True),
    Format("html", _html, ".html", "a standalone web page that opens offline"),
    Format("png", _image("png"), ".png", "a PNG picture of the network"),
    Format("svg", _image("svg"), ".svg", "an SVG picture of the network"),
    Format("neo4j", _neo4j, "", "CSV files for neo4j-admin import (a folder, or a .zip path)", folder=True),
)}
FORMATS: tuple[str, ...] = tuple(REGISTRY)
SUFFIXES = {name: f.suffix for name, f in REGISTRY.items()}


def _share(path: Path) -> None:
    """Exports are for sharing: give them the usual umask permissions (temp files start as 0600)."""
    import os

    umask = os.umask(0)
    os.umask(umask)
    targets = [path] if path.is_file() else [p for p in path.iterdir() if p.is_file()]
    for target in targets:
        os.chmod(target, 0o666 & ~umask)


def _dumps(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _write_xml(writer, graph, path: Path, **kwargs) -> None:
    buf = io.BytesIO()
    writer(graph, buf, **kwargs)
    atomic_write_bytes(path, buf.getvalue())


# -- GraphML / GEXF ---------------------------------------------------------------------------


def _flat_graph(view):
    """A sorted copy whose attribute values are all str, int, float or bool."""
    g = sorted_copy(view)
    g.graph = flat_attrs(g.graph)
    for _, d in g.nodes(data=True):
        flat_d = flat_attrs(d)
        d.clear()
        d.update(flat_d)
    for *_, d in g.edges(data=True):
        flat_d = flat_attrs(d)
        d.clear()
        d.update(flat_d)
    return g


def _gexf_graph(view, colour_by: str):
    """GEXF-ready graph: labels, viz colour/size/position; offsets renamed so Gephi does not read them as time."""
    g = _flat_graph(view)
    pos = layout(view)
    max_degree = max((d.get("degree", 0) for _, d in g.nodes(data=True)), default=0)
    for n, d in g.nodes(data=True):
        hexcol = node_colour(d, colour_by)
        r, gr, b = (int(hexcol[i:i + 2], 16) for i in (1, 3, 5))
        x, y = pos.get(n, (0.0, 0.0))
        d["label"] = d.get("name") or n
        d["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": node_size(d.get("degree", 0), max_degree),
                    "position": {"x": round(x * 500, 2), "y": round(y * 500, 2), "z": 0.0}}
    for *_, d in g.edges(data=True):
        # GEXF reserves start/end for the timeline; our offsets are character positions.
        for key in ("start", "end"):
            if key in d:
                d[f"offset_{key}"] = d.pop(key)
        d.setdefault("label", d.get("relation", ""))
        d["weight"] = float(d.get("weight", 1))
    return g


# -- JSON / Cytoscape.js -----------------------------------------------------------------------


def to_json_data(view) -> dict:
    """networkx node-link data of the view (the `json` format contract), sorted."""
    return nx.node_link_data(sorted_copy(view))


def to_cytoscape_data(view, *, colour_by: str = "sector") -> dict:
    """Cytoscape.js elements JSON (also read by Cytoscape desktop and networkx.cytoscape_graph)."""
    pos = layout(view)
    max_degree = max((d.get("degree", 0) for _, d in view.nodes(data=True)), default=0)
    nodes = []
    for n in sorted(view.nodes):
        d = flat_attrs(view.nodes[n])
        d.update(id=n, value=n, name=d.get("name") or n, colour=node_colour(view.nodes[n], colour_by),
                 size=node_size(d.get("degree", 0), max_degree))
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append({"data": d, "position": {"x": round(x * 500, 2), "y": round(y * 500, 2)}})
    edges = []
    for i, (u, v, k, d) in enumerate(edge_rows(view)):
        data = flat_attrs(d)
        data.update(id=f"e{i}", source=u, target=v)
        if k is not None:
            data["key"] = k
        edges.append({"data": data})
    return {"format_version": "1.0", "generated_by": "casegraph", "target_cytoscapejs_version": "~3",
            "data": flat_attrs(view.graph), "directed": view.is_directed(), "multigraph": view.is_multigraph(),
            "elements": {"nodes": nodes, "edges": edges}}


# -- CSV ----------------------------------------------------------------------------------------


def _columns(fixed, rows) -> list[str]:
    extra = sorted({k for r in rows for k in r} - set(fixed))
    present = {k for r in rows for k in r}
    return [c for c in fixed if c in present or c in ("id", "source", "target")] + extra


def _csv_bytes(columns, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    return buf.getvalue().encode("utf-8")


def csv_tables(view) -> dict[str, bytes]:
    """nodes.csv and edges.csv: one row per node and per edge, with evidence, document and page."""
    nodes = [{"id": n, **flat_attrs(view.nodes[n])} for n in sorted(view.nodes)]
    names = {n: view.nodes[n].get("name") or n for n in view.nodes}
    edges = []
    for u, v, k, d in edge_rows(view):
        row = {"source": u, "target": v, "source_name": names[u], "target_name": names[v], **flat_attrs(d)}
        if k is not None:
            row["key"] = flat(k)
        edges.append(row)
    return {"nodes.csv": _csv_bytes(_columns(NODE_COLUMNS, nodes), nodes),
            "edges.csv": _csv_bytes(_columns(EDGE_COLUMNS, edges), edges)}


def csv_edge_table(view) -> bytes:
    """One row per edge with both ends' attributes as columns (`source_type`, `target_sector`, ...),
    so a spreadsheet that opens one file can filter edges by what they join."""
    nodes = {n: flat_attrs(view.nodes[n]) for n in view.nodes}
    node_columns = [c for c in _columns(NODE_COLUMNS, [{"id": n, **a} for n, a in nodes.items()]) if c not in ("id", "name")]
    edges, ends = [], []
    for u, v, k, d in edge_rows(view):
        row = {"source": u, "target": v, "source_name": nodes[u].get("name") or u,
               "target_name": nodes[v].get("name") or v, **flat_attrs(d)}
        if k is not None:
            row["key"] = flat(k)
        edges.append(row)
        ends.append({f"{end}_{c}": nodes[n].get(c) for c in node_columns for end, n in (("source", u), ("target", v))})
    columns = _columns(EDGE_COLUMNS, edges)
    # the ends' attributes right after source, target and their names
    columns = columns[:4] + [f"{end}_{c}" for c in node_columns for end in ("source", "target")] + columns[4:]
    return _csv_bytes(columns, [{**row, **end} for row, end in zip(edges, ends)])


def csv_nodes_path(path: Path) -> Path:
    """Where the nodes go when csv edges are written to the file `path`: `x.csv` -> `x.nodes.csv`."""
    path = Path(path)
    stem = path.stem if path.suffix.lower() == ".csv" else path.name
    return path.with_name(f"{stem}.nodes.csv")


def _write_csv(view, path: Path, as_file: bool | None) -> None:
    """CSV as a folder or .zip of nodes.csv and edges.csv, or as one file of edges (with both
    ends' attributes) and the nodes beside it (`csv_nodes_path`). `as_file` is export's option of
    that name; when it is not given, a file when `path` has a suffix other than .zip and is not a
    folder."""
    if as_file is None:
        as_file = path.suffix.lower() not in ("", ".zip") and not path.is_dir()
    if not as_file:
        _write_tables(path, csv_tables(view))
        return
    if path.is_dir():
        raise ViewError(f"{path} is a folder; give a file name such as {path / 'partnerships.csv'}")
    atomic_write_bytes(csv_nodes_path(path), csv_tables(view)["nodes.csv"])
    atomic_write_bytes(path, csv_edge_table(view))


def _write_tables(path: Path, tables: dict[str, bytes]) -> None:
    """Files into a .zip (fixed timestamps, so byte-stable) or into a folder."""
    if path.suffix.lower() == ".zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(tables):
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, tables[name])
        atomic_write_bytes(path, buf.getvalue())
        return
    if path.exists() and not path.is_dir():
        raise ViewError(f"{path} is a file; give a folder name, or a name ending in .zip")
    for name, data in sorted(tables.items()):
        atomic_write_bytes(path / name, data)
