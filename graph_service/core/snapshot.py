"""A scoring snapshot: the graph's nodes and relationships as numpy arrays, read once from the store.

The pipeline takes whatever labels and relationship types the graph holds (nodes TrustNet
writes itself, such as Score and Model, are left out), so a new kind of tie reaches the models without code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Collection

import numpy as np

from graph_service.core.dated_values import DatedValues, fold_dated
from graph_service.core.graph_model import DISPLAY_LABELS, REFERENCE_MODEL
from graph_service.core.ports import SnapshotSource

# Nodes TrustNet writes itself (scores, models, keys, audit): never model input.
SYSTEM_LABELS = frozenset(label for label, node in REFERENCE_MODEL.nodes.items() if not node.loadable) | frozenset(
    DISPLAY_LABELS)
# The property that says how strong a tie is, first found wins (trade volume, guarantee amount, ...).
WEIGHT_PROPERTIES = ("volume", "amount", "strength", "share")
SYSTEM_TYPES = frozenset({"HAS_SCORE", "SCORED_BY"})


def _floats(values: list[Any] | None, size: int) -> np.ndarray:
    """(size,) float64 from a property column, NaN where missing or not a number."""
    if values is None:
        return np.full(size, np.nan)
    return np.array([v if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in values],
                    dtype=np.float64)


@dataclass
class NodeTable:
    label: str
    ids: np.ndarray  # (n,) str
    properties: dict[str, list[Any]]  # column -> n values (None where missing); a dated one's latest
    index: dict[str, int] = field(default_factory=dict)
    dated: dict[str, DatedValues] = field(default_factory=dict)  # properties with values over time

    def __post_init__(self) -> None:
        self.index = {node_id: i for i, node_id in enumerate(self.ids.tolist())}
        if not self.dated:
            self.properties, self.dated = fold_dated(self.properties, len(self.ids))

    def __len__(self) -> int:
        return len(self.ids)

    def numeric(self, name: str) -> np.ndarray:
        """A property as float64, NaN where missing or not a number."""
        return _floats(self.properties.get(name), len(self))


@dataclass
class EdgeTable:
    source_label: str
    type: str
    target_label: str
    source: np.ndarray  # (m,) int64 index into the source label's NodeTable
    target: np.ndarray  # (m,) int64 index into the target label's NodeTable
    properties: dict[str, list[Any]]

    def numeric(self, name: str) -> np.ndarray:
        return _floats(self.properties.get(name), len(self.source))

    def subset(self, keep: np.ndarray) -> "EdgeTable":
        """The ties where keep (m,) is True, with their properties."""
        where = np.flatnonzero(keep)
        return EdgeTable(self.source_label, self.type, self.target_label, self.source[keep], self.target[keep],
                         {name: [values[i] for i in where] for name, values in self.properties.items()})

    def raw_weight(self) -> np.ndarray:
        """(m,) the tie's volume or amount as recorded, NaN where the type has none."""
        name = next((p for p in WEIGHT_PROPERTIES if p in self.properties), None)
        return self.numeric(name) if name else np.full(len(self.source), np.nan)

    def strength(self) -> np.ndarray:
        """(m,) log-scaled weight, at least 1 (1 where unknown): what propagation and the GNN use."""
        raw = self.raw_weight()
        return np.where(np.isfinite(raw), np.log1p(np.maximum(raw, 0)) + 1, 1.0)


@dataclass
class GraphSnapshot:
    nodes: dict[str, NodeTable]
    edges: dict[tuple[str, str, str], EdgeTable]

    def digest(self) -> str:
        """A hash of ids, ties and their properties, outcomes included, naming the data a model was
        trained on; not of when or from where facts were loaded, nor of the scores TrustNet wrote."""
        h = hashlib.sha256()
        for label in sorted(self.nodes):
            h.update(label.encode())
            h.update("\n".join(self.nodes[label].ids.tolist()).encode())
            _hash_properties(h, self.nodes[label].properties)
            for name, dated in sorted(self.nodes[label].dated.items()):
                h.update(f"\x00{name}@".encode() + dated.days.tobytes())
                _hash_properties(h, {str(day): column for day, column in zip(dated.days, dated.columns)})
        for key in sorted(self.edges):
            edge = self.edges[key]
            h.update("|".join(key).encode())
            h.update(edge.source.tobytes())
            h.update(edge.target.tobytes())
            _hash_properties(h, edge.properties)
        return h.hexdigest()[:16]


# Properties the digest leaves out: lineage, and TrustNet's own scores on the firms.
NOT_DIGESTED = frozenset({"first_loaded_at", "last_loaded_at", "source", "changed_at", "pd", "score", "grade",
                          "scored_at", "model_version"})


def _hash_properties(h: Any, properties: dict[str, list[Any]]) -> None:
    for name in sorted(set(properties) - NOT_DIGESTED):
        h.update(b"\x00" + name.encode() + b"\x00")
        h.update("\x1f".join(map(repr, properties[name])).encode())


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = sorted({k for row in rows for k in row})
    return {name: [row.get(name) for row in rows] for name in names}


def snapshot_from_rows(nodes: list[dict], relationships: list[dict]) -> GraphSnapshot:
    """A snapshot of a subgraph: nodes {label, id, properties}, relationships {type, from_label, from_id,
    to_label, to_id, properties} (as the on-demand neighbourhood query returns them)."""
    by_label: dict[str, list[dict]] = {}
    for node in sorted(nodes, key=lambda n: (n["label"], n["id"])):
        if node["label"] not in SYSTEM_LABELS:
            by_label.setdefault(node["label"], []).append(node)
    tables = {label: NodeTable(label, np.array([n["id"] for n in rows], dtype=object),
                               _columns([n["properties"] for n in rows])) for label, rows in by_label.items()}
    groups: dict[tuple[str, str, str], tuple[list[int], list[int], list[dict]]] = {}
    for rel in sorted(relationships, key=lambda r: (r["type"], r["from_label"], r["from_id"], r["to_label"], r["to_id"])):
        if rel["type"] in SYSTEM_TYPES or rel["from_label"] not in tables or rel["to_label"] not in tables:
            continue
        src, dst, rows = groups.setdefault((rel["from_label"], rel["type"], rel["to_label"]), ([], [], []))
        src.append(tables[rel["from_label"]].index[rel["from_id"]])
        dst.append(tables[rel["to_label"]].index[rel["to_id"]])
        rows.append(rel["properties"])
    edges = {key: EdgeTable(key[0], key[1], key[2], np.array(s, dtype=np.int64), np.array(d, dtype=np.int64),
                            _columns(rows)) for key, (s, d, rows) in groups.items()}
    return GraphSnapshot(tables, edges)


def read_snapshot(store: SnapshotSource, labels: Collection[str] | None = None,
                  types: Collection[str] | None = None) -> GraphSnapshot:
    """The whole graph, or only the given node labels and relationship types (when a task needs a part)."""
    nodes: dict[str, NodeTable] = {}
    for label in store.node_labels():
        if label in SYSTEM_LABELS or (labels is not None and label not in labels):
            continue
        ids, rows = [], []
        for node_id, props in store.export_nodes(label):
            ids.append(node_id)
            rows.append(props)
        if ids:  # Neo4j may still list a label whose nodes were all deleted
            nodes[label] = NodeTable(label, np.array(ids, dtype=object), _columns(rows))
    edges: dict[tuple[str, str, str], EdgeTable] = {}
    for rel_type in store.relationship_types():
        if rel_type in SYSTEM_TYPES or (types is not None and rel_type not in types):
            continue
        groups: dict[tuple[str, str], tuple[list[int], list[int], list[dict]]] = {}
        for from_label, from_id, to_label, to_id, props in store.export_relationships(rel_type):
            if from_label not in nodes or to_label not in nodes:
                continue
            src, dst, rows = groups.setdefault((from_label, to_label), ([], [], []))
            src.append(nodes[from_label].index[from_id])
            dst.append(nodes[to_label].index[to_id])
            rows.append(props)
        for (from_label, to_label), (src, dst, rows) in groups.items():
            edges[(from_label, rel_type, to_label)] = EdgeTable(
                from_label, rel_type, to_label, np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64),
                _columns(rows))
    return GraphSnapshot(nodes, edges)
