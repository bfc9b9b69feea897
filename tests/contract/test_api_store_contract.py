"""What the API needs from the store (keys, audit, idempotent batches, score states, network hops,
guarantees): the same on the fake and on Neo4j."""

from datetime import date, datetime, timedelta, timezone

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _row(node_id, **properties):
    return {"id": node_id, "properties": properties, "line": 1}


def _rel(from_id, to_id, **properties):
    return {"from_id": from_id, "to_id": to_id, "properties": properties, "line": 1}


def test_api_keys_are_kept_listed_and_revoked_once(any_store):
    for n, key_id in enumerate(("k2", "k1")):
        any_store.save_api_key({"id": key_id, "hash": "h" + key_id, "role": "bank", "name": key_id,
                                "created_at": T + timedelta(seconds=n)})
    assert [k["id"] for k in any_store.api_keys()] == ["k2", "k1"]
    assert any_store.api_key("k1")["hash"] == "hk1" and any_store.api_key("nope") is None
    assert any_store.revoke_api_key("k1", T + timedelta(days=1))
    assert any_store.revoke_api_key("k1", T + timedelta(days=2))
    assert any_store.api_key("k1")["revoked_at"] == T + timedelta(days=1)
    assert not any_store.revoke_api_key("nope", T)


def test_an_ingestion_batch_is_claimed_once_completed_or_released(any_store):
    pending = {"digest": "a", "status": "pending"}
    assert any_store.claim_ingest_batch("k:1", pending) is None
    assert any_store.claim_ingest_batch("k:1", {"digest": "b", "status": "pending"})["digest"] == "a"
    any_store.complete_ingest_batch("k:1", "{}")
    assert any_store.claim_ingest_batch("k:1", pending) == {"id": "k:1", "digest": "a", "status": "done", "report": "{}"}
    any_store.release_ingest_batch("k:1")  # only a pending claim is released
    assert any_store.claim_ingest_batch("k:1", pending)["status"] == "done"
    assert any_store.claim_ingest_batch("k:2", pending) is None
    any_store.release_ingest_batch("k:2")
    assert any_store.claim_ingest_batch("k:2", pending) is None


def test_audit_events_newest_first_filtered_and_paged(any_store):
    any_store.record_audit([
        {"id": f"e{i}", "served_at": T + timedelta(minutes=i), "firm_id": "A" if i % 2 else "B", "key_id": "k",
         "request_id": "r", "role": "bank", "score_id": "s", "model_version": "m", "served": "stored"}
        for i in range(5)])
    assert [e["id"] for e in any_store.audit_events(None, None, 0, 10)] == ["e4", "e3", "e2", "e1", "e0"]
    assert [e["id"] for e in any_store.audit_events("A", None, 0, 10)] == ["e3", "e1"]
    assert [e["id"] for e in any_store.audit_events(None, "k", 1, 2)] == ["e3", "e2"]
    assert any_store.audit_events(None, "other", 0, 10) == []


def _network(store):
    store.merge_nodes("Firm", [_row(i, name=f"Firm {i}") for i in ("A", "B", "C", "D")], "t", T)
    store.merge_nodes("Guarantor", [_row("G", name="G Co")], "t", T)
    store.merge_nodes("Bank", [_row("B1", name="Bank 1"), _row("B2", name="Bank 2")], "t", T)
    store.merge_nodes("Loan", [_row(i, amount=100.0, outstanding=80.0, status="current", issued=date(2025, 1, 1))
                               for i in ("L1", "L2")], "t", T)
    store.merge_relationships("TRADES_WITH", "Firm", "Firm", [_rel("A", "B", volume=1.0), _rel("C", "A", volume=2.0),
                                                              _rel("A", "D", volume=3.0)], "t", T)
    store.merge_relationships("GRANTED", "Bank", "Loan", [_rel("B1", "L1"), _rel("B2", "L2")], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan", [_rel("B", "L1"), _rel("C", "L2")], "t", T)
    store.merge_relationships("GUARANTEES", "Guarantor", "Loan", [_rel("G", "L1", amount=50.0),
                                                                  _rel("G", "L2", amount=70.0)], "t", T)


def test_a_network_hop_takes_the_first_ties_by_type_then_id(any_store):
    _network(any_store)
    rows = any_store.network_hop("Firm", ["A", "nobody"], 2)
    assert [(r["type"], r["from_id"], r["to_id"], r["id"], r["name"]) for r in rows] == [
        ("TRADES_WITH", "A", "B", "B", "Firm B"), ("TRADES_WITH", "C", "A", "C", "Firm C")]
    assert rows[0]["properties"] == {"volume": 1.0}


def test_direct_guarantees_for_everyone_or_one_bank(any_store):
    _network(any_store)
    # A loan two banks granted (a syndicate, or two sources disagreeing) is still one guarantee.
    any_store.merge_relationships("GRANTED", "Bank", "Loan", [_rel("B2", "L1")], "t", T)
    every = any_store.direct_guarantees("Guarantor", "G", None)
    assert every["guarantor_name"] == "G Co"
    assert sorted((g["loan_id"], g["bank_id"], g["borrower_id"], g["guaranteed"]) for g in every["guarantees"]) == [
        ("L1", "B1", "B", 50.0), ("L2", "B2", "C", 70.0)]
    for_b2 = any_store.direct_guarantees("Guarantor", "G", "B2")["guarantees"]
    assert sorted((g["loan_id"], g["bank_id"]) for g in for_b2) == [("L1", "B2"), ("L2", "B2")]
    assert [g["loan_id"] for g in any_store.direct_guarantees("Guarantor", "G", "B1")["guarantees"]] == ["L1"]
    assert any_store.direct_guarantees("Guarantor", "nobody", None) is None
    assert any_store.direct_guarantees("Firm", "A", None)["guarantees"] == []


def test_loan_lenders_and_node_existence(any_store):
    _network(any_store)
    any_store.merge_nodes("Loan", [_row("L-open", amount=1.0, status="current", issued=date(2025, 1, 1))], "t", T)
    assert any_store.loan_lenders(["L1", "L2", "L-open", "L-new"]) == {"L1": ["B1"], "L2": ["B2"], "L-open": []}
    assert any_store.node_exists("Bank", "B1") and not any_store.node_exists("Bank", "A")


def test_changed_firms_take_the_later_of_load_and_change(any_store):
    _network(any_store)
    later = T + timedelta(hours=1)
    any_store.mark_firms_changed(["A"], ["L2"], later)  # A itself; C through the loan it borrowed
    states = any_store.score_states(["A", "B", "C"])
    assert (states["A"][0], states["B"][0], states["C"][0]) == (later, T, later)


def test_score_states_give_the_load_time_and_the_latest_score(any_store):
    _network(any_store)
    any_store.save_model("m1", {"name": "test"})
    any_store.save_scores("m1", [{"firm_id": "A", "properties": {
        "id": "s1", "pd": 0.1, "score": 500, "grade": "9", "scored_at": "2026-02-01T00:00:00+00:00",
        "model_version": "m1"}}])
    states = any_store.score_states(["A", "B", "nobody"])
    assert set(states) == {"A", "B"}
    assert states["A"][0] == T and states["A"][1]["id"] == "s1"
    assert states["B"] == (T, None)
