"""A keyed API batch that takes longer than the claim's lease keeps its claim by renewing it, so a
duplicate sent meanwhile is told to wait (409), not let in to write the batch a second time."""

import threading
import time

import pytest

from graph_service.adapters.memory import MemoryStore
from graph_service.core.errors import BatchInProgress
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.api_ingest import ingest_batch
from graph_service.services.api_keys import Principal

ADMIN = Principal("k1", "admin")
ROWS = [{"id": "F-SLOW", "name": "Slow Ltd"}]


class SlowStore(MemoryStore):
    def __init__(self, write_s: float):
        super().__init__()
        self.write_s = write_s
        self.writes = 0

    def merge_nodes(self, *args, **kwargs):
        self.writes += 1
        time.sleep(self.write_s)
        return super().merge_nodes(*args, **kwargs)


def test_a_batch_slower_than_its_lease_keeps_its_claim():
    store = SlowStore(write_s=4.0)
    first = threading.Thread(target=ingest_batch, args=(store, REFERENCE_MODEL, ADMIN, "node", "Firm", ROWS, "slow"),
                             kwargs={"claim_ttl_s": 3})
    first.start()
    time.sleep(3.4)  # past the lease since the claim was made, not since its last renewal
    with pytest.raises(BatchInProgress):
        ingest_batch(store, REFERENCE_MODEL, ADMIN, "node", "Firm", ROWS, "slow", claim_ttl_s=3)
    first.join()
    assert store.writes == 1
    report, replayed = ingest_batch(store, REFERENCE_MODEL, ADMIN, "node", "Firm", ROWS, "slow", claim_ttl_s=3)
    assert replayed and report["written"] == 1 and store.writes == 1
