// A firm's neighbourhood with scores: its trade partners, recommenders, guarantors and loans ($firm_id)
MATCH (f:Firm {id: $firm_id})
OPTIONAL MATCH (f)-[r]-(n)
WHERE NOT n:Score
WITH f, r, n
ORDER BY coalesce(n.pd, 0) DESC
LIMIT 60
OPTIONAL MATCH (n)<-[g:GUARANTEES]-(guarantor)
RETURN f, r, n, g, guarantor
