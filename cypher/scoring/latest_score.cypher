// The latest score of a firm
MATCH (:Firm {id: $firm_id})-[:HAS_SCORE]->(s:Score)
RETURN properties(s) AS score
ORDER BY s.scored_at DESC
LIMIT 1
