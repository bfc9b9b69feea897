// Index loans by status (outcomes are the labels the models learn from)
CREATE INDEX loan_status IF NOT EXISTS
FOR (l:Loan) ON (l.status)
