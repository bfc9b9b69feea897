// Record the answer to a claimed ingestion batch
MATCH (b:IngestBatch {id: $batch_id})
SET b.report = $report, b.status = "done"
