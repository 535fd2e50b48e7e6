"""Shared look of exported views: flat attribute values, colours, node sizes and a static layout."""

from __future__ import annotations

import math
import re

import networkx as nx

__all__ = ["SECTOR_COLOURS", "TYPE_COLOURS", "flat", "flat_attrs", "colour_key", "node_colour", "node_size",
           "layout", "sorted_copy", "edge_rows"]

# Colour-blind-friendly (Okabe–Ito and Tableau) hues; sectors first, then entity types.
SECTOR_COLOURS = {
    "council": "#0072B2",
    "nhs": "#009E73",
    "central-government": "#7B3294",
    "voluntary": "#E69F00",
    "company": "#D55E00",
    "university": "#CC79A7",
    "partnership": "#56B4E9",
}
TYPE_COLOURS = {
    "organisation": "#8C8C8C",
    "person": "#F0E442",
    "programme": "#E15759",
    "place": "#59A14F",
    "outcome": "#9C755F",
    "document": "#BAB0AC",
}
COMMUNITY_COLOURS = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
                     "#9C755F", "#BAB0AC")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def flat(value):
    """A value every tool reads: str, int, float or bool; lists '; '-joined; None -> None (omit)."""
    if isinstance(value, str):
        # XML 1.0 forbids most control characters (PDF text can carry form feeds): GraphML/GEXF would not parse.
        return _CONTROL.sub(" ", value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return _CONTROL.sub(" ", "; ".join(str(v) for v in items if v is not None))
    return _CONTROL.sub(" ", str(value))


def flat_attrs(data: dict) -> dict:
    """Attributes flattened with `flat`, None values dropped (GraphML/GEXF have no null)."""
    return {k: f for k, v in data.items() if not k.startswith("_") and (f := flat(v)) is not None}


def colour_key(data: dict, by: str = "sector") -> str:
    """The legend entry a node falls under: its sector, else its entity type (or its community)."""
    if by == "community":
        return f"community {data.get('community', 0)}"
    return data.get("sector") or data.get("type") or "other"


def node_colour(data: dict, by: str = "sector") -> str:
    """Hex colour of a node, by sector (falling back to entity type) or by community."""
    if by == "community":
        return COMMUNITY_COLOURS[int(data.get("community", 0)) % len(COMMUNITY_COLOURS)]
    # Extractors write "central_government" or "central-government": one colour for both.
    return SECTOR_COLOURS.get((data.get("sector") or "").replace("_", "-"), TYPE_COLOURS.get(data.get("type") or "", "#8C8C8C"))


def node_size(degree: int, max_degree: int, small: float = 6.0, large: float = 30.0) -> float:
    """Node size growing with the square root of degree, so hubs stand out without swamping."""
    if max_degree <= 0:
        return small
    return round(small + (large - small) * math.sqrt(max(degree, 0) / max_degree), 2)


def sorted_copy(view):
    """A copy with nodes and edges in sorted order (undirected ends ordered), for byte-stable files."""
    out = view.__class__()
    out.graph.update(view.graph)
    for n in sorted(view.nodes):
        out.add_node(n, **view.nodes[n])
    if view.is_multigraph():
        edges = [(u, v, k, d) for u, v, k, d in view.edges(keys=True, data=True)]
    else:
        edges = [(u, v, None, d) for u, v, d in view.edges(data=True)]
    if not view.is_directed():
        edges = [(min(u, v), max(u, v), k, d) for u, v, k, d in edges]
    for u, v, k, d in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        if view.is_multigraph():
            out.add_edge(u, v, key=k, **d)
        else:
            out.add_edge(u, v, **d)
    return out


def edge_rows(view):
    """(source, target, key, data) for every edge, sorted, with undirected ends ordered."""
    g = sorted_copy(view)
    if g.is_multigraph():
        return [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)]
    return [(u, v, None, d) for u, v, d in g.edges(data=True)]


def _force_layout(n: int, edges: list[tuple[int, int]], *, seed: int = 0):
    """Fruchterman-Reingold in numpy, repulsion in row blocks so memory stays bounded on big views."""
    import numpy as np

    rng = np.random.default_rng(seed)
    x, y = rng.random(n, dtype=np.float32), rng.random(n, dtype=np.float32)
    k2 = np.float32(1.0 / n)
    # Budget the O(n^2) work (about 1e8 pair updates): full quality on small views, fewer sweeps on big ones.
    iterations = int(min(150, max(20, 1e8 / (n * n))))
    temp, cool = 0.1, 0.1 / (iterations + 1)
    src = np.array([u for u, _ in edges], dtype=np.int64)
    dst = np.array([v for _, v in edges], dtype=np.int64)
    block = max(1, int(1e6 // n))
    for _ in range(iterations):
        fx, fy = np.zeros(n, np.float32), np.zeros(n, np.float32)
        for lo in range(0, n, block):
            dx = x[lo:lo + block, None] - x[None, :]
            dy = y[lo:lo + block, None] - y[None, :]
            f = k2 / np.maximum(dx * dx + dy * dy, np.float32(1e-6))
            fx[lo:lo + block] += (dx * f).sum(1)
            fy[lo:lo + block] += (dy * f).sum(1)
        if len(src):
            dx, dy = x[src] - x[dst], y[src] - y[dst]
            f = np.sqrt(dx * dx + dy * dy) * np.float32(math.sqrt(n))  # |d| / k
            np.subtract.at(fx, src, dx * f)
            np.add.at(fx, dst, dx * f)
            np.subtract.at(fy, src, dy * f)
            np.add.at(fy, dst, dy * f)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), np.float32(1e-9))
        step = np.minimum(length, np.float32(temp)) / length
        x += fx * step
        y += fy * step
        temp -= cool
    return np.stack([x, y], axis=1).astype(float)


def _principal_axes(xy):
    """Rotate a layout so its longest spread runs left to right (pictures are wider than tall)."""
    import numpy as np

    centred = xy - xy.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(centred.T) + 1e-12 * np.eye(2))
    rotated = centred @ vectors[:, ::-1]
    # eigh's sign is arbitrary: fix it so the output is the same on every machine.
    signs = np.where(np.abs(rotated).max(axis=0) == np.abs(rotated.max(axis=0)), 1.0, -1.0)
    return rotated * signs


def layout(view, *, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions in [-1, 1]: spring layout per component, components packed in a grid."""
    from .measures import simple_undirected

    simple = simple_undirected(view)
    comps = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    # Big components get big cells: lay each out in its own box, then shelf-pack the boxes.
    boxes = []
    for comp in comps:
        sub = simple.subgraph(comp)
        if len(comp) == 1:
            pos = {comp[0]: (0.0, 0.0)}
        else:
            xy = _force_layout(len(comp), [(index[u], index[v]) for index in [{c: i for i, c in enumerate(comp)}]
                                           for u, v in sub.edges()], seed=seed)
            xy = _principal_axes(xy)
            pos = {node: (float(xy[i, 0]), float(xy[i, 1])) for i, node in enumerate(comp)}
        boxes.append((math.sqrt(len(comp)), pos))
    total = sum(s * s for s, _ in boxes)
    row_width = math.sqrt(total) * 1.6
    out, x, y, row_h = {}, 0.0, 0.0, 0.0
    for size, pos in boxes:
        if x > 0 and x + size > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        for n, (px, py) in pos.items():
            out[n] = (x + size / 2 + (px - cx) / span * size * 0.85, y + size / 2 + (py - cy) / span * size * 0.85)
        x += size
        row_h = max(row_h, size)
    xs = [p[0] for p in out.values()]
    ys = [p[1] for p in out.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    # Fill the square, but stretch the short side at most 1.6x so distances stay honest.
    wide, high = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    sx = 2 / max(wide, high / 1.6)
    sy = 2 / max(high, wide / 1.6)
    return {n: (round((px - cx) * sx, 5), round(-(py - cy) * sy, 5)) for n, (px, py) in out.items()}
