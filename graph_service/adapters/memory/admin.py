"""StoreAdmin in memory."""

from __future__ import annotations

from graph_service.adapters.memory.graph import MemoryGraph
from graph_service.core.domain import GraphCounts, ServerInfo
from graph_service.core.graph_model import GraphModel


class MemoryAdmin(MemoryGraph):
    def server_info(self) -> ServerInfo:
        return ServerInfo(version="memory", edition="fake")

    def apply_schema(self, model: GraphModel) -> list[str]:
        for label in model.nodes:
            self._constraints[f"{label}_id_unique"] = (label, "id")
        return sorted(self._constraints)

    def constraints(self) -> dict[str, tuple[str, ...]]:
        return dict(self._constraints)

    def graph_counts(self) -> GraphCounts:
        return GraphCounts(
            nodes=len(self.nodes),
            node_properties=sum(len(p) for p in self.nodes.values()),
            relationships=len(self.relationships),
            relationship_properties=sum(len(p) for p in self.relationships.values()),
        )

    def counts_by_type(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for label, _ in self.nodes:
            counts[("node", label)] = counts.get(("node", label), 0) + 1
        for key in self.relationships:
            counts[("relationship", key[2])] = counts.get(("relationship", key[2]), 0) + 1
        return counts
