"""Plain data the services return, and the rows they hand the store ports; never driver records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ServerInfo:
    version: str
    edition: str


@dataclass(frozen=True)
class GraphCounts:
    nodes: int
    node_properties: int
    relationships: int
    relationship_properties: int


@dataclass(frozen=True)
class Tie:
    """One direct tie of a node: the relationship and the node at its other end."""

    type: str
    direction: str  # "out" when the firm is the relationship's source, else "in"
    label: str
    id: str
    name: str | None
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FirmView:
    id: str
    properties: dict[str, Any]
    ties: list[Tie]
    tie_count: int

    @property
    def ties_truncated(self) -> bool:
        return self.tie_count > len(self.ties)


@dataclass(frozen=True, slots=True)
class NodeRow:
    """A node to merge on its id; `line` is where it came from (a file's line, an API batch's row)."""

    id: str
    properties: dict[str, Any]
    line: int = 0


@dataclass(frozen=True, slots=True)
class RelationshipRow:
    """A relationship to merge between two nodes' ids; the store writes it only if both ends exist.

    from_label/to_label are the ends' labels as a loader validated them (rows are grouped by them);
    the store takes the labels as arguments of merge_relationships and does not read these."""

    from_id: str
    to_id: str
    properties: dict[str, Any]
    line: int = 0
    from_label: str | None = None
    to_label: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """A score to save: the Score node's properties (its "id", "pd", "score", "grade", "scored_at", ...)
    for the firm `firm_id`."""

    firm_id: str
    properties: dict[str, Any]
