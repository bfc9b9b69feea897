"""The state every in-memory port shares: nodes and relationships by key, and a tie index."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph_service.core.graph_model import LINEAGE_PROPERTIES


def present(properties: dict) -> dict:
    """Properties as the store gives them back: without lineage."""
    return {k: v for k, v in properties.items() if k not in LINEAGE_PROPERTIES}


class MemoryGraph:
    """The graph held in dicts. Each port's mixin subclasses it, and MemoryStore combines them over
    this one state, as Neo4jStore serves every port from one database."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}  # (label, id) -> properties
        self.relationships: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        self._constraints: dict[str, tuple[str, ...]] = {}
        self._adjacency: dict[tuple[str, str], list] | None = None  # rebuilt when relationships change
        self._adjacency_size = 0

    @staticmethod
    def _merge(target: dict[str, Any], properties: dict, source: str, loaded_at: datetime) -> None:
        target.setdefault("first_loaded_at", loaded_at)
        target.update(properties)
        target["source"] = source
        target["last_loaded_at"] = loaded_at

    def _ties(self, label: str, node_id: str) -> list[tuple[str, tuple, tuple]]:
        """(type, relationship key, other end) of a node's ties, ordered as Neo4j's query orders them."""
        if self._adjacency is None or self._adjacency_size != len(self.relationships):
            self._adjacency = {}
            for key in self.relationships:
                s_label, s_id, rel_type, t_label, t_id = key
                self._adjacency.setdefault((s_label, s_id), []).append((rel_type, key, (t_label, t_id)))
                self._adjacency.setdefault((t_label, t_id), []).append((rel_type, key, (s_label, s_id)))
            self._adjacency_size = len(self.relationships)
        ties = [t for t in self._adjacency.get((label, node_id), []) if t[2][0] not in ("Score", "Model")]
        return sorted(ties, key=lambda t: (t[0], t[2][1]))

    def delete_everything(self) -> None:
        self.nodes.clear()
        self.relationships.clear()
        self._adjacency = None
