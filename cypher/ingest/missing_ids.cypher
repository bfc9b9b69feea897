// Which of these ids have no node of one label
UNWIND $ids AS id
OPTIONAL MATCH (n:{{label}} {id: id})
WITH id, n
WHERE n IS NULL
RETURN collect(id) AS missing
