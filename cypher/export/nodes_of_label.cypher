// Every node of one label with its properties, lineage left out (for building a scoring snapshot)
MATCH (n:{{label}})
RETURN n.id AS id, n {.*, first_loaded_at: null, last_loaded_at: null, source: null, changed_at: null} AS properties
ORDER BY id
