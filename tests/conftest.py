"""Fixtures shared by every test tier, and the tiers as markers (`pytest -m unit`, `-m "not neo4j"`).

unit/           no server: the graph model, loaders, services on the in-memory store
contract/       the store ports' behaviour, checked on the in-memory fake AND on Neo4j
integration/    the real Neo4j test server that `make test` starts (.neo4j/test, ports 7688/7475)
scoring/        the models, the evaluation protocol and the scoring use cases
api/            every route on a scored world: authorisation matrix, behaviour, schemathesis
investigations/ the demo graph built as `make demo` builds it: saved queries, headless Chromium
packaging/      the package as `pip install .` installs it

Every test that needs the Neo4j test server is marked `neo4j`. Without a running server those tests
are skipped with one message, unless `--require-neo4j` (what `make test` passes) makes that a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.tooling.local_neo4j import server
from graph_service.core.settings import Settings
from graph_service.adapters.memory import MemoryStore

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "data" / "sample"
TESTS = Path(__file__).resolve().parent
TIERS = ("unit", "contract", "integration", "scoring", "api", "investigations", "packaging")
NEO4J_FIXTURES = {"neo4j_session_store", "neo4j_store"}


def pytest_addoption(parser):
    parser.addoption("--require-neo4j", action="store_true",
                     help="fail, instead of skipping, the tests that need the Neo4j test server when it is not running")


def pytest_configure(config):
    for tier in TIERS:
        config.addinivalue_line("markers", f"{tier}: a test of the tests/{tier}/ tier")


def _needs_neo4j(item) -> bool:
    on_neo4j = getattr(item, "callspec", None) is not None and item.callspec.params.get("any_store") == "neo4j"
    return on_neo4j or bool(NEO4J_FIXTURES & set(item.fixturenames)) or item.get_closest_marker("neo4j") is not None


def pytest_collection_modifyitems(config, items):
    for item in items:
        tier = Path(str(item.fspath)).resolve().relative_to(TESTS).parts[0]
        if tier in TIERS:
            item.add_marker(tier)
        if _needs_neo4j(item):
            item.add_marker("neo4j")
    settings = Settings.from_env()
    if config.getoption("--require-neo4j") or (settings.neo4j_home.name == "test" and server.status(settings).running):
        return
    skip = pytest.mark.skip(reason=f"the Neo4j test server is not running (home {settings.neo4j_home}): "
                                   "`make test` starts it, or run `pytest -m 'not neo4j'`")
    for item in items:
        if item.get_closest_marker("neo4j"):
            item.add_marker(skip)


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
