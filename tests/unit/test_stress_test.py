"""DebtRank on a hand-built network, every value worked out by hand (LGD 1).

    A (revenue 400: capital 100) borrowed L1 (40, bank K, 20 guaranteed by G) and L2 (30, bank K,
    all 30 guaranteed by firm B). B (revenue 240: capital 60) borrowed L3 (50, bank K, 25 guaranteed
    by G) and L4 (repaid: ignored). G has capital 50, K capital 100.

    Impacts: A->G 20/50 = 0.4, A->K 20/100 = 0.2 (L2 is fully covered), A->B 30/60 = 0.5,
             B->G 25/50 = 0.5, B->K 25/100 = 0.25.
    A defaults. Round 1: G 0.4, K 0.2, B 0.5. Round 2 (G, K, B pass on once; only B has anyone
    exposed to it): G 0.4 + 0.5 x 0.5 = 0.65, K 0.2 + 0.25 x 0.5 = 0.325. Nothing new: 2 rounds.
    DebtRank = (0.5 x 60 + 0.65 x 50 + 0.325 x 100) / 310 (all capital) = 95 / 310.
"""

from datetime import date

import pytest

from graph_service.network_risk.stress_test import debtrank, exposure_network, too_central_to_fail
from graph_service.core.snapshot import snapshot_from_rows


def _snapshot():
    nodes = [{"label": "Firm", "id": "A", "properties": {"declared_revenue": 400.0}},
             {"label": "Firm", "id": "B", "properties": {"declared_revenue": 240.0}},
             {"label": "Guarantor", "id": "G", "properties": {"capital": 50.0}},
             {"label": "Bank", "id": "K", "properties": {"capital": 100.0}}]
    loans = {"L1": ("A", 40.0, "current"), "L2": ("A", 30.0, "overdue"), "L3": ("B", 50.0, "current"),
             "L4": ("B", 10.0, "repaid")}
    rels = []
    for loan, (firm, outstanding, status) in loans.items():
        nodes.append({"label": "Loan", "id": loan, "properties": {"amount": outstanding, "outstanding": outstanding,
                                                                  "status": status, "issued": date(2025, 1, 1)}})
        rels.append({"type": "BORROWED", "from_label": "Firm", "from_id": firm, "to_label": "Loan", "to_id": loan,
                     "properties": {}})
        rels.append({"type": "GRANTED", "from_label": "Bank", "from_id": "K", "to_label": "Loan", "to_id": loan,
                     "properties": {}})
    for guarantor, label, loan, amount in (("G", "Guarantor", "L1", 20.0), ("B", "Firm", "L2", 30.0),
                                           ("G", "Guarantor", "L3", 25.0), ("G", "Guarantor", "L4", 10.0)):
        rels.append({"type": "GUARANTEES", "from_label": label, "from_id": guarantor, "to_label": "Loan",
                     "to_id": loan, "properties": {"amount": amount}})
    return snapshot_from_rows(nodes, rels)


def test_impacts_are_losses_over_capital():
    network = exposure_network(_snapshot(), lgd=1.0)
    dense = network.impact.toarray()
    at = network.index
    assert dense[at["Firm", "A"], at["Guarantor", "G"]] == pytest.approx(0.4)
    assert dense[at["Firm", "A"], at["Bank", "K"]] == pytest.approx(0.2)
    assert dense[at["Firm", "A"], at["Firm", "B"]] == pytest.approx(0.5)
    assert dense[at["Firm", "B"], at["Guarantor", "G"]] == pytest.approx(0.5)
    assert dense[at["Firm", "B"], at["Bank", "K"]] == pytest.approx(0.25)
    assert (dense > 0).sum() == 5


def test_debtrank_of_a_default_worked_out_by_hand():
    result = debtrank(exposure_network(_snapshot(), lgd=1.0), [("Firm", "A")])
    assert result.rounds == 2
    assert result.affected() == [{"label": "Guarantor", "id": "G", "loss_fraction": 0.65},
                                 {"label": "Firm", "id": "B", "loss_fraction": 0.5},
                                 {"label": "Bank", "id": "K", "loss_fraction": 0.325}]
    assert result.debtrank == pytest.approx(95 / 310)


def test_lgd_scales_the_losses_and_each_node_passes_distress_on_once():
    result = debtrank(exposure_network(_snapshot(), lgd=0.5), [("Firm", "A")])
    # Impacts halve: G 0.2 + 0.25 x 0.25, K 0.1 + 0.125 x 0.25, B 0.25.
    assert {r["id"]: r["loss_fraction"] for r in result.affected()} == {
        "G": pytest.approx(0.2625), "B": 0.25, "K": pytest.approx(0.13125)}


def test_too_central_to_fail_ranks_single_defaults():
    ranking = too_central_to_fail(exposure_network(_snapshot(), lgd=1.0))
    assert [r["id"] for r in ranking] == ["A", "B"]
    assert ranking[1]["debtrank"] == pytest.approx((0.5 * 50 + 0.25 * 100) / 310, abs=1e-6)
