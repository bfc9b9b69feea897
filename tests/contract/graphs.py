"""Small hand-built graphs the contract tests of several ports share, and row helpers."""

from datetime import date, datetime, timezone

from graph_service.core.domain import NodeRow, RelationshipRow

T = T1 = datetime(2026, 1, 1, tzinfo=timezone.utc)
T2 = datetime(2026, 2, 1, tzinfo=timezone.utc)


def node(node_id, **properties):
    return NodeRow(node_id, properties, 1)


def rel(from_id, to_id, **properties):
    return RelationshipRow(from_id, to_id, properties, 1)


def firms(store, *ids, **props):
    """Firms named after their ids, loaded at T1 (lines 0, 1, ...)."""
    store.merge_nodes("Firm", [NodeRow(i, {"name": i, **props}, n) for n, i in enumerate(ids)], "test", T1)


def network(store):
    """Firms A-D trading, guarantor G guaranteeing loans L1 (B's, granted by B1) and L2 (C's, by B2)."""
    store.merge_nodes("Firm", [node(i, name=f"Firm {i}") for i in ("A", "B", "C", "D")], "t", T)
    store.merge_nodes("Guarantor", [node("G", name="G Co")], "t", T)
    store.merge_nodes("Bank", [node("B1", name="Bank 1"), node("B2", name="Bank 2")], "t", T)
    store.merge_nodes("Loan", [node(i, amount=100.0, outstanding=80.0, status="current", issued=date(2025, 1, 1))
                               for i in ("L1", "L2")], "t", T)
    store.merge_relationships("TRADES_WITH", "Firm", "Firm", [rel("A", "B", volume=1.0), rel("C", "A", volume=2.0),
                                                              rel("A", "D", volume=3.0)], "t", T)
    store.merge_relationships("GRANTED", "Bank", "Loan", [rel("B1", "L1"), rel("B2", "L2")], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan", [rel("B", "L1"), rel("C", "L2")], "t", T)
    store.merge_relationships("GUARANTEES", "Guarantor", "Loan", [rel("G", "L1", amount=50.0),
                                                                  rel("G", "L2", amount=70.0)], "t", T)


def neighbourhood(store):
    """A-B-C trading, A and D members of chamber CH, D the borrower of a defaulted loan L1."""
    store.merge_nodes("Firm", [NodeRow(i, {"name": i}, 1) for i in ("A", "B", "C", "D")], "t", T)
    store.merge_nodes("Chamber", [NodeRow("CH", {"name": "Chamber"}, 1)], "t", T)
    store.merge_nodes("Loan", [NodeRow("L1", {"amount": 1.0, "status": "defaulted"}, 1)], "t", T)
    store.merge_relationships("TRADES_WITH", "Firm", "Firm", [
        RelationshipRow("A", "B", {"volume": 1.0}, 1),
        RelationshipRow("B", "C", {"volume": 2.0}, 2)], "t", T)
    store.merge_relationships("MEMBER_OF", "Firm", "Chamber", [
        RelationshipRow("A", "CH", {}, 1),
        RelationshipRow("D", "CH", {}, 2)], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan", [RelationshipRow("D", "L1", {}, 1)], "t", T)
