// Riskiest thin-file firms: no loan of their own, scored from their network alone
MATCH (f:Firm)
WHERE f.pd IS NOT NULL AND NOT (f)-[:BORROWED]->(:Loan)
RETURN f.id AS firm, f.name AS name, f.sector AS sector, f.region AS region,
       round(f.pd, 4) AS pd, f.score AS score, f.grade AS grade,
       COUNT { (f)-[:TRADES_WITH]-() } AS trade_ties, COUNT { (f)<-[:RECOMMENDS]-() } AS recommendations
ORDER BY f.pd DESC, f.id
LIMIT 25
