"""What one input file holds and how its columns map onto the graph model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
NODE_KEY_FIELDS = ("id",)
RELATIONSHIP_KEY_FIELDS = ("from_id", "to_id", "from_label", "to_label")


@dataclass(frozen=True)
class FileSpec:
    """One file to load: its format, the node label or relationship type, and its column mapping.

    columns: model field -> the file's column name (a field not listed keeps its own name)
    values:  model field -> {file value: model value}, applied before validation
    defaults: model field -> value used when the file has no value
    """

    path: Path
    format: str
    kind: str  # "node" or "relationship"
    type_name: str
    source: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    date_format: str | None = None
    delimiter: str = ","
    mapped: bool = False  # a mapping file chose the columns; other columns are ignored

    @property
    def name(self) -> str:
        return self.path.name


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())
