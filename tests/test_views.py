"""Views and measures on small hand-built graphs with hand-checked answers."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graph.measures import add_measures
from graph.views import ViewError, find_entity, make_view

DEMO = Path(__file__).parent / "data" / "graph" / "demo_graph.json"


def _node(g, id_, name, aliases=(), sector=None, docs=("d1.txt",)):
    g.add_node(id_, type=id_.split(":")[0], name=name, aliases=list(aliases), docs=list(docs), sector=sector, mentions=2)


def _edge(g, u, v, relation, doc, evidence, start, page=None):
    g.add_edge(u, v, key=f"{relation}:{doc}:{start}", relation=relation, doc=doc, evidence=evidence, start=start,
               end=start + len(evidence), page=page, role=None)


@pytest.fixture
def tiny() -> nx.MultiDiGraph:
    """A, B partner (two sentences, two documents); A runs P and C funds P; D only co-mentioned with A."""
    g = nx.MultiDiGraph()
    _node(g, "organisation:alpha-council", "Alpha Council", ["Alpha"], "council")
    _node(g, "organisation:beta-trust", "Beta Trust", sector="nhs", docs=("d1.txt", "d2.txt"))
    _node(g, "organisation:gamma-fund", "Gamma Fund", sector="voluntary")
    _node(g, "organisation:delta-ltd", "Delta Ltd", sector="company")
    _node(g, "organisation:echo-parish", "Echo Parish Council", sector="council")
    _node(g, "programme:pathways", "Pathways Programme", ["Pathways"])
    _node(g, "place:xton", "Xton")
    _node(g, "place:yford", "Yford")
    _node(g, "person:quinn-lee", "Quinn Lee")
    _edge(g, "organisation:alpha-council", "organisation:beta-trust", "partners_with", "d1.txt",
          "Alpha Council worked with Beta Trust.", 10, page=1)
    _edge(g, "organisation:beta-trust", "organisation:alpha-council", "partners_with", "d2.txt",
          "Beta Trust and Alpha pooled budgets.", 40)
    _edge(g, "organisation:alpha-council", "programme:pathways", "runs", "d1.txt", "Alpha runs Pathways.", 100)
    _edge(g, "organisation:gamma-fund", "programme:pathways", "funds", "d1.txt", "Gamma Fund funds Pathways.", 200)
    _edge(g, "organisation:alpha-council", "organisation:delta-ltd", "mentioned_with", "d1.txt", "Alpha and Delta Ltd.", 300)
    _edge(g, "organisation:alpha-council", "place:xton", "located_in", "d1.txt", "Alpha Council serves Xton.", 400)
    _edge(g, "programme:pathways", "place:xton", "located_in", "d1.txt", "Pathways runs in Xton.", 450)
    _edge(g, "organisation:echo-parish", "place:yford", "located_in", "d2.txt", "Echo Parish Council is in Yford.", 500)
    _edge(g, "person:quinn-lee", "organisation:alpha-council", "works_for", "d1.txt", "Quinn Lee of Alpha Council.", 600)
    return g


def _pairs(view):
    return {tuple(sorted((u, v))): d for u, v, d in view.edges(data=True)}


def test_partnerships_joins_direct_partners_and_shared_programmes(tiny):
    view = make_view(tiny)
    pairs = _pairs(view)
    assert set(pairs) == {("organisation:alpha-council", "organisation:beta-trust"),
                          ("organisation:alpha-council", "organisation:gamma-fund")}
    direct = pairs[("organisation:alpha-council", "organisation:beta-trust")]
    assert direct["relation"] == "partners_with"
    assert direct["weight"] == 2 and direct["n_docs"] == 2 and direct["docs"] == ["d1.txt", "d2.txt"]
    # The contract fields hold the first supporting sentence; all of them ride along.
    assert direct["evidence"] == "Alpha Council worked with Beta Trust."
    assert (direct["doc"], direct["start"], direct["end"], direct["page"]) == ("d1.txt", 10, 47, 1)
    assert direct["evidences"] == ["Alpha Council worked with Beta Trust.", "Beta Trust and Alpha pooled budgets."]
    shared = pairs[("organisation:alpha-council", "organisation:gamma-fund")]
    assert shared["relation"] == "shared_programme" and shared["programmes"] == ["Pathways Programme"]
    assert shared["weight"] == 2
    assert {n: d["type"] for n, d in view.nodes(data=True)} == {
        "organisation:alpha-council": "organisation", "organisation:beta-trust": "organisation",
        "organisation:gamma-fund": "organisation"}


def test_weak_edges_only_on_request(tiny):
    assert "organisation:delta-ltd" not in make_view(tiny)
    weak = _pairs(make_view(tiny, include_weak=True))[("organisation:alpha-council", "organisation:delta-ltd")]
    assert weak["relation"] == "mentioned_with" and weak["weight"] == 1


def test_teams_boards_events_and_duplicate_acronyms_leave_the_partnerships_view(tiny):
    """Parts of a body and occasions are not partners: hidden by default, back on request."""
    extra = {"organisation:alpha-leadership-team": "Alpha Leadership Team",
             "organisation:growth-steering-board": "Growth Steering Board",
             "organisation:reform-expo": "Reform Expo", "organisation:ac": "AC"}
    for node, name in extra.items():
        _node(tiny, node, name)
        _edge(tiny, node, "organisation:beta-trust", "partners_with", "d1.txt", f"{name} and Beta Trust.", 900)
    _node(tiny, "organisation:kelby-care-board", "Kelby Integrated Care Board", sector="nhs")
    _edge(tiny, "organisation:kelby-care-board", "organisation:beta-trust", "partners_with", "d1.txt",
          "Kelby Integrated Care Board and Beta Trust.", 950)
    view = make_view(tiny)
    assert not set(extra) & set(view)
    assert "organisation:kelby-care-board" in view  # an NHS board is a body in its own right
    assert view.graph["hidden_internal"] == 4
    assert set(extra) <= set(make_view(tiny, include_internal=True))
    assert "AC" not in {d["name"] for _, d in make_view(tiny, "all", include_internal=False).nodes(data=True)}
    assert "organisation:ac" in make_view(tiny, "all")  # typed views keep everything unless asked


def test_partnership_filters(tiny):
    assert set(_pairs(make_view(tiny, relations=["partners_with"]))) == {
        ("organisation:alpha-council", "organisation:beta-trust")}
    assert set(_pairs(make_view(tiny, relations="shared_programme"))) == {
        ("organisation:alpha-council", "organisation:gamma-fund")}
    by_doc = _pairs(make_view(tiny, docs=["d2"]))
    assert set(by_doc) == {("organisation:alpha-council", "organisation:beta-trust")}
    assert by_doc[("organisation:alpha-council", "organisation:beta-trust")]["weight"] == 1
    with pytest.raises(ViewError, match="no partnerships"):
        make_view(tiny, min_weight=3)


def test_partnerships_around_a_place_and_an_organisation(tiny):
    # Alpha is in Xton and Gamma funds a programme located there: they are "around Xton".
    assert set(make_view(tiny, place="Xton")) == {"organisation:alpha-council", "organisation:gamma-fund"}
    assert set(make_view(tiny, entity="Beta Trust")) == {"organisation:alpha-council", "organisation:beta-trust"}
    with pytest.raises(ViewError) as err:
        make_view(tiny, place="Yford")  # one organisation, nobody to partner with
    assert "no partnerships found for 'Yford'" in str(err.value) and "--view ego" in str(err.value)


def test_ego_place_programme_and_all(tiny):
    assert set(make_view(tiny, "ego", entity="Quinn Lee")) == {"person:quinn-lee", "organisation:alpha-council"}
    two = make_view(tiny, "ego", entity="quinn lee", depth=2)
    assert set(two) == {"person:quinn-lee", "organisation:alpha-council", "organisation:beta-trust",
                        "programme:pathways", "place:xton"}
    # Parallel sentences fold into one edge per relation, weighted.
    assert two.get_edge_data("organisation:alpha-council", "organisation:beta-trust")["partners_with"]["weight"] == 1
    assert two.get_edge_data("organisation:beta-trust", "organisation:alpha-council")["partners_with"]["weight"] == 1
    assert set(make_view(tiny, "place", place="Xton")) == {"place:xton", "organisation:alpha-council", "programme:pathways"}
    assert set(make_view(tiny, "programme", programme="Pathways")) == {
        "programme:pathways", "organisation:alpha-council", "organisation:gamma-fund", "place:xton"}
    everything = make_view(tiny, "all")
    assert set(everything) == set(tiny) and everything.number_of_edges() == tiny.number_of_edges() - 1  # weak dropped
    assert make_view(tiny, "all", include_weak=True).number_of_edges() == tiny.number_of_edges()
    people = make_view(tiny, "all", types=["person", "organisation"], relations=["works_for"])
    assert set(people) == {"person:quinn-lee", "organisation:alpha-council"}


def test_view_errors_say_what_to_do(tiny):
    with pytest.raises(ViewError, match="choose from partnerships"):
        make_view(tiny, "cliques")
    with pytest.raises(ViewError, match="needs an entity"):
        make_view(tiny, "ego")
    with pytest.raises(ViewError, match="unknown relation"):
        make_view(tiny, relations=["befriends"])
    with pytest.raises(ViewError, match="unknown entity type"):
        make_view(tiny, "all", types=["planet"])
    with pytest.raises(ViewError, match="did you mean: d1.txt"):
        make_view(tiny, docs=["e1.txt"])
    with pytest.raises(ViewError, match="graph is empty"):
        make_view(nx.MultiDiGraph())


def test_find_entity_exact_alias_slug_fuzzy_and_suggestions(tiny):
    assert find_entity(tiny, "Alpha Council") == "organisation:alpha-council"
    assert find_entity(tiny, "alpha") == "organisation:alpha-council"  # alias, any case
    assert find_entity(tiny, "Beta-Trust") == "organisation:beta-trust"  # slug
    assert find_entity(tiny, "organisation:gamma-fund") == "organisation:gamma-fund"
    assert find_entity(tiny, "Pathway Programme") == "programme:pathways"  # typo
    with pytest.raises(ViewError) as err:
        find_entity(tiny, "Council")  # ambiguous fragment: ask, do not guess
    assert "did you mean" in str(err.value) and "Alpha Council" in str(err.value)
    with pytest.raises(ViewError, match="nothing close. The most mentioned are: 'Alpha Council'"):
        find_entity(tiny, "Qqqzzv")  # no near-string: list what the graph holds instead
    with pytest.raises(ViewError, match="no place named 'Alpha Council'"):
        find_entity(tiny, "Alpha Council", types=["place"])


def test_measures_on_known_graphs():
    # Two triangles joined by a bridge c-d: c and d broker, the triangles are the communities.
    g = nx.Graph()
    for n in "abcdef":
        g.add_node(n, type="organisation", name=n.upper(), sector="council" if n < "d" else None)
    g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")], weight=1)
    g.add_edge("c", "d", weight=1)
    add_measures(g)
    between = nx.get_node_attributes(g, "betweenness")
    assert between["c"] == pytest.approx(0.6) and between["d"] == pytest.approx(0.6) and between["a"] == 0
    assert g.nodes["c"]["degree"] == 3 and g.nodes["c"]["weighted_degree"] == 3
    community = nx.get_node_attributes(g, "community")
    assert community["a"] == community["b"] == community["c"] != community["d"] == community["e"] == community["f"]
    assert g.nodes["a"]["sector"] == "council" and g.nodes["f"]["sector"] == ""
    assert g.graph["communities"] == 2


def test_measures_merge_parallel_edges(tiny):
    view = add_measures(make_view(tiny, "all"))
    alpha = view.nodes["organisation:alpha-council"]
    # Beta (two one-sentence edges, one each way), Pathways, Xton, Quinn: four neighbours, weight 5.
    assert alpha["degree"] == 4 and alpha["weighted_degree"] == 5


def test_demo_graph_views():
    g = nx.node_link_graph(json.loads(DEMO.read_text("utf-8")))
    view = make_view(g)
    assert view.number_of_nodes() == 15 and view.number_of_edges() == 23
    with pytest.raises(ViewError, match="Little Ashby"):
        make_view(g, place="Little Ashby")
    with pytest.raises(ViewError, match="did you mean: Eastbridge"):
        make_view(g, "ego", entity="Eastbrige Cty")
