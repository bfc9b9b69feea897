// Merge a batch of relationships of one type between two labels; returns the lines written
UNWIND $rows AS row
MATCH (a:{{source_label}} {id: row.from_id})
MATCH (b:{{target_label}} {id: row.to_id})
MERGE (a)-[r:{{type}}]->(b)
ON CREATE SET r.first_loaded_at = $loaded_at
SET r += row.properties,
    r.source = $source,
    r.last_loaded_at = $loaded_at
RETURN collect(row.line) AS written
