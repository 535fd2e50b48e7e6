"""The house's layering: no module of the project imports one that imports it back.

Imports are read with `ast`, those inside functions included (a lazy import is still a dependency,
only a later one), and resolved to the project's own modules; the module graph must be acyclic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
TOP = ("app", "cli", "ui", "ingest", "graph", "search", "evaluation", "bench", "train", "tests")


def _modules() -> dict[str, Path]:
    """Dotted name -> file, for every module under the project's top-level names."""
    out = {}
    for top in TOP:
        single = ROOT / f"{top}.py"
        if single.is_file():
            out[top] = single
        for path in sorted((ROOT / top).rglob("*.py")) if (ROOT / top).is_dir() else ():
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its file, resolved to the deepest one that exists."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets.add(module)
            # 'from pkg import mod' imports the submodule, 'from mod import name' only mod.
            targets.update(f"{module}.{alias.name}" for alias in node.names)
    found = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def module_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        graph.add_edges_from((name, target) for target in _imports(name, path, modules))
    return graph


def test_the_module_graph_sees_the_packages_and_lazy_imports():
    graph = module_graph()
    assert {"app", "cli", "ingest.text", "search.answer", "graph.export", "evaluation.answers"} <= set(graph)
    assert graph.has_edge("cli", "app")  # imported inside cmd_ingest, not at the top
    assert graph.has_edge("search.question", "ingest.text")


def test_no_module_imports_one_that_imports_it_back():
    cycles = sorted(c[c.index(min(c)):] + c[: c.index(min(c))] for c in nx.simple_cycles(module_graph()))
    assert cycles == [], "import circles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles)


def test_the_library_packages_never_import_an_entry_point_or_evaluation():
    graph = module_graph()
    library = [n for n in graph if n.split(".")[0] in ("ingest", "graph", "search")]
    above = {"app", "cli", "ui", "evaluation", "bench", "train", "tests"}
    wrong = sorted((n, t) for n in library for t in graph.successors(n) if t.split(".")[0] in above)
    assert wrong == []
    assert not any(t.split(".")[0] in ("graph", "search") for t in graph.successors("ingest.text"))
