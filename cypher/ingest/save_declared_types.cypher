// Keep the types mapping files declared, so the ingestion API accepts them too
MERGE (d:DeclaredTypes {id: $id})
SET d.json = $json
