"""SnapshotSource in memory."""

from __future__ import annotations

from typing import Iterator

from graph_service.adapters.memory.graph import MemoryGraph, present


class MemorySnapshots(MemoryGraph):
    def node_labels(self) -> list[str]:
        return sorted({label for label, _ in self.nodes})

    def relationship_types(self) -> list[str]:
        return sorted({key[2] for key in self.relationships})

    def export_nodes(self, label: str) -> Iterator[tuple[str, dict]]:
        for (node_label, node_id), props in sorted(self.nodes.items()):
            if node_label == label:
                yield node_id, present(props)

    def export_relationships(self, rel_type: str) -> Iterator[tuple[str, str, str, str, dict]]:
        for (s_label, s_id, t, t_label, t_id), props in sorted(self.relationships.items()):
            if t == rel_type:
                yield s_label, s_id, t_label, t_id, present(props)
