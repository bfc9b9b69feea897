// Remember an ingestion batch under its idempotency key; returns whether this call created it
MERGE (b:IngestBatch {id: $batch_id})
ON CREATE SET b += $properties, b.created = true
WITH b, b.created AS created
REMOVE b.created
RETURN created
