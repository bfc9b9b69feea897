// Every node of one label with its properties (for building a scoring snapshot)
MATCH (n:{{label}})
RETURN n.id AS id, properties(n) AS properties
ORDER BY id
