"""A synthetic world loaded through the loaders into the in-memory store, shared by the scoring tests."""

import pytest

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from graph_service.adapters.memory import MemoryStore
from loaders.discovery import plan_load
from graph_service.core.snapshot import read_snapshot
from synthetic.world import generate_world


@pytest.fixture(scope="session")
def world_snapshot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    world = generate_world(folder, firms=20_000, seed=3)
    store = MemoryStore()
    report = load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), folder / "rejects", 10_000)
    assert report.rejected == 0
    return read_snapshot(store)


@pytest.fixture(scope="session")
def evaluation(world_snapshot):
    from graph_service.cli.model_candidates import installed_candidates
    from scoring.evaluation import run_evaluation

    return run_evaluation(world_snapshot, 7, installed_candidates())


@pytest.fixture(scope="session")
def world(tmp_path_factory):
    """A small world (4,000 firms) for the scoring service's tests."""
    return generate_world(tmp_path_factory.mktemp("small-world"), firms=4_000, seed=21)


@pytest.fixture(scope="session")
def small_world_snapshot(world, tmp_path_factory):
    """The small world loaded through the loaders into the in-memory store."""
    store = MemoryStore()
    load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path_factory.mktemp("rejects"))
    return read_snapshot(store)


@pytest.fixture(scope="session")
def world_evaluation(small_world_snapshot):
    """The model comparison on the small world, run once (training reuses its choice)."""
    from graph_service.cli.model_candidates import installed_candidates
    from scoring.evaluation import run_evaluation

    return run_evaluation(small_world_snapshot, 5, installed_candidates())
