"""The audit trail: a request returns only once its events are committed; concurrent requests share
commits; a failed commit fails the requests that waited on it."""

import threading
import time

import pytest

from graph_service.core.errors import StoreUnavailable
from graph_service.runtime.audit_trail import AuditTrail
from graph_service.adapters.memory import MemoryStore


class SlowStore(MemoryStore):
    def __init__(self, fail: bool = False):
        super().__init__()
        self.commits = 0
        self.fail = fail

    def record_audit(self, events):
        time.sleep(0.02)  # a commit takes a while: requests queue behind it
        if self.fail:
            raise OSError("disk full")
        self.commits += 1
        super().record_audit(events)


def _event(n: int) -> dict:
    return {"id": f"e{n}", "served_at": n, "firm_id": "F", "key_id": "k"}


def test_every_event_is_committed_before_its_request_returns_and_commits_are_shared():
    store = SlowStore()
    trail = AuditTrail(store)
    seen_after_return = []

    def request(n):
        trail.record([_event(n)])
        seen_after_return.append(("AuditEvent", f"e{n}") in store.nodes)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen_after_return == [True] * 40
    assert len(store.audit_events(None, None, 0, 100)) == 40
    assert store.commits < 40  # queued events went out together


def test_a_failed_commit_fails_the_request_instead_of_serving_unrecorded():
    trail = AuditTrail(SlowStore(fail=True))
    with pytest.raises(StoreUnavailable, match="disk full"):
        trail.record([_event(1)])
