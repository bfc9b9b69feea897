// Mark firms whose facts changed (themselves, a tie, or a loan they borrowed), so their stored scores are not current
CALL () {
  UNWIND $firm_ids AS firm_id
  MATCH (f:Firm {id: firm_id})
  RETURN f
  UNION
  UNWIND $loan_ids AS loan_id
  MATCH (f:Firm)-[:BORROWED]->(:Loan {id: loan_id})
  RETURN f
}
SET f.changed_at = $changed_at
