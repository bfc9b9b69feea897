"""The ports split GraphStore by use; every adapter implements the ports it stands for, signature by signature."""

import inspect

import pytest

from graph_service.adapters.file_snapshot import FileSnapshotSource
from graph_service.adapters.memory import MemoryStore
from graph_service.adapters.neo4j_store import Neo4jStore
from graph_service.core import ports

PORTS = (ports.StoreAdmin, ports.GraphWriter, ports.SnapshotSource, ports.ScoreStore, ports.AccessStore,
         ports.NetworkQueries)


def _methods(port) -> dict:
    return {name: f for name, f in vars(port).items() if inspect.isfunction(f) and not name.startswith("_")}


def _all_methods(protocol) -> set[str]:
    return {name for cls in protocol.__mro__ if cls.__module__ == ports.__name__ for name in _methods(cls)}


def test_the_ports_split_graph_store_without_overlap():
    names = [name for port in PORTS for name in _methods(port)]
    assert len(names) == len(set(names))
    assert set(names) == _all_methods(ports.GraphStore)


@pytest.mark.parametrize("adapter, implemented", [(Neo4jStore, PORTS), (MemoryStore, PORTS),
                                                  (FileSnapshotSource, (ports.SnapshotSource,))])
def test_adapters_implement_their_ports_with_the_ports_signatures(adapter, implemented):
    for port in implemented:
        for name, method in _methods(port).items():
            assert list(inspect.signature(getattr(adapter, name)).parameters) == \
                list(inspect.signature(method).parameters), f"{adapter.__name__}.{name}"
