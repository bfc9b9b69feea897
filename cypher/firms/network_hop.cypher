// One hop of a network: for each node of the frontier (one label), its first $fanout ties by type, then id
UNWIND $ids AS node_id
MATCH (a:{{label}} {id: node_id})
CALL (a) {
  MATCH (a)-[r]-(b)
  WHERE NOT b:Score AND NOT b:Model
  RETURN r, b
  ORDER BY type(r), b.id
  LIMIT $fanout
}
RETURN type(r) AS type, [l IN labels(startNode(r)) WHERE NOT l IN $display_labels][0] AS from_label, startNode(r).id AS from_id,
       [l IN labels(endNode(r)) WHERE NOT l IN $display_labels][0] AS to_label, endNode(r).id AS to_id,
       r {.*, first_loaded_at: null, last_loaded_at: null, source: null} AS properties,
       [l IN labels(b) WHERE NOT l IN $display_labels][0] AS label, b.id AS id, b.name AS name, b.pd AS pd, b.grade AS grade
