// Every relationship of one type with its ends and properties, lineage left out (for a scoring snapshot)
MATCH (a)-[r:{{type}}]->(b)
RETURN [l IN labels(a) WHERE NOT l IN $display_labels][0] AS from_label, a.id AS from_id, [l IN labels(b) WHERE NOT l IN $display_labels][0] AS to_label, b.id AS to_id,
       r {.*, first_loaded_at: null, last_loaded_at: null, source: null} AS properties
ORDER BY from_label, from_id, to_label, to_id
