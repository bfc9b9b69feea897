"""AccessStore's contract (API keys, idempotent ingestion batches, the audit trail): the same on the
fake and on Neo4j."""

from datetime import datetime, timedelta, timezone

from tests.contract.graphs import T


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


def test_a_pending_claim_whose_writer_died_is_taken_over_after_its_lease(any_store):
    """A claim is stamped created_at; a pending one made before stale_before is claimed again."""
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    dead = {"digest": "a", "status": "pending", "created_at": now - timedelta(minutes=5)}
    assert any_store.claim_ingest_batch("k:dead", dead) is None
    retry = {"digest": "a", "status": "pending", "created_at": now}
    assert any_store.claim_ingest_batch("k:dead", retry, now - timedelta(seconds=60)) is None
    # The retry's claim is fresh: a third call within the lease sees it pending, not stale.
    third = any_store.claim_ingest_batch("k:dead", {**retry, "created_at": now}, now - timedelta(seconds=60))
    assert third["status"] == "pending" and third["created_at"] == now
    # A finished batch is never taken over, however old.
    any_store.complete_ingest_batch("k:dead", "{}")
    assert any_store.claim_ingest_batch("k:dead", retry, now + timedelta(days=1))["status"] == "done"


def test_audit_events_newest_first_filtered_and_paged(any_store):
    any_store.record_audit([
        {"id": f"e{i}", "served_at": T + timedelta(minutes=i), "firm_id": "A" if i % 2 else "B", "key_id": "k",
         "request_id": "r", "role": "bank", "score_id": "s", "model_version": "m", "served": "stored"}
        for i in range(5)])
    assert [e["id"] for e in any_store.audit_events(None, None, 0, 10)] == ["e4", "e3", "e2", "e1", "e0"]
    assert [e["id"] for e in any_store.audit_events("A", None, 0, 10)] == ["e3", "e1"]
    assert [e["id"] for e in any_store.audit_events(None, "k", 1, 2)] == ["e3", "e2"]
    assert any_store.audit_events(None, "other", 0, 10) == []


def test_a_claim_renewed_by_a_live_writer_is_not_taken_over_until_renewals_stop(any_store):
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    first = {"digest": "a", "status": "pending", "created_at": now - timedelta(minutes=5)}
    assert any_store.claim_ingest_batch("k:live", first) is None
    any_store.renew_ingest_batch("k:live", now - timedelta(seconds=3))
    retry = {"digest": "a", "status": "pending", "created_at": now}
    kept = any_store.claim_ingest_batch("k:live", retry, now - timedelta(seconds=10))
    assert kept is not None and kept["created_at"] == first["created_at"]
    assert any_store.claim_ingest_batch("k:live", retry, now + timedelta(seconds=1)) is None  # renewals stopped
    again = any_store.claim_ingest_batch("k:live", retry, now - timedelta(seconds=10))
    assert again is not None and again["created_at"] == now and again.get("renewed_at") is None
    any_store.complete_ingest_batch("k:live", "{}")
    any_store.renew_ingest_batch("k:live", now + timedelta(seconds=5))  # a late renewal of a finished batch
    assert any_store.claim_ingest_batch("k:live", retry, now)["status"] == "done"
    assert "renewed_at" not in any_store.claim_ingest_batch("k:live", retry, now)
    any_store.renew_ingest_batch("k:missing", now)  # nothing to renew: no error
