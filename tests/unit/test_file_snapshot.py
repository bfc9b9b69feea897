"""FileSnapshotSource reads loader files as the store they would be loaded into exports them."""

from graph_service.adapters.file_snapshot import FileSnapshotSource
from graph_service.adapters.memory import MemoryStore
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from synthetic.world import generate_world


def test_loader_files_read_as_the_loaded_store_exports_them(tmp_path):
    world = generate_world(tmp_path / "world", firms=300, seed=2)
    store = MemoryStore()
    load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    files = FileSnapshotSource(world.graph_dir)
    assert files.node_labels() == store.node_labels()
    assert files.relationship_types() == store.relationship_types()
    for label in files.node_labels():
        assert sorted(files.export_nodes(label)) == list(store.export_nodes(label)), label
    for rel_type in files.relationship_types():
        assert sorted(files.export_relationships(rel_type)) == list(store.export_relationships(rel_type)), rel_type
