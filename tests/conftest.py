"""Fixtures shared by every test tier.

unit/        no server: the graph model, loaders, services on the in-memory store
contract/    the store port's behaviour, checked on the in-memory fake AND on Neo4j
integration/ the real Neo4j test server that `make test` starts (.neo4j/test, ports 7688/7475)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.tooling.local_neo4j import server
from graph_service.core.settings import Settings
from graph_service.adapters.memory_store import MemoryStore

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "sample"


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def neo4j_session_store(settings):
    """A store on the local test server; refuses any server that is not this checkout's test instance."""
    from graph_service.adapters.neo4j_store import open_neo4j_store

    if settings.neo4j_home.name != "test" or not server.status(settings).running:
        pytest.fail(
            "These tests need the local Neo4j test server and wipe its data. Run them with `make test`, "
            f"which starts it in .neo4j/test (found home {settings.neo4j_home}, "
            f"running: {server.status(settings).running})."
        )
    with open_neo4j_store(settings) as store:
        yield store


@pytest.fixture
def neo4j_store(neo4j_session_store):
    """The test server's store, emptied and with the reference schema, for one test."""
    neo4j_session_store.delete_everything()
    neo4j_session_store.apply_schema(REFERENCE_MODEL)
    return neo4j_session_store


@pytest.fixture
def memory_store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture(params=["memory", "neo4j"])
def any_store(request):
    """Each contract test runs on the in-memory fake and on the real Neo4j."""
    return request.getfixturevalue(f"{request.param}_store")
