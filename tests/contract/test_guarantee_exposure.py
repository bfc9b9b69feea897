"""A guarantor's exposure on a small hand-built graph, worked out by hand; the same on both stores.

    G (a guarantee company) guarantees L1 of A (60 of 100 outstanding) and L2 of B (50, no balance
    reported: the whole 50). A guarantees L3 of C (40 of 80); C guarantees L4 of A (30 of 30): A and
    C form a mutual pair. B guarantees L5 of D (20, granted by bank K2) and L7 of E (repaid). D
    guarantees L6 of E (10). Every other loan was granted by bank K1.
"""

from datetime import date, datetime, timezone

import pytest

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.services.exposure import guarantor_exposure

T = datetime(2026, 1, 1, tzinfo=timezone.utc)
LGD = 0.45


def _graph(store):
    firms = {"A": ("retail", "north", 0.1), "B": ("services", "south", 0.2), "C": ("retail", "south", 0.3),
             "D": ("farming", "west", 0.4), "E": ("farming", "west", 0.5)}
    store.merge_nodes("Firm", [NodeRow(f, {"name": f, "sector": s, "region": r, "pd": pd}, 1)
                               for f, (s, r, pd) in firms.items()], "t", T)
    store.merge_nodes("Guarantor", [NodeRow("G", {"name": "G Co"}, 1)], "t", T)
    store.merge_nodes("Bank", [NodeRow(b, {"name": b}, 1) for b in ("K1", "K2")], "t", T)
    loans = {"L1": ("A", 100, 100, "current"), "L2": ("B", 50, None, "current"), "L3": ("C", 80, 80, "current"),
             "L4": ("A", 30, 30, "overdue"), "L5": ("D", 20, 20, "current"), "L6": ("E", 10, 10, "current"),
             "L7": ("E", 5, 0, "repaid")}
    rows = []
    for loan, (_, amount, outstanding, status) in loans.items():
        properties = {"amount": float(amount), "status": status, "issued": date(2025, 1, 1)}
        if outstanding is not None:
            properties["outstanding"] = float(outstanding)
        rows.append(NodeRow(loan, properties, 1))
    store.merge_nodes("Loan", rows, "t", T)

    def rel(a, b, **p):
        return RelationshipRow(a, b, p, 1)

    store.merge_relationships("BORROWED", "Firm", "Loan", [rel(f, loan) for loan, (f, *_) in loans.items()], "t", T)
    store.merge_relationships("GRANTED", "Bank", "Loan",
                              [rel("K2" if loan == "L5" else "K1", loan) for loan in loans], "t", T)
    store.merge_relationships("GUARANTEES", "Guarantor", "Loan", [rel("G", "L1", amount=60.0),
                                                                  rel("G", "L2", amount=50.0)], "t", T)
    store.merge_relationships("GUARANTEES", "Firm", "Loan", [
        rel("A", "L3", amount=40.0), rel("C", "L4", amount=30.0), rel("B", "L5", amount=20.0),
        rel("B", "L7", amount=5.0), rel("D", "L6", amount=10.0)], "t", T)


def test_direct_exposure_totals_and_concentration(any_store):
    _graph(any_store)
    exposure = guarantor_exposure(any_store, "Guarantor", "G", None, LGD, depth=1)
    assert [(g["loan_id"], g["exposure_at_default"], g["expected_loss"]) for g in exposure["guarantees"]] == [
        ("L1", 60.0, pytest.approx(0.1 * LGD * 60)), ("L2", 50.0, pytest.approx(0.2 * LGD * 50))]
    assert exposure["totals"] == {"loans": 2, "guaranteed": 110.0, "exposure_at_default": 110.0,
                                  "expected_loss": 7.2, "borrowers_without_pd": 0,
                                  "indirect_exposure_at_default": 0.0}
    assert exposure["concentration"]["sector"] == [
        {"name": "retail", "exposure_at_default": 60.0, "share": 0.5455},
        {"name": "services", "exposure_at_default": 50.0, "share": 0.4545}]
    assert exposure["chains"] == [] and exposure["circles"] == []


def test_chains_go_as_deep_as_asked_and_skip_dead_loans(any_store):
    _graph(any_store)
    two = guarantor_exposure(any_store, "Guarantor", "G", None, LGD, depth=2)
    assert [(c["path"], c["loan_id"], c["exposure_at_default"]) for c in two["chains"]] == [
        (["G", "A", "C"], "L3", 40.0), (["G", "B", "D"], "L5", 20.0)]
    three = guarantor_exposure(any_store, "Guarantor", "G", None, LGD, depth=3)
    # C guarantees A's L4, but A is already on the path: no chain back through it.
    assert [(c["depth"], c["path"], c["loans"]) for c in three["chains"]] == [
        (2, ["G", "A", "C"], ["L1", "L3"]), (2, ["G", "B", "D"], ["L2", "L5"]), (3, ["G", "B", "D", "E"], ["L2", "L5", "L6"])]
    assert three["totals"]["indirect_exposure_at_default"] == 70.0
    assert guarantor_exposure(any_store, "Guarantor", "G", None, LGD, depth=6)["chains"] == three["chains"]


def test_a_bank_follows_only_its_own_loans(any_store):
    _graph(any_store)
    seen_by_k1 = guarantor_exposure(any_store, "Guarantor", "G", "K1", LGD, depth=3)
    assert [c["path"] for c in seen_by_k1["chains"]] == [["G", "A", "C"]]  # L5 is K2's: D and E are not reached


def test_a_firm_sees_the_circle_it_belongs_to(any_store):
    _graph(any_store)
    exposure = guarantor_exposure(any_store, "Firm", "A", None, LGD, depth=4)
    assert exposure["circles"] == [{"members": ["A", "C"], "loans": ["L3", "L4"], "exposure_at_default": [40.0, 30.0]}]
    assert exposure["chains"] == []
    assert guarantor_exposure(any_store, "Firm", "A", None, LGD, depth=1)["circles"] == []
