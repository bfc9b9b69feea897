// Remove earlier guarantee-pattern flags from every firm ($cleared maps each flag to null)
MATCH (f:Firm)
WHERE any(name IN keys($cleared) WHERE f[name] IS NOT NULL)
SET f += $cleared
