"""A model's version names its data: two data sets that differ only in outcomes get different
digests; the scores TrustNet writes back, and load times, change no digest."""

from graph_service.core.snapshot import snapshot_from_rows


def _snapshot(defaulted_b: bool, status: str = "current", pd: float | None = None):
    firm_a = {"name": "A", **({"pd": pd, "grade": "5"} if pd is not None else {})}
    nodes = [{"label": "Firm", "id": "A", "properties": firm_a},
             {"label": "Firm", "id": "B", "properties": {"name": "B", "defaulted": defaulted_b}},
             {"label": "Loan", "id": "L1", "properties": {"amount": 10.0, "status": status}}]
    ties = [{"type": "BORROWED", "from_label": "Firm", "from_id": "A", "to_label": "Loan", "to_id": "L1",
             "properties": {}}]
    return snapshot_from_rows(nodes, ties)


def test_outcomes_change_the_digest_and_written_scores_do_not():
    base = _snapshot(False).digest()
    assert _snapshot(True).digest() != base
    assert _snapshot(False, status="defaulted").digest() != base
    assert _snapshot(False, pd=0.2).digest() == base
