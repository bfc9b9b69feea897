// Claim an idempotency key for a batch: returns the batch already there, or nothing if this call claimed it
MERGE (b:IngestBatch {id: $batch_id})
ON CREATE SET b += $properties, b.claimed_now = true
WITH b, coalesce(b.claimed_now, false) AS claimed
REMOVE b.claimed_now
RETURN claimed, properties(b) AS batch
