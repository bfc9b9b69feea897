// A guarantor's direct guarantees: each loan, its borrower with the latest network PD, and its bank
MATCH (g:{{label}} {id: $guarantor_id})
OPTIONAL MATCH (g)-[gr:GUARANTEES]->(l:Loan)
OPTIONAL MATCH (bank:Bank)-[:GRANTED]->(l)
OPTIONAL MATCH (borrower:Firm)-[:BORROWED]->(l)
WITH g, gr, l, bank, borrower
WHERE l IS NULL OR $bank_id IS NULL OR bank.id = $bank_id
RETURN g.id AS guarantor_id, g.name AS guarantor_name,
       collect(CASE WHEN l IS NULL THEN NULL ELSE {
         loan_id: l.id, status: l.status, amount: l.amount, outstanding: l.outstanding, issued: l.issued,
         guaranteed: gr.amount, bank_id: bank.id, borrower_id: borrower.id, borrower_name: borrower.name,
         borrower_pd: borrower.pd, borrower_grade: borrower.grade, borrower_sector: borrower.sector,
         borrower_region: borrower.region} END) AS guarantees
