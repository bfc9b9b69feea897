"""SnapshotSource over canonical loader files, each row validated by the loaders as `trustnet load`
would: for worlds too big for the in-memory store (benchmarks at 1M firms), so read_snapshot can
stream them without loading a store first. Rows the loaders would reject are left out; rows come in
the files' order (tests/unit/test_file_snapshot.py checks they are what a loaded store exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.core.graph_model import REFERENCE_MODEL, GraphModel
from loaders.discovery import plan_load
from loaders.readers import UnreadableRow, header, read_rows
from loaders.validation import RowValidator


class FileSnapshotSource:
    def __init__(self, folder: Path, model: GraphModel = REFERENCE_MODEL, source: str = "files"):
        self.plan = plan_load(folder, model, source)

    def node_labels(self) -> list[str]:
        return sorted(s.type_name for s in self.plan.files if s.kind == "node")

    def relationship_types(self) -> list[str]:
        return sorted(s.type_name for s in self.plan.files if s.kind == "relationship")

    def _rows(self, type_name: str) -> Iterator[NodeRow | RelationshipRow]:
        spec = next(s for s in self.plan.files if s.type_name == type_name)
        validator = RowValidator(self.plan.model, spec, header(spec))
        for item in read_rows(spec):
            if isinstance(item, UnreadableRow):
                continue
            row = validator.validate(*item)
            if isinstance(row, (NodeRow, RelationshipRow)):
                yield row

    def export_nodes(self, label: str) -> Iterator[tuple[str, dict]]:
        for row in self._rows(label):
            yield row.id, {"id": row.id, **row.properties}  # as the stores export a node: its id included

    def export_relationships(self, rel_type: str) -> Iterator[tuple[str, str, str, str, dict]]:
        for row in self._rows(rel_type):
            yield row.from_label, row.from_id, row.to_label, row.to_id, row.properties
