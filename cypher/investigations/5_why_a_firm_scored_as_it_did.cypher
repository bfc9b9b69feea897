// Why a firm scored as it did: its latest score, the reasons, and the ties given as evidence ($firm_id)
MATCH (f:Firm {id: $firm_id})-[has:HAS_SCORE]->(s:Score)
WITH f, has, s
ORDER BY s.scored_at DESC
LIMIT 1
OPTIONAL MATCH (f)-[r]-(n)
WHERE n.id IN coalesce(s.evidence_ids, [])
RETURN f, has, s, r, n
