// The types mapping files declared
MATCH (d:DeclaredTypes {id: $id})
RETURN d.json AS json
