// A firm and its direct ties in the network (bounded by $limit; its Score nodes are not ties)
MATCH (f:Firm {id: $firm_id})
CALL (f) {
  MATCH (f)-[r]-(other)
  WHERE NOT other:Score
  WITH r, other, CASE WHEN startNode(r) = f THEN 'out' ELSE 'in' END AS direction
  ORDER BY type(r), other.id, direction
  LIMIT $limit
  RETURN collect({
    type: type(r),
    direction: direction,
    label: [l IN labels(other) WHERE NOT l IN $display_labels][0],
    id: other.id,
    name: other.name,
    properties: properties(r)
  }) AS ties
}
RETURN properties(f) AS firm, ties, COUNT { (f)--(other) WHERE NOT other:Score } AS tie_count
