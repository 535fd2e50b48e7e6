"""Neo4j bundle: header-typed CSV files for `neo4j-admin database import` plus a LOAD CSV Cypher script."""

from __future__ import annotations

import csv
import io
import re

from .export_style import edge_rows, flat

__all__ = ["neo4j_tables"]

# (property, neo4j-admin type, list?) per node and relationship column.
_NODE_PROPS = (("name", "string", False), ("type", "string", False), ("sector", "string", False),
               ("aliases", "string[]", True), ("docs", "string[]", True), ("mentions", "int", False),
               ("degree", "int", False), ("weighted_degree", "int", False), ("betweenness", "float", False),
               ("community", "int", False))
_EDGE_PROPS = (("relation", "string", False), ("weight", "int", False), ("doc", "string", False),
               ("page", "int", False), ("evidence", "string", False), ("start", "int", False),
               ("end", "int", False), ("role", "string", False), ("docs", "string[]", True),
               ("n_docs", "int", False), ("programmes", "string[]", True))
_CAST = {"int": "toInteger", "float": "toFloat", "string": "", "string[]": ""}


def _label(kind: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", kind or "entity") if part) or "Entity"


def _rel_type(relation: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", (relation or "related_to").upper())


def _cell(value, kind: str, is_list: bool) -> str:
    # neo4j-admin reads one record per line unless --multiline-fields: keep every cell on one line.
    if value is None or value == "":
        return ""
    if is_list:
        items = value if isinstance(value, (list, tuple)) else [value]
        return ";".join(flat(str(v)).replace(";", ",").replace("\n", " ") for v in items if v is not None)
    if isinstance(value, bool):
        return "true" if value else "false"
    return flat(str(value)).replace("\r", " ").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def neo4j_tables(view) -> dict[str, bytes]:
    """nodes.csv, relationships.csv, import.cypher and README.txt for a Neo4j import."""
    node_rows = []
    for n in sorted(view.nodes):
        d = view.nodes[n]
        node_rows.append([n] + [_cell(d.get(p), t, lst) for p, t, lst in _NODE_PROPS] + [f"Entity;{_label(d.get('type'))}"])
    edge_rows_out = []
    for u, v, _, d in edge_rows(view):
        edge_rows_out.append([u, v] + [_cell(d.get(p), t, lst) for p, t, lst in _EDGE_PROPS] + [_rel_type(d.get("relation"))])
    node_header = ["id:ID"] + [f"{p}:{t}" for p, t, _ in _NODE_PROPS] + [":LABEL"]
    edge_header = [":START_ID", ":END_ID"] + [f"{p}:{t}" for p, t, _ in _EDGE_PROPS] + [":TYPE"]
    labels = sorted({_label(d.get("type")) for _, d in view.nodes(data=True)})
    rel_types = sorted({_rel_type(d.get("relation")) for *_, d in view.edges(data=True)})
    return {
        "nodes.csv": _table(node_header, node_rows),
        "relationships.csv": _table(edge_header, edge_rows_out),
        "import.cypher": _cypher(labels, rel_types).encode("utf-8"),
        "README.txt": _README.encode("utf-8"),
    }


def _set_clause(var: str, props) -> str:
    # LOAD CSV reads an empty field as null, and SET x.p = null leaves the property unset.
    parts = []
    for p, t, is_list in props:
        col = f"row.`{p}:{t}`"
        value = f"split({col}, ';')" if is_list else f"{_CAST[t]}({col})" if _CAST[t] else col
        parts.append(f"{var}.`{p}` = {value}")
    return ",\n    ".join(parts)


def _cypher(labels: list[str], rel_types: list[str]) -> str:
    lines = [
        "// casegraph export for a running Neo4j 5 server (LOAD CSV). Copy nodes.csv and relationships.csv",
        "// into the server's import/ folder, then: cypher-shell -f import.cypher",
        "// For a fresh database, neo4j-admin is faster: see README.txt.",
        "CREATE CONSTRAINT casegraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;",
        "",
    ]
    for label in labels:
        lines += [
            "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row",
            f"WITH row WHERE row.`:LABEL` = 'Entity;{label}'",
            f"MERGE (n:Entity {{id: row.`id:ID`}}) SET n:{label},",
            f"    {_set_clause('n', _NODE_PROPS)};",
            "",
        ]
    for rel in rel_types:
        lines += [
            "LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row",
            f"WITH row WHERE row.`:TYPE` = '{rel}'",
            "MATCH (a:Entity {id: row.`:START_ID`}), (b:Entity {id: row.`:END_ID`})",
            f"CREATE (a)-[r:{rel}]->(b) SET",
            f"    {_set_clause('r', _EDGE_PROPS)};",
            "",
        ]
    return "\n".join(lines)


_README = """casegraph graph view for Neo4j
==============================

nodes.csv          one row per entity; id:ID is the casegraph entity id; :LABEL is Entity plus its type
relationships.csv  one row per edge; :TYPE is the relation in upper case; evidence is the supporting sentence
import.cypher      the same data loaded with LOAD CSV into a running server

Fresh database (fastest, Neo4j 5):
    neo4j-admin database import full --array-delimiter=";" \\
        --nodes=nodes.csv --relationships=relationships.csv neo4j

Running server:
    copy both CSV files into the server's import/ folder, then
    cypher-shell -u neo4j -p PASSWORD -f import.cypher
"""
