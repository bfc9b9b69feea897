// Set derived properties on nodes of one label (track records and the like), one row per node
UNWIND $rows AS row
MATCH (n:{{label}} {id: row.id})
SET n += row.properties
