"""The demo graph on the test Neo4j, built by the same commands as `make demo` (a smaller world):
generate, load, patterns, train, score, track records, then the partner's updates."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.graph_model import REFERENCE_MODEL

FIRMS = 2000


@pytest.fixture(scope="package")
def demo_graph(neo4j_session_store, tmp_path_factory, monkeypatch_package):
    store = neo4j_session_store
    store.delete_everything()
    store.apply_schema(REFERENCE_MODEL)
    folder = tmp_path_factory.mktemp("demo")
    monkeypatch_package.setenv("TRUSTNET_MODELS_DIR", str(folder / "models"))
    runner = CliRunner()
    for args in (["generate", "--firms", str(FIRMS), "--seed", "1", "--out", str(folder / "world")],
                 ["load", str(folder / "world" / "graph"), "--source", "synthetic-world"],
                 ["patterns"], ["train"], ["score", "--all"], ["track-records"],
                 ["load", str(folder / "world" / "updates"), "--source", "partner-feed"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    return store


@pytest.fixture(scope="package")
def monkeypatch_package():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
