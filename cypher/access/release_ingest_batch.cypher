// Give up a claimed ingestion batch that failed, so the same key can be sent again
MATCH (b:IngestBatch {id: $batch_id, status: "pending"})
DELETE b
