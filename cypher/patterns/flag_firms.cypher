// Put guarantee-pattern flags on firms
UNWIND $rows AS row
MATCH (f:Firm {id: row.id})
SET f += row.properties
