// The guarantees some firms give: each loan, its borrower (the first by id) and the banks that granted it
UNWIND $firm_ids AS firm_id
MATCH (g:Firm {id: firm_id})-[gr:GUARANTEES]->(l:Loan)
WITH g, gr, l, [(bank:Bank)-[:GRANTED]->(l) | bank.id] AS banks,
     [(borrower:Firm)-[:BORROWED]->(l) | borrower] AS borrowers
WITH g, gr, l, banks,
     reduce(first = null, b IN borrowers | CASE WHEN first IS NULL OR b.id < first.id THEN b ELSE first END) AS borrower
// Rows as lists, in the order of CHAIN_FIELDS in neo4j_store.py
RETURN [g.id, l.id, l.status, l.amount, l.outstanding, gr.amount, banks, borrower.id, borrower.pd] AS row
ORDER BY g.id, l.id
