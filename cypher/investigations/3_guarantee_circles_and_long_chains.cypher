// Guarantee circles and long chains: firms backing each other's loans in rings, or in runs of 3 or more
MATCH (f:Firm)
WHERE f.guarantee_circle_size > 0 OR f.guarantee_chain_depth >= 3
MATCH path = (f)-[:GUARANTEES]->(:Loan)<-[:BORROWED]-(:Firm)
RETURN path
ORDER BY f.guarantee_circle_size DESC, f.guarantee_chain_depth DESC, f.id
LIMIT 300
