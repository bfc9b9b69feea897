"""An in-memory fake of the store ports for fast unit tests of services.

A mixin per port (admin, writer, snapshots, scores, access, network), each over the one MemoryGraph
state; MemoryStore combines them into every port, as Neo4jStore is. It mirrors Neo4jStore's
observable behaviour, and tests/contract/ checks both against each other.
"""

from __future__ import annotations

from graph_service.adapters.memory.access import MemoryAccess
from graph_service.adapters.memory.admin import MemoryAdmin
from graph_service.adapters.memory.graph import MemoryGraph
from graph_service.adapters.memory.network import MemoryNetwork
from graph_service.adapters.memory.scores import MemoryScores
from graph_service.adapters.memory.snapshots import MemorySnapshots
from graph_service.adapters.memory.writer import MemoryWriter


class MemoryStore(MemoryAdmin, MemoryWriter, MemorySnapshots, MemoryScores, MemoryAccess, MemoryNetwork):
    """Every port (GraphStore) over one in-memory graph."""


__all__ = ["MemoryAccess", "MemoryAdmin", "MemoryGraph", "MemoryNetwork", "MemoryScores", "MemorySnapshots",
           "MemoryStore", "MemoryWriter"]
