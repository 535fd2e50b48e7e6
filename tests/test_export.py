"""Every export format written from the demo graph and read back by the tool it is for (or its reader)."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from graph.export import FORMATS, export, to_html
from graph.export_style import flat_attrs
from graph.measures import add_measures
from graph.views import ViewError, make_view

DEMO = Path(__file__).parent / "data" / "graph" / "demo_graph.json"


@pytest.fixture(scope="module")
def demo() -> nx.MultiDiGraph:
    return nx.node_link_graph(json.loads(DEMO.read_text("utf-8")))


@pytest.fixture
def partnerships(demo):
    return add_measures(make_view(demo, "partnerships"))


def _edge_set(g):
    if g.is_multigraph():
        return {(u, v, str(k)) for u, v, k in g.edges(keys=True)}
    return {tuple(sorted((u, v))) for u, v in g.edges()}


# -- GraphML / GEXF / JSON / Cytoscape -------------------------------------------------------------


@pytest.mark.parametrize("view_name", ["partnerships", "all"])
def test_graphml_round_trip(demo, tmp_path, view_name):
    view = add_measures(make_view(demo, view_name))
    back = nx.read_graphml(export(view, "graphml", tmp_path / "v.graphml"))
    assert set(back) == set(view) and _edge_set(back) == _edge_set(view)
    for n, d in view.nodes(data=True):
        assert back.nodes[n] == flat_attrs(d)
    for u, v, d in view.edges(data=True):
        got = back.edges[u, v] if not view.is_multigraph() else None
        if got is not None:
            assert got == flat_attrs(d)
    if view.is_multigraph():
        for u, v, k, d in view.edges(keys=True, data=True):
            assert back.edges[u, v, k] == flat_attrs(d)
    # Lists became '; '-joined strings, None values are simply absent.
    council = back.nodes["organisation:eastbridge-city-council"]
    assert council["aliases"] == "ECC; Eastbridge Council" and isinstance(council["betweenness"], float)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_survive_control_characters(tmp_path, fmt):
    g = nx.MultiDiGraph()
    for n in ("a", "b"):
        g.add_node(f"organisation:{n}", type="organisation", name=f"Org\x0c{n}", aliases=[], docs=["p.pdf"], sector=None,
                   mentions=1)
    g.add_edge("organisation:a", "organisation:b", relation="partners_with", doc="p.pdf", start=0, end=9, page=2,
               role=None, evidence="Page one\x0cpage two\x00.")
    path = export(make_view(g), fmt, tmp_path / f"c.{fmt}")
    back = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    assert back.nodes["organisation:a"]["name"] == "Org a"
    assert back.edges["organisation:a", "organisation:b"]["evidence"] == "Page one page two ."


def test_gexf_round_trip_has_weights_communities_colours(partnerships, tmp_path):
    path = export(partnerships, "gexf", tmp_path / "p.gexf")
    back = nx.read_gexf(path)
    assert set(back) == set(partnerships) and _edge_set(back) == _edge_set(partnerships)
    for n, d in partnerships.nodes(data=True):
        got = dict(back.nodes[n])
        viz = got.pop("viz")
        assert got.pop("label") == d["name"]
        assert got == flat_attrs(d)
        assert set(viz) == {"color", "size", "position"} and viz["size"] > 0
    for u, v, d in partnerships.edges(data=True):
        got = dict(back.edges[u, v])
        got.pop("id")
        assert got.pop("label") == d["relation"]
        assert got.pop("weight") == float(d["weight"])
        # Offsets are renamed so Gephi does not mistake them for a timeline.
        assert (got.pop("offset_start"), got.pop("offset_end")) == (d["start"], d["end"])
        expected = flat_attrs(d)
        for key in ("weight", "start", "end"):
            expected.pop(key)
        assert got == expected
    communities = {d["community"] for _, d in back.nodes(data=True)}
    assert len(communities) >= 2
    assert "mode=\"static\"" in path.read_text("utf-8")


def test_json_is_node_link_data_with_contract_fields(demo, tmp_path):
    view = make_view(demo, "all")
    path = export(view, "json", tmp_path / "all.json")
    back = nx.node_link_graph(json.loads(path.read_text("utf-8")))
    assert set(back) == set(view) and _edge_set(back) == _edge_set(view)
    for _, d in back.nodes(data=True):
        assert {"type", "name", "aliases", "docs"} <= set(d) and isinstance(d["aliases"], list)
    for *_, d in back.edges(data=True):
        assert {"relation", "doc", "evidence", "start", "end"} <= set(d)
        assert isinstance(d["start"], int) and d["evidence"]


def test_cytoscape_round_trip(partnerships, tmp_path):
    data = json.loads(export(partnerships, "cytoscape", tmp_path / "p.cyjs").read_text("utf-8"))
    back = nx.cytoscape_graph(data)
    assert set(back) == set(partnerships) and _edge_set(back) == _edge_set(partnerships)
    node = data["elements"]["nodes"][0]
    assert {"x", "y"} == set(node["position"]) and node["data"]["colour"].startswith("#")
    for element in data["elements"]["nodes"] + data["elements"]["edges"]:
        assert all(isinstance(v, (str, int, float, bool)) for v in element["data"].values())


# -- CSV and Neo4j --------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("target", ["folder", "view.zip"])
def test_csv_rows_match_edges(partnerships, tmp_path, target):
    path = export(partnerships, "csv", tmp_path / target)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            assert sorted(zf.namelist()) == ["edges.csv", "nodes.csv"]
            nodes, edges = _read_csv(zf.read("nodes.csv")), _read_csv(zf.read("edges.csv"))
    else:
        nodes, edges = _read_csv((path / "nodes.csv").read_bytes()), _read_csv((path / "edges.csv").read_bytes())
    assert {r["id"] for r in nodes} == set(partnerships)
    assert len(edges) == partnerships.number_of_edges()
    for row in edges:
        d = partnerships.edges[row["source"], row["target"]]
        assert row["evidence"] == d["evidence"] and row["doc"] == d["doc"]
        assert row["page"] == ("" if d["page"] is None else str(d["page"]))
        assert int(row["weight"]) == d["weight"] and row["relation"] == d["relation"]
        assert row["source_name"] == partnerships.nodes[row["source"]]["name"]


def test_neo4j_bundle(partnerships, tmp_path):
    path = export(partnerships, "neo4j", tmp_path / "neo")
    assert sorted(p.name for p in path.iterdir()) == ["README.txt", "import.cypher", "nodes.csv", "relationships.csv"]
    nodes = _read_csv((path / "nodes.csv").read_bytes())
    rels = _read_csv((path / "relationships.csv").read_bytes())
    assert list(nodes[0])[0] == "id:ID" and list(nodes[0])[-1] == ":LABEL"
    assert list(rels[0])[:2] == [":START_ID", ":END_ID"] and list(rels[0])[-1] == ":TYPE"
    assert {r["id:ID"] for r in nodes} == set(partnerships) and len(rels) == partnerships.number_of_edges()
    assert {r[":TYPE"] for r in rels} == {"PARTNERS_WITH", "SHARED_PROGRAMME"}
    council = next(r for r in nodes if r["id:ID"] == "organisation:eastbridge-city-council")
    assert council[":LABEL"] == "Entity;Organisation" and council["aliases:string[]"] == "ECC;Eastbridge Council"
    cypher = (path / "import.cypher").read_text("utf-8")
    assert "CREATE (a)-[r:SHARED_PROGRAMME]->(b)" in cypher and "toInteger(row.`weight:int`)" in cypher
    assert "\n" not in "".join(r["evidence:string"] for r in rels)


# -- images ---------------------------------------------------------------------------------------


def test_png_is_a_valid_image_of_the_stated_size(partnerships, tmp_path):
    data = export(partnerships, "png", tmp_path / "p.png", width=900, height=640).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (900, 640)
    from PIL import Image  # matplotlib's own image dependency: a second, independent reader

    with Image.open(tmp_path / "p.png") as img:
        img.load()
        assert img.size == (900, 640)
        assert len(img.convert("RGB").getcolors(1 << 24)) > 20  # something was drawn, not a blank page


def test_svg_has_labels_as_text(partnerships, tmp_path):
    root = ET.parse(export(partnerships, "svg", tmp_path / "p.svg")).getroot()
    assert root.tag.endswith("svg") and root.get("width") == "1152pt" and root.get("height") == "864pt"
    text = "".join(root.itertext())
    assert "Eastbridge City Council" in text


# -- HTML -----------------------------------------------------------------------------------------


def test_html_is_self_contained(partnerships):
    page = to_html(partnerships, title="Partners")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", page, re.I)
    assert "@import" not in page and "url(" not in page.replace("url(#cg-arrow)", "")


def test_html_draws_every_node_and_shows_evidence_on_click(partnerships, browser, tmp_path):
    path = export(partnerships, "html", tmp_path / "p.html")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    page.goto(path.as_uri())
    page.wait_for_function("window.casegraphStats && window.casegraphStats.ready", timeout=20000)
    stats = page.evaluate("window.casegraphStats")
    assert stats["nodes"] == partnerships.number_of_nodes() and stats["edges"] == partnerships.number_of_edges()
    assert page.locator("#cg-nodes circle[data-id]").count() == partnerships.number_of_nodes()
    # Click the heaviest link: the side panel quotes its supporting sentences and documents.
    u, v, d = max(partnerships.edges(data=True), key=lambda e: (e[2]["weight"], e[0], e[1]))
    page.locator("#cg-nodes circle[data-id='organisation:eastbridge-city-council']").click()
    assert "Eastbridge City Council" in page.locator("#cg-panel h2").inner_text()
    idx = page.evaluate(
        "([u, v]) => { const d = JSON.parse(document.getElementById('cg-data').textContent);"
        " const ids = d.nodes.map(n => n.id); return d.edges.findIndex(e => (ids[e.s] === u && ids[e.t] === v)"
        " || (ids[e.s] === v && ids[e.t] === u)); }", [u, v])
    page.locator(f"#cg-edges line.cg-hit[data-i='{idx}']").dispatch_event("click")
    panel = page.locator("#cg-panel").inner_text()
    assert d["evidences"][0] in panel and d["docs"][0] in panel
    assert errors == []
    page.close()


def test_html_escapes_hostile_names_and_evidence(browser, tmp_path):
    g = nx.MultiDiGraph()
    evil = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    for i, name in enumerate([evil, "Plain & Simple Ltd"]):
        g.add_node(f"organisation:o{i}", type="organisation", name=name, aliases=[], docs=["a.txt"], sector=None, mentions=1)
    g.add_edge("organisation:o0", "organisation:o1", relation="partners_with", doc="a.txt", start=0, end=5, page=None,
               role=None, evidence="</script><script>window.pwned=3</script> worked with Plain <!-- & -->")
    view = make_view(g)
    path = export(view, "html", tmp_path / "evil.html", title="</title><script>window.pwned=4</script>")
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.casegraphStats && window.casegraphStats.ready", timeout=20000)
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("casegraphStats.nodes") == 2
    assert evil in page.locator("#cg-labels-layer").text_content()
    page.locator("#cg-edges line.cg-hit").first.dispatch_event("click")
    assert "</script><script>window.pwned=3</script>" in page.locator("#cg-panel").inner_text()
    assert page.title() == "</title><script>window.pwned=4</script>"
    page.close()


def test_html_stays_fast_on_two_thousand_nodes(browser, tmp_path):
    g = nx.Graph()
    for i in range(2000):
        g.add_node(f"organisation:o{i}", type="organisation", name=f"Org {i}", aliases=[], docs=["a.txt"],
                   sector=("council", "nhs", None)[i % 3], mentions=1)
    for i in range(2000):  # a ring with chords: one component, ~4000 links
        for j in (i + 1, i * 7 + 3):
            g.add_edge(f"organisation:o{i}", f"organisation:o{j % 2000}", relation="partners_with", doc="a.txt",
                       evidence="x", start=0, end=1, page=None, weight=1)
    path = tmp_path / "big.html"
    path.write_text(to_html(g), "utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.casegraphStats && window.casegraphStats.ready", timeout=30000)
    stats = page.evaluate("window.casegraphStats")
    assert stats["nodes"] == 2000 and stats["layoutMs"] <= 4500  # the layout's own time cap holds
    page.close()


# -- errors and stability -------------------------------------------------------------------------


def test_empty_view_and_unknown_format_are_clear_errors(partnerships, tmp_path):
    with pytest.raises(ViewError, match="view is empty"):
        export(nx.Graph(), "gexf", tmp_path / "e.gexf")
    with pytest.raises(ViewError, match="choose from graphml"):
        export(partnerships, "xlsx", tmp_path / "p.xlsx")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_stable(demo, tmp_path, fmt):
    def write(folder):
        view = add_measures(make_view(demo))
        target = export(view, fmt, tmp_path / folder / ("out.zip" if fmt in ("csv", "neo4j") else f"out.{fmt}"))
        if target.suffix == ".zip":
            return zipfile.ZipFile(target).read("nodes.csv") + target.read_bytes()
        return target.read_bytes()

    assert write("a") == write("b")


def test_a_format_is_one_registry_entry(partnerships, tmp_path, monkeypatch):
    """Name, writer, suffix and description live in one entry; export, the suffix table and the
    command's --format choices all follow the registry."""
    from cli import build_parser
    from graph import export as ex

    assert set(ex.SUFFIXES) == set(FORMATS) == set(ex.REGISTRY)
    assert all(f.description and callable(f.write) for f in ex.REGISTRY.values())
    choices = next(a.choices for a in build_parser()._subparsers._group_actions[0].choices["export"]._actions
                   if a.dest == "format")
    assert list(choices) == list(FORMATS)

    def edge_list(view, path, options):
        path.write_text("".join(f"{u} {v}\n" for u, v in sorted(view.edges())), "utf-8")

    monkeypatch.setitem(ex.REGISTRY, "edgelist", ex.Format("edgelist", edge_list, ".txt", "one edge a line"))
    written = export(partnerships, "edgelist", tmp_path / "edges.txt")
    assert written.read_text("utf-8").splitlines()[0].count(" ") == 1
