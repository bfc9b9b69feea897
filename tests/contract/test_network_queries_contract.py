"""NetworkQueries' contract (a firm and its ties, network hops, neighbourhoods, lenders, guarantees):
the same on the fake and on Neo4j."""

from datetime import date

from graph_service.core.domain import NodeRow, RelationshipRow
from tests.contract.graphs import T, T1, firms, neighbourhood, network, node, rel


def test_a_firm_view_lists_ties_in_a_stable_order_and_bounds_them(any_store):
    firms(any_store, "A", "B", "C")
    any_store.merge_nodes("Chamber", [NodeRow("CH", {"name": "Chamber"}, 1)], "t", T1)
    any_store.merge_relationships("TRADES_WITH", "Firm", "Firm", [
        RelationshipRow("A", "C", {"volume": 1.0}, 1),
        RelationshipRow("B", "A", {"volume": 2.0}, 2),
        RelationshipRow("A", "B", {"volume": 3.0}, 3),
    ], "t", T1)
    any_store.merge_relationships("RECOMMENDS", "Chamber", "Firm", [
        RelationshipRow("CH", "A", {"date": date(2025, 5, 1)}, 1)], "t", T1)
    view = any_store.firm_with_ties("A", limit=3)
    assert [(t.type, t.id, t.direction) for t in view.ties] == [
        ("RECOMMENDS", "CH", "in"), ("TRADES_WITH", "B", "in"), ("TRADES_WITH", "B", "out")]
    assert view.ties[0].properties["date"] == date(2025, 5, 1)
    assert view.ties[0].name == "Chamber"
    assert view.tie_count == 4 and view.ties_truncated
    assert any_store.firm_with_ties("nobody", 3) is None


def test_a_network_hop_takes_the_first_ties_by_type_then_id(any_store):
    network(any_store)
    rows = any_store.network_hop("Firm", ["A", "nobody"], 2)
    assert [(r["type"], r["from_id"], r["to_id"], r["id"], r["name"]) for r in rows] == [
        ("TRADES_WITH", "A", "B", "B", "Firm B"), ("TRADES_WITH", "C", "A", "C", "Firm C")]
    assert rows[0]["properties"] == {"volume": 1.0}


def test_direct_guarantees_for_everyone_or_one_bank(any_store):
    network(any_store)
    # A loan two banks granted (a syndicate, or two sources disagreeing) is still one guarantee.
    any_store.merge_relationships("GRANTED", "Bank", "Loan", [rel("B2", "L1")], "t", T)
    every = any_store.direct_guarantees("Guarantor", "G", None)
    assert every["guarantor_name"] == "G Co"
    assert sorted((g["loan_id"], g["bank_id"], g["borrower_id"], g["guaranteed"]) for g in every["guarantees"]) == [
        ("L1", "B1", "B", 50.0), ("L2", "B2", "C", 70.0)]
    for_b2 = any_store.direct_guarantees("Guarantor", "G", "B2")["guarantees"]
    assert sorted((g["loan_id"], g["bank_id"]) for g in for_b2) == [("L1", "B2"), ("L2", "B2")]
    assert [g["loan_id"] for g in any_store.direct_guarantees("Guarantor", "G", "B1")["guarantees"]] == ["L1"]
    assert any_store.direct_guarantees("Guarantor", "nobody", None) is None
    assert any_store.direct_guarantees("Firm", "A", None)["guarantees"] == []


def test_a_neighbourhood_reaches_two_hops_and_the_loans_of_firms_there(any_store):
    neighbourhood(any_store)
    nodes, rels = any_store.firm_neighbourhood("A", 10, 10)
    assert {(n["label"], n["id"]) for n in nodes} == {
        ("Firm", "A"), ("Firm", "B"), ("Firm", "C"), ("Chamber", "CH"), ("Firm", "D"), ("Loan", "L1")}
    assert {(r["type"], r["from_id"], r["to_id"]) for r in rels} == {
        ("TRADES_WITH", "A", "B"), ("TRADES_WITH", "B", "C"), ("MEMBER_OF", "A", "CH"), ("MEMBER_OF", "D", "CH"),
        ("BORROWED", "D", "L1")}
    assert any_store.firm_neighbourhood("nobody", 10, 10) is None


def test_a_firm_with_no_ties_has_a_neighbourhood_of_itself(any_store):
    """Not "no such firm": a firm loaded a minute ago, with no ties yet, is scored from its own data."""
    firms(any_store, "LONER")
    nodes, rels = any_store.firm_neighbourhood("LONER", 10, 10)
    assert [(n["label"], n["id"]) for n in nodes] == [("Firm", "LONER")] and rels == []


def test_fan_out_is_capped_in_a_stable_order(any_store):
    neighbourhood(any_store)
    nodes, rels = any_store.firm_neighbourhood("A", 1, 1)
    # At A, MEMBER_OF sorts before TRADES_WITH; at CH, the first tie by other id is A's own.
    assert {(r["type"], r["from_id"], r["to_id"]) for r in rels} == {("MEMBER_OF", "A", "CH")}


def test_loan_lenders_and_node_existence(any_store):
    # loan_lenders is NetworkQueries'; node_exists (checked by key creation) AccessStore's.
    network(any_store)
    any_store.merge_nodes("Loan", [node("L-open", amount=1.0, status="current", issued=date(2025, 1, 1))], "t", T)
    assert any_store.loan_lenders(["L1", "L2", "L-open", "L-new"]) == {"L1": ["B1"], "L2": ["B2"], "L-open": []}
    assert any_store.node_exists("Bank", "B1") and not any_store.node_exists("Bank", "A")


def test_firms_are_found_by_exact_id_first_then_by_id_or_name_in_any_case(any_store):
    any_store.merge_nodes("Firm", [NodeRow("F10", {"name": "Acme Tools", "sector": "retail"}, 1),
                                   NodeRow("F1", {"name": "Zeta Mills"}, 2),
                                   NodeRow("F2", {"name": "acme foods"}, 3)], "t", T1)
    assert [f["id"] for f in any_store.find_firms("F1", 10)] == ["F1", "F10"]  # the exact id, then by name
    found = any_store.find_firms("ACME", 10)
    assert [f["id"] for f in found] == ["F10", "F2"] and found[0]["sector"] == "retail"
    assert [f["id"] for f in any_store.find_firms("acme", 1)] == ["F10"]
    assert any_store.find_firms("nobody", 10) == []
