// Count nodes, relationships and their properties
CALL () {
  MATCH (n)
  RETURN count(n) AS nodes, coalesce(sum(size(keys(n))), 0) AS node_properties
}
CALL () {
  MATCH ()-[r]->()
  RETURN count(r) AS relationships, coalesce(sum(size(keys(r))), 0) AS relationship_properties
}
RETURN nodes, node_properties, relationships, relationship_properties
