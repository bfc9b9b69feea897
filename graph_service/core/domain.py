"""Plain data the services return; never driver records."""

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
