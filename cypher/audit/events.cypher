// Audit events, newest first, optionally for one firm or one key
MATCH (e:AuditEvent)
WHERE ($firm_id IS NULL OR e.firm_id = $firm_id) AND ($key_id IS NULL OR e.key_id = $key_id)
RETURN properties(e) AS event
ORDER BY e.served_at DESC, e.id
SKIP $skip
LIMIT $limit
