// What changed since the last scoring run: firms loaded, posted or re-tied after their latest score
MATCH (f:Firm)
WITH f, [stamp IN [f.changed_at, f.last_loaded_at] WHERE stamp IS NOT NULL] AS stamps
WITH f, reduce(latest = null, stamp IN stamps | CASE WHEN latest IS NULL OR stamp > latest THEN stamp ELSE latest END)
     AS changed
WHERE f.scored_at IS NULL OR changed > datetime(f.scored_at)
RETURN f.id AS firm, f.name AS name, changed, f.scored_at AS scored_at, f.model_version AS model_version,
       f.scored_at IS NULL AS never_scored
ORDER BY changed DESC, f.id
LIMIT 50
