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

    columns: model field -> the file's column name (a field not listed keeps its own name; one
             column may fill several fields)
    values:  model field -> {file value: model value}, applied before validation
    defaults: model field -> value used when the file has no value
    header:  the column names of a CSV file without a header row (its first line is a row)
    route_column, routes: the rows go to the type their route_column's value names ({value: type});
             a row whose value names none is routed away, counted apart from rejects
    where:   column -> the values a row must have there to be read; other rows are routed away
    skip_repeated_ids: a node file whose rows repeat ids (users named in a ratings file): a row
             whose id came before in the file is left out, not rejected
    as_of:   a node file of values that held from a date (yearly statements): the date field; its
             rows add dated values (graph_service/core/dated_values.py) to nodes loaded before, one
             row per id and date
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
    header: tuple[str, ...] | None = None
    route_column: str | None = None
    routes: dict[str, str] = field(default_factory=dict)
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skip_repeated_ids: bool = False
    as_of: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def type_names(self) -> tuple[str, ...]:
        """The types its rows go to: the routes' types, or its one type."""
        return tuple(dict.fromkeys(self.routes.values())) if self.routes else (self.type_name,)

    def keeps(self, raw: dict[str, Any]) -> bool:
        """Whether a row passes the `where` filter (values compared as text)."""
        return all(str(raw.get(column, "")) in allowed for column, allowed in self.where.items())


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())
