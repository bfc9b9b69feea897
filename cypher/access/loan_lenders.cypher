// For each of these loans that exists: the banks that granted it
UNWIND $loan_ids AS loan_id
MATCH (l:Loan {id: loan_id})
OPTIONAL MATCH (b:Bank)-[:GRANTED]->(l)
RETURN loan_id, collect(b.id) AS banks
