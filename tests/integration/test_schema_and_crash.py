"""init-schema through the CLI, and what a crash mid-load leaves behind (on the real Neo4j)."""

import threading

from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from tests.conftest import SAMPLE_DIR


def test_constraints_exist_after_init_schema(neo4j_session_store):
    neo4j_session_store.delete_everything()
    for name in neo4j_session_store.constraints():
        neo4j_session_store.driver.execute_query(f"DROP CONSTRAINT {name}")  # test-only: start bare
    assert neo4j_session_store.constraints() == {}
    result = CliRunner().invoke(main, ["init-schema"])
    assert result.exit_code == 0, result.output
    constraints = neo4j_session_store.constraints()
    for label in REFERENCE_MODEL.nodes:
        assert constraints[f"{label}_id_unique"] == (label, "id")
    assert CliRunner().invoke(main, ["init-schema"]).exit_code == 0  # idempotent
    assert neo4j_session_store.constraints() == constraints


class _CrashAfter:
    """The real Neo4j store, but the loader process 'dies' after n committed batches."""

    def __init__(self, store, batches: int):
        self._store, self._left, self._lock = store, batches, threading.Lock()

    def __getattr__(self, name):
        return getattr(self._store, name)

    def merge_nodes(self, *args):
        with self._lock:
            if self._left == 0:
                raise KeyboardInterrupt("loader killed")
            self._left -= 1
        return self._store.merge_nodes(*args)


def test_a_crash_mid_load_keeps_whole_batches_and_a_rerun_completes(neo4j_store, tmp_path):
    plan = plan_load(SAMPLE_DIR / "Firm.csv", REFERENCE_MODEL, "sample")
    try:
        load(_CrashAfter(neo4j_store, 2), plan, tmp_path, batch_size=70)
    except KeyboardInterrupt:
        pass
    assert neo4j_store.graph_counts().nodes == 140  # two whole batches, nothing of the third
    report = load(neo4j_store, plan, tmp_path, batch_size=70)
    assert report.loaded == 300 and neo4j_store.graph_counts().nodes == 300
