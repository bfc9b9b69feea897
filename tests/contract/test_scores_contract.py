"""Scores and neighbourhoods through the store port: the same on the fake and on Neo4j."""

from datetime import datetime, timezone

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _graph(store):
    store.merge_nodes("Firm", [{"id": i, "properties": {"name": i}, "line": 1} for i in ("A", "B", "C", "D")], "t", T)
    store.merge_nodes("Chamber", [{"id": "CH", "properties": {"name": "Chamber"}, "line": 1}], "t", T)
    store.merge_nodes("Loan", [{"id": "L1", "properties": {"amount": 1.0, "status": "defaulted"}, "line": 1}], "t", T)
    store.merge_relationships("TRADES_WITH", "Firm", "Firm", [
        {"from_id": "A", "to_id": "B", "properties": {"volume": 1.0}, "line": 1},
        {"from_id": "B", "to_id": "C", "properties": {"volume": 2.0}, "line": 2}], "t", T)
    store.merge_relationships("MEMBER_OF", "Firm", "Chamber", [
        {"from_id": "A", "to_id": "CH", "properties": {}, "line": 1},
        {"from_id": "D", "to_id": "CH", "properties": {}, "line": 2}], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan", [{"from_id": "D", "to_id": "L1", "properties": {}, "line": 1}],
                              "t", T)


def test_a_neighbourhood_reaches_two_hops_and_the_loans_of_firms_there(any_store):
    _graph(any_store)
    nodes, rels = any_store.firm_neighbourhood("A", 10, 10)
    assert {(n["label"], n["id"]) for n in nodes} == {
        ("Firm", "A"), ("Firm", "B"), ("Firm", "C"), ("Chamber", "CH"), ("Firm", "D"), ("Loan", "L1")}
    assert {(r["type"], r["from_id"], r["to_id"]) for r in rels} == {
        ("TRADES_WITH", "A", "B"), ("TRADES_WITH", "B", "C"), ("MEMBER_OF", "A", "CH"), ("MEMBER_OF", "D", "CH"),
        ("BORROWED", "D", "L1")}
    assert any_store.firm_neighbourhood("nobody", 10, 10) is None


def test_fan_out_is_capped_in_a_stable_order(any_store):
    _graph(any_store)
    nodes, rels = any_store.firm_neighbourhood("A", 1, 1)
    # At A, MEMBER_OF sorts before TRADES_WITH; at CH, the first tie by other id is A's own.
    assert {(r["type"], r["from_id"], r["to_id"]) for r in rels} == {("MEMBER_OF", "A", "CH")}


def test_scores_are_kept_and_the_latest_is_on_the_firm(any_store):
    _graph(any_store)
    any_store.save_model("m-1", {"name": "test model"})
    for when, pd in (("2026-01-01T00:00:00+00:00", 0.1), ("2026-02-01T00:00:00+00:00", 0.2)):
        any_store.save_scores("m-1", [{"firm_id": "A", "properties": {
            "id": f"s-{pd}", "pd": pd, "score": 500, "grade": "9", "scored_at": when, "mode": "batch"}}])
    assert any_store.latest_score("A")["pd"] == 0.2
    assert any_store.firm_with_ties("A", 10).properties["pd"] == 0.2
    assert any_store.latest_score("B") is None
    counts = any_store.counts_by_type()
    assert counts[("node", "Score")] == 2 and counts[("relationship", "SCORED_BY")] == 2

