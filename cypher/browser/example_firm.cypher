// The firm the Browser guide's examples look at: the riskiest scored firm, one whose score gives evidence first
RETURN COLLECT {
  MATCH (f:Firm)-[:HAS_SCORE]->(s:Score)
  WHERE f.pd IS NOT NULL AND s.scored_at = f.scored_at
  RETURN f.id
  ORDER BY size(coalesce(s.evidence_ids, [])) > 0 DESC, f.pd DESC, f.id
  LIMIT 1
}[0] AS firm_id
