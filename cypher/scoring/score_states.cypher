// For each firm: when its facts last changed (loaded, or changed through the API), and its latest score
UNWIND $firm_ids AS firm_id
MATCH (f:Firm {id: firm_id})
CALL (f) {
  OPTIONAL MATCH (f)-[:HAS_SCORE]->(s:Score)
  RETURN s
  ORDER BY s.scored_at DESC
  LIMIT 1
}
RETURN f.id AS firm_id,
       CASE WHEN f.changed_at IS NOT NULL AND (f.last_loaded_at IS NULL OR f.changed_at > f.last_loaded_at)
            THEN f.changed_at ELSE f.last_loaded_at END AS changed_at,
       properties(s) AS score
