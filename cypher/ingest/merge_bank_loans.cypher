// Merge a bank's loans with its GRANTED ties, in one transaction; a loan another bank granted is left alone
MATCH (b:Bank {id: $bank_id})
UNWIND $rows AS row
MERGE (l:Loan {id: row.id})
ON CREATE SET l.first_loaded_at = $loaded_at
// Writing takes the loan's lock: a second bank posting the same new loan waits here, then sees this one's tie.
SET l.lender_lock = true
REMOVE l.lender_lock
WITH b, l, row
OPTIONAL MATCH (other:Bank)-[:GRANTED]->(l)
WHERE other.id <> $bank_id
WITH b, l, row, count(other) AS others
WHERE others = 0
SET l += row.properties,
    l.source = $source,
    l.last_loaded_at = $loaded_at
MERGE (b)-[g:GRANTED]->(l)
ON CREATE SET g.first_loaded_at = $loaded_at, g.source = $source, g.last_loaded_at = $loaded_at
RETURN collect(row.line) AS written
