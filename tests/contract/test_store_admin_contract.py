"""StoreAdmin's contract: the in-memory fake and Neo4j must behave alike."""

from graph_service.core.graph_model import REFERENCE_MODEL


def test_schema_gives_every_label_a_unique_id(any_store):
    any_store.apply_schema(REFERENCE_MODEL)
    constraints = any_store.constraints()
    for label in REFERENCE_MODEL.nodes:
        assert constraints[f"{label}_id_unique"] == (label, "id")
