// A guarantor's direct guarantees: each loan, its borrower with the latest network PD, and its bank(s)
MATCH (g:{{label}} {id: $guarantor_id})
OPTIONAL MATCH (g)-[gr:GUARANTEES]->(l:Loan)
WITH g, gr, l, [(bank:Bank)-[:GRANTED]->(l) | bank.id] AS banks,
     [(borrower:Firm)-[:BORROWED]->(l) | borrower] AS borrowers
WHERE l IS NULL OR $bank_id IS NULL OR $bank_id IN banks
// The first bank and borrower by id (a loan normally has one of each)
WITH g, gr, l, reduce(first = null, b IN banks | CASE WHEN first IS NULL OR b < first THEN b ELSE first END) AS bank_id,
     reduce(first = null, b IN borrowers | CASE WHEN first IS NULL OR b.id < first.id THEN b ELSE first END) AS borrower
// Rows as lists, in the order of GUARANTEE_FIELDS in neo4j_store.py: a third of the bytes of maps.
RETURN g.id AS guarantor_id, g.name AS guarantor_name,
       collect(CASE WHEN l IS NULL THEN NULL ELSE [
         l.id, l.status, l.amount, l.outstanding, toString(l.issued), gr.amount, coalesce($bank_id, bank_id),
         borrower.id, borrower.name, borrower.pd, borrower.grade, borrower.sector, borrower.region] END) AS guarantees
