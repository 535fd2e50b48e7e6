"""The saved graph is networkx node-link data written straight from the records: the same bytes
as building the MultiDiGraph and serialising it, without building it."""

import random

import networkx as nx
import orjson

from graph.build import graph_data, load_graph
from ingest.records import Entity, Relation
from ingest.store import Store, atomic_write_json


def _graph(entities, relations, key):
    """The reference graph: a MultiDiGraph built edge by edge."""
    g = nx.MultiDiGraph(key=key)
    for e in entities:
        g.add_node(e.id, type=e.type, name=e.name, aliases=list(e.aliases), docs=list(e.docs),
                   sector=e.sector, mentions=e.mentions)
    for r in relations:
        if r.source in g and r.target in g and r.source != r.target:
            g.add_edge(r.source, r.target, key=f"{r.relation}:{r.doc}:{r.start}", relation=r.relation, doc=r.doc,
                       evidence=r.evidence, start=r.start, end=r.end, page=r.page, role=r.role)
    return g


def _via_networkx(entities, relations, key):
    """The reference's node-link data, as networkx writes it."""
    data = nx.node_link_data(_graph(entities, relations, key), edges="edges")
    data["nodes"].sort(key=lambda n: n["id"])
    data["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def _records(seed: int):
    rng = random.Random(seed)
    names = ["Ashby Council", "Fenwick Trust", "Jo Bloggs", "Tidy Lanes", "Dunmore", "Harbour Network"]
    entities = [Entity(id=f"{t}:{n.lower().replace(' ', '-')}", type=t, name=n, aliases=(n.split()[0],),
                       docs=("a.txt",), sector="council" if "Council" in n else None, mentions=rng.randint(1, 9))
                for n, t in zip(names, ["organisation", "organisation", "person", "programme", "place", "organisation"])]
    ids = [e.id for e in entities] + ["organisation:not-a-node"]
    relations = []
    for i in range(60):  # repeats of one (ends, relation, doc, start) with other roles/ends, self-loops, dangling ends
        s, t = rng.choice(ids), rng.choice(ids)
        relations.append(Relation(source=s, target=t, relation=rng.choice(["partners_with", "leads", "funds"]),
                                  doc=rng.choice(["a.txt", "b.txt"]), evidence=f"sentence {i}", start=rng.randint(0, 5),
                                  end=100 + i, page=rng.choice([None, 2]), role=rng.choice([None, "chair"])))
    return entities, relations


def test_graph_data_is_networkx_node_link_data_byte_for_byte():
    for seed in range(5):
        entities, relations = _records(seed)
        rng = random.Random(seed)
        rng.shuffle(entities)
        ours = graph_data(entities, relations, key="state-1")
        assert orjson.dumps(ours, option=orjson.OPT_SORT_KEYS) == \
            orjson.dumps(_via_networkx(entities, relations, "state-1"), option=orjson.OPT_SORT_KEYS)
        assert ours["edges"] and all(e["source"] != e["target"] for e in ours["edges"])


def test_saved_data_loads_as_the_reference_graph(tmp_path):
    entities, relations = _records(7)
    path = Store(tmp_path).graph_path
    atomic_write_json(path, graph_data(entities, relations, key="k"))
    loaded, built = load_graph(path), _graph(entities, relations, "k")
    assert loaded.graph["key"] == "k"
    assert sorted(loaded.nodes(data=True)) == sorted(built.nodes(data=True))
    assert sorted(loaded.edges(keys=True, data=True), key=repr) == sorted(built.edges(keys=True, data=True), key=repr)
