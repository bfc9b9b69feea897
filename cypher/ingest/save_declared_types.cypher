// Keep the types mapping files declared, so the ingestion API accepts them too
MERGE (d:DeclaredTypes {id: 'mappings'})
SET d.json = $json
