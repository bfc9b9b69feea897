// Merge a batch of nodes of one label on their id, keeping source and load dates
UNWIND $rows AS row
MERGE (n:{{label}} {id: row.id})
ON CREATE SET n.first_loaded_at = $loaded_at
SET n += row.properties,
    n.source = $source,
    n.last_loaded_at = $loaded_at
