"""`casegraph export --format csv -o NAME.csv` writes that file (edges with both ends' attributes)
and the nodes beside it; a folder of nodes.csv and edges.csv only when asked for one."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

import cli

DEMO = Path(__file__).parent / "data" / "graph" / "demo_graph.json"


@pytest.fixture
def store(tmp_path) -> Path:
    """A store holding only the demo graph: export reads nothing else."""
    root = tmp_path / "store"
    root.mkdir()
    shutil.copy(DEMO, root / "graph.json")
    (root / "manifest.json").write_text(json.dumps({"schema": 1, "files": {}, "generation": 1}), "utf-8")
    return root


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def _export(store, tmp_path, monkeypatch, *args) -> int:
    monkeypatch.chdir(tmp_path)
    return cli.main(["export", "--format", "csv", "--store", str(store), *args])


def test_o_name_csv_writes_that_file_and_the_nodes_beside_it(store, tmp_path, monkeypatch, capsys):
    assert _export(store, tmp_path, monkeypatch, "-o", "partnerships.csv") == 0
    edges, nodes = _rows(tmp_path / "partnerships.csv"), _rows(tmp_path / "partnerships.nodes.csv")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "store") == ["partnerships.csv", "partnerships.nodes.csv"]
    assert "partnerships.csv (edges) and partnerships.nodes.csv (nodes)" in capsys.readouterr().out

    demo = nx.node_link_graph(json.loads(DEMO.read_text("utf-8")), edges="edges")
    by_id = {r["id"]: r for r in nodes}
    assert edges and set(by_id) <= set(demo)
    for row in edges:
        for end in ("source", "target"):
            node = by_id[row[end]]
            assert row[f"{end}_name"] == node["name"]
            assert row[f"{end}_type"] == node["type"] == demo.nodes[row[end]]["type"]
            assert row[f"{end}_degree"] == node["degree"]
        assert row["evidence"] and row["relation"]
    header = list(edges[0])
    assert header[:6] == ["source", "target", "source_name", "target_name", "source_type", "target_type"]


@pytest.mark.parametrize("target", ["existing", "fresh/"])
def test_a_folder_only_when_it_exists_or_ends_with_a_slash(store, tmp_path, monkeypatch, target):
    (tmp_path / "existing").mkdir()
    assert _export(store, tmp_path, monkeypatch, "-o", target) == 0
    folder = tmp_path / target.rstrip("/")
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    assert "source_type" not in _rows(folder / "edges.csv")[0]


def test_a_name_without_suffix_is_a_file_too(store, tmp_path, monkeypatch):
    assert _export(store, tmp_path, monkeypatch, "-o", "network") == 0
    assert (tmp_path / "network").is_file() and (tmp_path / "network.nodes.csv").is_file()


def test_default_name_is_a_csv_file(store, tmp_path, monkeypatch):
    assert _export(store, tmp_path, monkeypatch) == 0
    assert (tmp_path / "casegraph-partnerships.csv").is_file()
    assert (tmp_path / "casegraph-partnerships.nodes.csv").is_file()
