// For each firm: when it was last loaded, and its latest score
UNWIND $firm_ids AS firm_id
MATCH (f:Firm {id: firm_id})
CALL (f) {
  OPTIONAL MATCH (f)-[:HAS_SCORE]->(s:Score)
  RETURN s
  ORDER BY s.scored_at DESC
  LIMIT 1
}
RETURN f.id AS firm_id, f.last_loaded_at AS last_loaded_at, properties(s) AS score
