// Claim an idempotency key for a batch: returns the batch already there, or nothing if this call claimed it
// A pending claim last renewed (or made, if never renewed) before $stale_before is taken over: its writer is gone.
MERGE (b:IngestBatch {id: $batch_id})
ON CREATE SET b += $properties, b.claimed_now = true
// Writing takes the node's lock, so a concurrent claim waits here and then reads what this one wrote.
SET b.claim_lock = true
REMOVE b.claim_lock
WITH b, coalesce(b.claimed_now, false) AS created
WITH b, created,
     coalesce(NOT created AND b.status = "pending"
              AND coalesce(b.renewed_at, b.created_at) < $stale_before, false) AS stale
FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END | SET b += $properties, b.renewed_at = null)
REMOVE b.claimed_now
RETURN created OR stale AS claimed, properties(b) AS batch
