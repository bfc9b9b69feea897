"""GraphWriter in memory."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Iterable

from graph_service.adapters.memory.graph import MemoryGraph
from graph_service.core.domain import NodeRow, RelationshipRow


class MemoryWriter(MemoryGraph):
    def save_declared_types(self, declared: dict) -> None:
        self.declared = json.loads(json.dumps(declared))  # a copy, as a store would keep it

    def declared_types(self) -> dict | None:
        return getattr(self, "declared", None)

    def merge_nodes(self, label: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> None:
        for row in rows:
            node = self.nodes.setdefault((label, row.id), {"id": row.id})
            self._merge(node, row.properties, source, loaded_at)

    def merge_bank_loans(self, bank_id: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> set[int]:
        if ("Bank", bank_id) not in self.nodes:
            return set()
        written = set()
        for row in rows:
            lenders = {k[1] for k in self.relationships if k[2] == "GRANTED" and k[4] == row.id}
            if lenders - {bank_id}:
                continue
            self.merge_nodes("Loan", [row], source, loaded_at)
            key = ("Bank", bank_id, "GRANTED", "Loan", row.id)
            if key not in self.relationships:
                self._merge(self.relationships.setdefault(key, {}), {}, source, loaded_at)
            written.add(row.line)
        return written

    def merge_relationships(
        self, rel_type: str, source_label: str, target_label: str,
        rows: list[RelationshipRow], source: str, loaded_at: datetime,
    ) -> set[int]:
        written = set()
        for row in rows:
            if (source_label, row.from_id) in self.nodes and (target_label, row.to_id) in self.nodes:
                key = (source_label, row.from_id, rel_type, target_label, row.to_id)
                self._merge(self.relationships.setdefault(key, {}), row.properties, source, loaded_at)
                written.add(row.line)
        return written

    def missing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if (label, i) not in self.nodes}

    def set_node_properties(self, label: str, rows: list[dict]) -> None:
        for row in rows:
            if (label, row["id"]) in self.nodes:
                self.nodes[(label, row["id"])].update(row["properties"])

    def flag_firms(self, rows: list[dict], names: tuple[str, ...]) -> None:
        for (label, _), props in self.nodes.items():
            if label == "Firm":
                for name in names:
                    props.pop(name, None)
        for row in rows:
            if ("Firm", row["id"]) in self.nodes:
                self.nodes[("Firm", row["id"])].update(row["properties"])

    def mark_firms_changed(self, firm_ids: Iterable[str], loan_ids: Iterable[str], changed_at: datetime) -> None:
        loans = set(loan_ids)
        borrowers = {k[1] for k in self.relationships if k[2] == "BORROWED" and k[4] in loans}
        for firm_id in set(firm_ids) | borrowers:
            if ("Firm", firm_id) in self.nodes:
                self.nodes[("Firm", firm_id)]["changed_at"] = changed_at
