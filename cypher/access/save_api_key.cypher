// Create an API key (only its hash is kept)
CREATE (k:ApiKey)
SET k = $key
