"""The types mapping files declared, kept in the graph so that every way in accepts them.

A mapping may declare node labels, relationship types and extra properties (loaders/mapping.py).
A file load saves what its mapping declared (merged with what earlier loads declared), and the
ingestion API reads it back, so a type declared for a file is accepted in an API batch too.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph_service.core.graph_model import GraphModel, NodeType, PropertySpec, RelationshipType


def _properties(specs) -> list[dict[str, Any]]:
    return [{**asdict(p), "choices": list(p.choices)} for p in specs]


def declared_by(model: GraphModel, base: GraphModel) -> dict[str, Any]:
    """What `model` declares beyond `base`: new types, and extra properties of base types."""
    out: dict[str, Any] = {"nodes": [], "relationships": [], "properties": {}}
    for label, node in sorted(model.nodes.items()):
        if label not in base.nodes:
            out["nodes"].append({"label": label, "description": node.description,
                                 "properties": _properties(node.properties)})
        elif extra := [p for p in node.properties if p not in base.nodes[label].properties]:
            out["properties"][label] = _properties(extra)
    for name, rel in sorted(model.relationships.items()):
        if name not in base.relationships:
            out["relationships"].append({"type": name, "from": list(rel.sources), "to": list(rel.targets),
                                         "description": rel.description, "properties": _properties(rel.properties)})
        elif extra := [p for p in rel.properties if p not in base.relationships[name].properties]:
            out["properties"][name] = _properties(extra)
    return out


def _specs(rows: list[dict]) -> tuple[PropertySpec, ...]:
    return tuple(PropertySpec(**{**row, "choices": tuple(row.get("choices") or ())}) for row in rows)


def with_declared(base: GraphModel, declared: dict[str, Any] | None) -> GraphModel:
    """`base` with the declared types and properties (as declared_by wrote them)."""
    if not declared:
        return base
    nodes = tuple(NodeType(n["label"], _specs(n["properties"]), n.get("description", ""))
                  for n in declared.get("nodes", []) if n["label"] not in base.nodes)
    model = base.extended(nodes=nodes)
    rels = tuple(RelationshipType(r["type"], tuple(r["from"]), tuple(r["to"]), _specs(r["properties"]),
                                  r.get("description", ""))
                 for r in declared.get("relationships", []) if r["type"] not in base.relationships)
    model = model.extended(relationships=rels)
    for name, rows in sorted(declared.get("properties", {}).items()):
        if name in model.nodes or name in model.relationships:
            model = model.with_properties(name, _specs(rows))
    return model


def merged(earlier: dict[str, Any] | None, base: GraphModel, model: GraphModel) -> dict[str, Any]:
    """What earlier loads declared plus what `model` declares; a type or property declared again
    takes its latest declaration."""
    new = declared_by(model, base)
    earlier = earlier or {}
    nodes = {n["label"]: n for n in earlier.get("nodes", [])} | {n["label"]: n for n in new["nodes"]}
    rels = {r["type"]: r for r in earlier.get("relationships", [])} | {r["type"]: r for r in new["relationships"]}
    properties = {}
    for name in sorted(set(earlier.get("properties", {})) | set(new["properties"])):
        rows = {p["name"]: p for p in earlier.get("properties", {}).get(name, [])}
        rows |= {p["name"]: p for p in new["properties"].get(name, [])}
        properties[name] = list(rows.values())
    return {"nodes": list(nodes.values()), "relationships": list(rels.values()), "properties": properties}
