// Whether a node of a label exists
MATCH (n:{{label}} {id: $id})
RETURN count(n) > 0 AS exists
