"""Static PNG/SVG images of a view: a readable layout with labels and a colour legend (matplotlib)."""

from __future__ import annotations

import io
import math

from .export_style import colour_key, edge_rows, layout, node_colour, node_size

__all__ = ["render_image"]


def _place_labels(items, to_px, font: float, bounds, *, keep_all: bool):
    """Greedy label placement in pixel space: best-connected first, above/below/right/left of the dot.

    items: (node, name, x, y, radius_px). Returns (name, x, y, dx_pt, dy_pt, ha, va) for labels that fit
    (every label when keep_all, falling back to the first spot)."""
    placed = []
    width_px, height_px = bounds
    dots = {}
    for node, _, x, y, r in items:  # the dots are obstacles too
        px, py = to_px(x, y)
        dots[node] = (px - r, py - r, px + r, py + r)
    boxes = list(dots.values())
    for node, name, x, y, r in items:
        px, py = to_px(x, y)
        w, h = len(name) * font * 0.62 + 4, font * 1.5
        spots = [(0, r + 2, "center", "bottom", px - w / 2, py - r - 2 - h),
                 (0, -r - 2, "center", "top", px - w / 2, py + r + 2),
                 (r + 3, 0, "left", "center", px + r + 3, py - h / 2),
                 (-r - 3, 0, "right", "center", px - r - 3 - w, py - h / 2)]
        chosen = None
        for dx, dy, ha, va, left, top in spots:
            box = (left, top, left + w, top + h)
            inside = box[0] >= 2 and box[2] <= width_px - 2 and box[1] >= 2 and box[3] <= height_px - 2
            if inside and not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]
                                  for b in boxes if b is not dots[node]):
                chosen = (dx, dy, ha, va, box)
                break
        if chosen is None and keep_all:
            # Crowded: keep the label, on the side that stays inside the picture.
            dx, dy, ha, va, left, top = spots[2] if px < width_px / 2 else spots[3]
            chosen = (dx, dy, ha, va, (left, top, left + w, top + h))
        if chosen is None:
            continue
        boxes.append(chosen[4])
        placed.append((name, x, y, chosen[0] * 0.75, chosen[1] * 0.75, chosen[2], chosen[3]))
    return placed


def render_image(view, fmt: str, *, width: int = 1600, height: int = 1200, title: str = "",
                 colour_by: str = "sector") -> bytes:
    """PNG or SVG bytes of the view, exactly width x height pixels (SVG: points at 100 dpi)."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    if fmt not in ("png", "svg"):
        raise ValueError(f"render_image writes png or svg, not {fmt!r}")
    if width < 200 or height < 150:
        raise ValueError(f"image size {width}x{height} is too small to read; use at least 200x150 pixels")
    top = 0.93 if title else 0.98
    aspect = (width * 0.98) / (height * top)
    # Stretch the square layout to the canvas so the picture fills it without distorting dots.
    pos = {v: (x * max(aspect, 1.0), y / min(aspect, 1.0)) for v, (x, y) in layout(view).items()}
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    ax = fig.add_axes((0.01, 0.01, 0.98, top))
    ax.set_axis_off()
    n = view.number_of_nodes()
    degrees = {v: view.nodes[v].get("degree", 0) for v in view.nodes}
    max_degree = max(degrees.values(), default=0)

    # Direct links solid, links through a shared programme dashed, co-mentions dotted.
    styles = {"shared_programme": (0, (4, 3)), "mentioned_with": (0, (1, 2))}
    groups: dict = {}
    for u, v, _, d in edge_rows(view):
        if u != v:
            seg, wid = groups.setdefault(styles.get(d.get("relation"), "solid"), ([], []))
            seg.append((pos[u], pos[v]))
            wid.append(0.6 + 1.2 * math.log2(max(1, d.get("weight", 1) or 1)))
    for style, (seg, wid) in sorted(groups.items(), key=lambda kv: str(kv[0])):
        ax.add_collection(LineCollection(seg, linewidths=wid, linestyles=[style], colors="#7d848e", alpha=0.6, zorder=1))
    relations = {d.get("relation") for *_, d in view.edges(data=True)}

    order = sorted(view.nodes, key=lambda v: (-degrees[v], v))
    scale = 1.0 if n <= 200 else max(0.35, math.sqrt(200 / n))  # smaller dots on crowded views
    xs = [pos[v][0] for v in order]
    ys = [pos[v][1] for v in order]
    sizes = [(node_size(degrees[v], max_degree, 5, 24) * scale) ** 2 for v in order]
    colours = [node_colour(view.nodes[v], colour_by) for v in order]
    ax.scatter(xs[::-1], ys[::-1], s=sizes[::-1], c=colours[::-1], edgecolors="white", linewidths=0.8, zorder=2)

    xlim = (-1.08 * max(aspect, 1.0), 1.08 * max(aspect, 1.0))
    ylim = (-1.06 / min(aspect, 1.0), 1.1 / min(aspect, 1.0))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax_w, ax_h = width * 0.98, height * top
    off_x, off_y = width * 0.01, height * (1 - 0.01 - top)  # axes origin from the top-left, in pixels

    def to_px(x, y):
        return (off_x + (x - xlim[0]) / (xlim[1] - xlim[0]) * ax_w, off_y + (ylim[1] - y) / (ylim[1] - ylim[0]) * ax_h)

    font = 9 if n <= 60 else 8
    items = []
    for v in order[: n if n <= 60 else 120]:
        name = view.nodes[v].get("name") or v
        name = name if len(name) <= 40 else name[:38] + "…"
        items.append((v, name, pos[v][0], pos[v][1], node_size(degrees[v], max_degree, 5, 24) * scale / 2 / 0.75))
    # A soft white box, not a path-effect halo, so SVG keeps labels as searchable text.
    halo = {"boxstyle": "round,pad=0.08", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}
    for name, x, y, dx, dy, ha, va in _place_labels(items, to_px, font * 100 / 72, (width, height), keep_all=n <= 60)[:60]:
        ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=font,
                    color="#1d2430", bbox=halo, zorder=3)

    legend = {}
    for v in order:
        legend.setdefault(colour_key(view.nodes[v], colour_by), node_colour(view.nodes[v], colour_by))
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=c, markeredgecolor="white", label=k)
               for k, c in sorted(legend.items())[:14]]
    if relations & set(styles):
        handles += [Line2D([], [], color="#7d848e", linestyle=styles.get(r, "solid"), label=r.replace("_", " "))
                    for r in sorted(relations) if r]
    if handles:
        ax.legend(handles=handles, loc="best", fontsize=8, frameon=True, framealpha=0.9, title=colour_by,
                  title_fontsize=8)
    if title:
        fig.text(0.01, 0.985, title, fontsize=13, weight="bold", va="top", ha="left", color="#1d2430")
        fig.text(0.99, 0.985, f"{n} nodes · {view.number_of_edges()} links", fontsize=9, va="top", ha="right",
                 color="#5b6573")
    buf = io.BytesIO()
    # Fixed metadata and hash salt keep repeated exports byte-identical.
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "casegraph", "svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, dpi=100, facecolor="white",
                    metadata={"Software": None} if fmt == "png" else {"Date": None, "Creator": None})
    return buf.getvalue()
