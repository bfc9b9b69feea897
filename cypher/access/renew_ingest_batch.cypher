// A writer still at work on its pending batch renews its claim (a finished or released batch is left alone)
MATCH (b:IngestBatch {id: $batch_id})
WHERE b.status = "pending"
SET b.renewed_at = $renewed_at
