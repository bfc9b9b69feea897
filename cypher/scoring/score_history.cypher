// A firm's scores, newest first
MATCH (:Firm {id: $firm_id})-[:HAS_SCORE]->(s:Score)
RETURN properties(s) AS score
ORDER BY s.scored_at DESC
LIMIT $limit
