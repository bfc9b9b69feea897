// Revoke an API key (the first revocation time is kept)
MATCH (k:ApiKey {id: $key_id})
SET k.revoked_at = coalesce(k.revoked_at, $revoked_at)
RETURN k.id AS id
