// What changed since the last scoring run: firms loaded, posted or re-tied after their latest score
MATCH (f:Firm)
WITH f, coalesce(f.changed_at, f.last_loaded_at) AS changed
WHERE f.scored_at IS NULL OR changed > f.scored_at
RETURN f.id AS firm, f.name AS name, changed, f.scored_at AS scored_at, f.model_version AS model_version,
       f.scored_at IS NULL AS never_scored
ORDER BY changed DESC, f.id
LIMIT 50
