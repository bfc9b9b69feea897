// Firms whose id is the text, or whose id or name contains it (case-insensitive): exact id first, then by name
MATCH (f:Firm)
WHERE f.id = $text OR toLower(f.id) CONTAINS toLower($text) OR (f.name IS NOT NULL AND toLower(f.name) CONTAINS toLower($text))
RETURN f.id AS id, f.name AS name, f.sector AS sector, f.region AS region, f.grade AS grade, f.pd AS pd
ORDER BY CASE WHEN f.id = $text THEN 0 ELSE 1 END, f.name, f.id
LIMIT $limit
