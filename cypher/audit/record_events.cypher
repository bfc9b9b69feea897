// Record served scores in the audit trail
UNWIND $events AS event
CREATE (e:AuditEvent)
SET e = event
