// An ingestion batch already taken under an idempotency key
MATCH (b:IngestBatch {id: $batch_id})
RETURN properties(b) AS batch
