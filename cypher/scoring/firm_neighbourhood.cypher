// A firm's bounded neighbourhood for on-demand scoring: all ties to 2 hops (capped fan-out), plus loans
MATCH (f:Firm {id: $firm_id})
// OPTIONAL: a firm with no ties yet keeps its row (a plain CALL returning nothing would drop it).
OPTIONAL CALL (f) {
  MATCH (f)-[r]-(n)
  WHERE NOT n:Score AND NOT n:Model
  RETURN r AS r1, n AS n1
  ORDER BY type(r1), n1.id
  LIMIT $fanout_1
}
WITH f, collect(r1) AS rels_1, collect(DISTINCT n1) AS hop_1
CALL (hop_1) {
  UNWIND hop_1 AS a
  CALL (a) {
    MATCH (a)-[r]-(m)
    WHERE NOT m:Score AND NOT m:Model
    RETURN r AS r2, m AS n2
    ORDER BY type(r2), n2.id
    LIMIT $fanout_2
  }
  RETURN collect(r2) AS rels_2, collect(DISTINCT n2) AS hop_2
}
WITH f, rels_1, rels_2, hop_1, hop_2
CALL (hop_2) {
  UNWIND hop_2 AS b
  OPTIONAL MATCH (b:Firm)-[r:BORROWED]->(loan:Loan)
  RETURN collect(r) AS rels_3, collect(DISTINCT loan) AS hop_3
}
WITH [f] + hop_1 + hop_2 + hop_3 AS nodes, rels_1 + rels_2 + rels_3 AS rels
UNWIND nodes AS n
WITH collect(DISTINCT n) AS nodes, rels
// A firm with no ties yet still gives its row: unwinding [null] keeps it, and collect skips the null.
UNWIND CASE WHEN rels = [] THEN [null] ELSE rels END AS r
WITH nodes, collect(DISTINCT r) AS rels
// Lineage is left out: its time-zoned datetimes cost more to send and decode than everything else.
RETURN [n IN nodes | {label: [l IN labels(n) WHERE NOT l IN $display_labels][0], id: n.id,
                      properties: n {.*, first_loaded_at: null, last_loaded_at: null, source: null, changed_at: null}}] AS nodes,
       [r IN rels | {type: type(r), from_label: [l IN labels(startNode(r)) WHERE NOT l IN $display_labels][0], from_id: startNode(r).id,
                     to_label: [l IN labels(endNode(r)) WHERE NOT l IN $display_labels][0], to_id: endNode(r).id,
                     properties: r {.*, first_loaded_at: null, last_loaded_at: null, source: null, changed_at: null}}] AS rels
