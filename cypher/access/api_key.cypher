// One API key by its public id
MATCH (k:ApiKey {id: $key_id})
RETURN properties(k) AS key
