"""Recommenders' track records: counts, default rates and 95% Wilson intervals worked out by hand,
written on the Chamber and Market nodes the same way on both stores."""

from datetime import date, datetime, timezone

import pytest

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.services.track_records import record_track_records
from scoring.track_record import wilson_interval

T = datetime(2026, 1, 1, tzinfo=timezone.utc)
ISSUED, STATUS_DAY = date(2024, 3, 1), date(2025, 6, 30)

# firm -> its loan's status (None: no loan, a thin-file firm)
FIRMS = {**{f"G{i}": "current" for i in range(1, 11)}, **{f"B{i}": "defaulted" for i in range(1, 7)},
         "F1": "defaulted", "F2": "current", "F3": "repaid", "F4": None}
RECOMMENDS = {("Market", "M1"): [f"G{i}" for i in range(1, 11)],
              ("Chamber", "C9"): [f"B{i}" for i in range(1, 7)],
              ("Chamber", "C1"): ["F1", "F2", "F3", "F4", "F1"],  # F1 twice: a firm counts once
              ("Chamber", "C2"): []}


def _load(store) -> None:
    store.merge_nodes("Firm", [NodeRow(f, {"name": f}, 1) for f in FIRMS], "t", T)
    loans = {f: f"L-{f}" for f, status in FIRMS.items() if status}
    store.merge_nodes("Loan", [NodeRow(loan, {"amount": 1000.0, "status": FIRMS[f], "issued": ISSUED,
                                              "status_date": STATUS_DAY}, 1)
                               for f, loan in loans.items()], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan",
                              [RelationshipRow(f, loan, {}, 1) for f, loan in loans.items()],
                              "t", T)
    for (label, node_id), firms in RECOMMENDS.items():
        store.merge_nodes(label, [NodeRow(node_id, {"name": node_id}, 1)], "t", T)
        store.merge_relationships("RECOMMENDS", label, "Firm", [
            RelationshipRow(node_id, f, {"strength": 0.5 + k / 100}, 1)
            for k, f in enumerate(firms)], "t", T)


def test_the_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval([1, 6, 0, 0], [3, 6, 10, 0])
    assert low[:3].round(4).tolist() == [0.0615, 0.6097, 0.0]
    assert high[:3].round(4).tolist() == [0.7923, 1.0, 0.2775]
    assert low[3] != low[3] and high[3] != high[3]  # NaN without trials


def test_track_records_are_counted_by_hand_and_land_on_the_nodes(any_store):
    _load(any_store)
    record_track_records(any_store)
    props = {node_id: dict(p) for label in ("Chamber", "Market") for node_id, p in any_store.export_nodes(label)}
    base = 7 / 19  # 19 firms with a loan: B1-B6 and F1 defaulted
    c1 = props["C1"]
    assert (c1["track_recommended"], c1["track_known"], c1["track_defaulted"]) == (4, 3, 1)
    assert c1["track_default_rate"] == pytest.approx(1 / 3)
    assert (round(c1["track_rate_low"], 4), round(c1["track_rate_high"], 4)) == (0.0615, 0.7923)
    assert c1["track_base_rate"] == pytest.approx(base) and c1["track_poor"] == 0  # 3 outcomes: too few to judge
    c9 = props["C9"]
    assert (c9["track_recommended"], c9["track_defaulted"], round(c9["track_rate_low"], 4)) == (6, 6, 0.6097)
    assert c9["track_poor"] == 1  # its interval does not lie below the network's 36.8%
    m1 = props["M1"]
    assert (m1["track_known"], m1["track_defaulted"], round(m1["track_rate_high"], 4)) == (10, 0, 0.2775)
    assert m1["track_poor"] == 0  # wholly below the network's rate: its recommendations mean something
    c2 = props["C2"]
    assert c2["track_recommended"] == 0 and c2["track_poor"] == 0
    assert c2.get("track_default_rate") is None and c2.get("track_rate_low") is None
    assert c1["track_as_of"] == date(2025, 7, 1)  # the day after the last observed loan status
