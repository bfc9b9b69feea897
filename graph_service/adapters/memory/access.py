"""AccessStore in memory."""

from __future__ import annotations

from datetime import datetime

from graph_service.adapters.memory.graph import MemoryGraph


class MemoryAccess(MemoryGraph):
    def save_api_key(self, key: dict) -> None:
        self.nodes[("ApiKey", key["id"])] = dict(key)

    def api_key(self, key_id: str) -> dict | None:
        key = self.nodes.get(("ApiKey", key_id))
        return dict(key) if key else None

    def api_keys(self) -> list[dict]:
        keys = [dict(p) for (label, _), p in self.nodes.items() if label == "ApiKey"]
        return sorted(keys, key=lambda k: (k["created_at"], k["id"]))

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> bool:
        key = self.nodes.get(("ApiKey", key_id))
        if key is None:
            return False
        key.setdefault("revoked_at", revoked_at)
        return True

    def node_exists(self, label: str, node_id: str) -> bool:
        return (label, node_id) in self.nodes

    def claim_ingest_batch(self, batch_id: str, properties: dict, stale_before: datetime | None = None) -> dict | None:
        earlier = self.nodes.get(("IngestBatch", batch_id))
        last_sign = None if earlier is None else earlier.get("renewed_at") or earlier.get("created_at")
        stale = (earlier is not None and stale_before is not None and earlier.get("status") == "pending"
                 and last_sign is not None and last_sign < stale_before)
        if earlier is not None and not stale:
            return dict(earlier)
        self.nodes[("IngestBatch", batch_id)] = {**properties, "id": batch_id}
        return None

    def renew_ingest_batch(self, batch_id: str, renewed_at: datetime) -> None:
        batch = self.nodes.get(("IngestBatch", batch_id))
        if batch is not None and batch.get("status") == "pending":
            batch["renewed_at"] = renewed_at

    def complete_ingest_batch(self, batch_id: str, report: str) -> None:
        self.nodes[("IngestBatch", batch_id)].update(report=report, status="done")

    def release_ingest_batch(self, batch_id: str) -> None:
        if self.nodes.get(("IngestBatch", batch_id), {}).get("status") == "pending":
            del self.nodes[("IngestBatch", batch_id)]

    def record_audit(self, events: list[dict]) -> None:
        for event in events:
            self.nodes[("AuditEvent", event["id"])] = dict(event)

    def audit_events(self, firm_id: str | None, key_id: str | None, skip: int, limit: int) -> list[dict]:
        events = [dict(p) for (label, _), p in self.nodes.items() if label == "AuditEvent"
                  and (firm_id is None or p.get("firm_id") == firm_id) and (key_id is None or p.get("key_id") == key_id)]
        events.sort(key=lambda e: e["id"])
        events.sort(key=lambda e: e["served_at"], reverse=True)
        return events[skip:skip + limit]
