// Of these loans, those some other bank granted
UNWIND $loan_ids AS loan_id
MATCH (b:Bank)-[:GRANTED]->(:Loan {id: loan_id})
WHERE b.id <> $bank_id
RETURN DISTINCT loan_id
