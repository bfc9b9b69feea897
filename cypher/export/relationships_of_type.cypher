// Every relationship of one type with its ends and properties (for building a scoring snapshot)
MATCH (a)-[r:{{type}}]->(b)
RETURN labels(a)[0] AS from_label, a.id AS from_id, labels(b)[0] AS to_label, b.id AS to_id,
       properties(r) AS properties
ORDER BY from_label, from_id, to_label, to_id
