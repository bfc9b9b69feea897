// The types mapping files declared
MATCH (d:DeclaredTypes {id: 'mappings'})
RETURN d.json AS json
