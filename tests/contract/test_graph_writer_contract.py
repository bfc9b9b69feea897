"""GraphWriter's contract (merging nodes and relationships, marking firms changed): the same on the
fake and on Neo4j."""

from datetime import date, timedelta

from graph_service.core.domain import NodeRow, RelationshipRow
from tests.contract.graphs import T, T1, T2, firms, network


def test_merging_nodes_twice_updates_in_place(any_store):
    firms(any_store, "A", "B", employees=3)
    any_store.merge_nodes("Firm", [NodeRow("A", {"employees": 4}, 2)], "update", T2)
    firm = any_store.firm_with_ties("A", 10)
    assert firm.properties["employees"] == 4
    assert firm.properties["name"] == "A"  # a property the update did not carry is kept
    assert firm.properties["source"] == "update"
    assert firm.properties["first_loaded_at"] == T1 and firm.properties["last_loaded_at"] == T2
    assert any_store.graph_counts().nodes == 2


def test_relationships_to_missing_nodes_are_not_written_and_are_named(any_store):
    firms(any_store, "A", "B")
    rows = [
        RelationshipRow("A", "B", {"volume": 5.0, "first_date": date(2024, 1, 2)}, 2),
        RelationshipRow("A", "X", {}, 3),
        RelationshipRow("Y", "B", {}, 4),
    ]
    written = any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", rows, "test", T1)
    assert written == {2}
    assert any_store.missing_ids("Firm", ["A", "X", "Y"]) == {"X", "Y"}
    again = any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", rows[:1], "test", T2)
    assert again == {2}
    assert any_store.graph_counts().relationships == 1


def test_changed_firms_take_the_later_of_load_and_change(any_store):
    network(any_store)
    later = T + timedelta(hours=1)
    any_store.mark_firms_changed(["A"], ["L2"], later)  # A itself; C through the loan it borrowed
    states = any_store.score_states(["A", "B", "C"])
    assert (states["A"][0], states["B"][0], states["C"][0]) == (later, T, later)


def test_a_banks_loans_are_written_with_its_tie_and_another_banks_loan_is_left_alone(any_store):
    any_store.merge_nodes("Bank", [NodeRow("B1", {"name": "Bank 1"}), NodeRow("B2", {"name": "Bank 2"})], "t", T)
    first = [NodeRow("L-NEW", {"amount": 100.0, "status": "current"}, 1)]
    assert any_store.merge_bank_loans("B1", first, "b1", T1) == {1}
    # The second bank posts the same loan id: nothing of it is written, its lender stays the first.
    second = [NodeRow("L-NEW", {"amount": 999.0, "status": "defaulted"}, 1), NodeRow("L-B2", {"amount": 5.0}, 2)]
    assert any_store.merge_bank_loans("B2", second, "b2", T2) == {2}
    assert any_store.loan_lenders(["L-NEW", "L-B2"]) == {"L-NEW": ["B1"], "L-B2": ["B2"]}
    [(loan_id, props)] = [row for row in any_store.export_nodes("Loan") if row[0] == "L-NEW"]
    assert (props["amount"], props["status"]) == (100.0, "current")
    # The first bank updates its own loan.
    assert any_store.merge_bank_loans("B1", [NodeRow("L-NEW", {"amount": 150.0}, 7)], "b1", T2) == {7}
    assert any_store.loan_lenders(["L-NEW"]) == {"L-NEW": ["B1"]}


def test_declared_types_are_kept_and_replaced_whole(any_store):
    assert any_store.declared_types() is None
    first = {"nodes": [], "relationships": [{"type": "SHARES_DIRECTOR", "from": ["Firm"], "to": ["Firm"],
                                            "description": "", "properties": []}], "properties": {}}
    any_store.save_declared_types(first)
    assert any_store.declared_types() == first
    second = {**first, "properties": {"Firm": [{"name": "vat_number", "kind": "string", "required": False,
                                                "min": None, "max": None, "choices": []}]}}
    any_store.save_declared_types(second)
    assert any_store.declared_types() == second
