// A guarantor's direct guarantees: each loan, its borrower with the latest network PD, and its bank(s)
MATCH (g:{{label}} {id: $guarantor_id})
OPTIONAL MATCH (g)-[gr:GUARANTEES]->(l:Loan)
CALL (l) {
  OPTIONAL MATCH (bank:Bank)-[:GRANTED]->(l)
  WITH bank ORDER BY bank.id
  RETURN collect(bank.id) AS banks
}
CALL (l) {
  OPTIONAL MATCH (borrower:Firm)-[:BORROWED]->(l)
  RETURN borrower ORDER BY borrower.id LIMIT 1
}
WITH g, gr, l, banks, borrower
WHERE l IS NULL OR $bank_id IS NULL OR $bank_id IN banks
RETURN g.id AS guarantor_id, g.name AS guarantor_name,
       collect(CASE WHEN l IS NULL THEN NULL ELSE {
         loan_id: l.id, status: l.status, amount: l.amount, outstanding: l.outstanding, issued: l.issued,
         guaranteed: gr.amount, bank_id: coalesce($bank_id, banks[0]), borrower_id: borrower.id,
         borrower_name: borrower.name, borrower_pd: borrower.pd, borrower_grade: borrower.grade,
         borrower_sector: borrower.sector, borrower_region: borrower.region} END) AS guarantees
