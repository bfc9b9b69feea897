// Guarantee circles: firms that guarantee each other's loans in a ring (flagged by `trustnet patterns`)
MATCH (f:Firm)
WHERE f.guarantee_circle_size > 0
MATCH path = (f)-[:GUARANTEES]->(:Loan)<-[:BORROWED]-(:Firm)
RETURN path
LIMIT 300
