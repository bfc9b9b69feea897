// The guarantees some firms give: each loan, its borrower (the first by id) and the banks that granted it
UNWIND $firm_ids AS firm_id
MATCH (g:Firm {id: firm_id})-[gr:GUARANTEES]->(l:Loan)
CALL (l) {
  OPTIONAL MATCH (bank:Bank)-[:GRANTED]->(l)
  WITH bank ORDER BY bank.id
  RETURN collect(bank.id) AS banks
}
CALL (l) {
  OPTIONAL MATCH (borrower:Firm)-[:BORROWED]->(l)
  RETURN borrower ORDER BY borrower.id LIMIT 1
}
RETURN g.id AS guarantor_id, l.id AS loan_id, l.status AS status, l.amount AS amount, l.outstanding AS outstanding,
       gr.amount AS guaranteed, banks, borrower.id AS borrower_id, borrower.pd AS borrower_pd
ORDER BY guarantor_id, loan_id
