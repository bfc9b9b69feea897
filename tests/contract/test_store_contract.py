"""The store port's contract: the in-memory fake and Neo4j must behave alike."""

from datetime import date, datetime, timezone

from graph_service.core.graph_model import REFERENCE_MODEL

T1 = datetime(2026, 1, 1, tzinfo=timezone.utc)
T2 = datetime(2026, 2, 1, tzinfo=timezone.utc)


def _firms(store, *ids, **props):
    store.merge_nodes("Firm", [{"id": i, "properties": {"name": i, **props}, "line": n} for n, i in enumerate(ids)],
                      "test", T1)


def test_merging_nodes_twice_updates_in_place(any_store):
    _firms(any_store, "A", "B", employees=3)
    any_store.merge_nodes("Firm", [{"id": "A", "properties": {"employees": 4}, "line": 2}], "update", T2)
    firm = any_store.firm_with_ties("A", 10)
    assert firm.properties["employees"] == 4
    assert firm.properties["name"] == "A"  # a property the update did not carry is kept
    assert firm.properties["source"] == "update"
    assert firm.properties["first_loaded_at"] == T1 and firm.properties["last_loaded_at"] == T2
    assert any_store.graph_counts().nodes == 2


def test_relationships_to_missing_nodes_are_not_written_and_are_named(any_store):
    _firms(any_store, "A", "B")
    rows = [
        {"from_id": "A", "to_id": "B", "properties": {"volume": 5.0, "first_date": date(2024, 1, 2)}, "line": 2},
        {"from_id": "A", "to_id": "X", "properties": {}, "line": 3},
        {"from_id": "Y", "to_id": "B", "properties": {}, "line": 4},
    ]
    written = any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", rows, "test", T1)
    assert written == {2}
    assert any_store.missing_ids("Firm", ["A", "X", "Y"]) == {"X", "Y"}
    again = any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", rows[:1], "test", T2)
    assert again == {2}
    assert any_store.graph_counts().relationships == 1


def test_a_firm_view_lists_ties_in_a_stable_order_and_bounds_them(any_store):
    _firms(any_store, "A", "B", "C")
    any_store.merge_nodes("Chamber", [{"id": "CH", "properties": {"name": "Chamber"}, "line": 1}], "t", T1)
    any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", [
        {"from_id": "A", "to_id": "C", "properties": {"volume": 1.0}, "line": 1},
        {"from_id": "B", "to_id": "A", "properties": {"volume": 2.0}, "line": 2},
        {"from_id": "A", "to_id": "B", "properties": {"volume": 3.0}, "line": 3},
    ], "t", T1)
    any_store.merge_relationships("RECOMMENDS", "Chamber", "Firm", [
        {"from_id": "CH", "to_id": "A", "properties": {"date": date(2025, 5, 1)}, "line": 1}], "t", T1)
    view = any_store.firm_with_ties("A", limit=3)
    assert [(t.type, t.id, t.direction) for t in view.ties] == [
        ("RECOMMENDS", "CH", "in"), ("TRADES_WITH", "B", "in"), ("TRADES_WITH", "B", "out")]
    assert view.ties[0].properties["date"] == date(2025, 5, 1)
    assert view.ties[0].name == "Chamber"
    assert view.tie_count == 4 and view.ties_truncated
    assert any_store.firm_with_ties("nobody", 3) is None


def test_schema_gives_every_label_a_unique_id(any_store):
    any_store.apply_schema(REFERENCE_MODEL)
    constraints = any_store.constraints()
    for label in REFERENCE_MODEL.nodes:
        assert constraints[f"{label}_id_unique"] == (label, "id")
