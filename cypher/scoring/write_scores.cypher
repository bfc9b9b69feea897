// Write a batch of scores: a Score node per firm, linked to the firm and the model, latest on the firm (with its risk band's label)
MATCH (m:Model {id: $version})
UNWIND $rows AS row
MATCH (f:Firm {id: row.firm_id})
CREATE (s:Score)
SET s = row.properties
CREATE (f)-[:HAS_SCORE]->(s)
CREATE (s)-[:SCORED_BY]->(m)
SET f.pd = row.properties.pd,
    f.score = row.properties.score,
    f.grade = row.properties.grade,
    f.scored_at = row.properties.scored_at,
    f.model_version = $version
REMOVE f:$($bands)
FOREACH (band IN CASE WHEN row.band IS NULL THEN [] ELSE [row.band] END | SET f:$(band))
RETURN count(s) AS written
