"""SnapshotSource's contract (the graph exported type by type, as read_snapshot reads it): the same on
the fake and on Neo4j. read_snapshot itself is exercised by the track-record and pattern tests."""

from tests.contract.graphs import neighbourhood


def test_exports_are_ordered_and_leave_lineage_out(any_store):
    neighbourhood(any_store)
    labels, types = any_store.node_labels(), any_store.relationship_types()
    assert {"Firm", "Chamber", "Loan"} <= set(labels) and labels == sorted(labels)
    assert {"TRADES_WITH", "MEMBER_OF", "BORROWED"} <= set(types) and types == sorted(types)
    assert list(any_store.export_nodes("Firm")) == [(i, {"id": i, "name": i}) for i in ("A", "B", "C", "D")]
    assert list(any_store.export_relationships("TRADES_WITH")) == [
        ("Firm", "A", "Firm", "B", {"volume": 1.0}), ("Firm", "B", "Firm", "C", {"volume": 2.0})]
    assert list(any_store.export_relationships("MEMBER_OF")) == [
        ("Firm", "A", "Chamber", "CH", {}), ("Firm", "D", "Chamber", "CH", {})]
