// Recommenders with a poor track record: chambers and markets whose recommended firms fare no better than chance
MATCH (r)
WHERE (r:Chamber OR r:Market) AND r.track_known > 0
RETURN labels(r)[0] AS recommender, r.id AS id, r.name AS name,
       r.track_recommended AS recommended, r.track_known AS with_outcome, r.track_defaulted AS defaulted,
       round(r.track_default_rate, 4) AS default_rate,
       round(r.track_rate_low, 4) AS rate_low_95, round(r.track_rate_high, 4) AS rate_high_95,
       round(r.track_base_rate, 4) AS network_rate, r.track_poor = 1 AS poor
ORDER BY r.track_poor DESC, r.track_default_rate DESC, r.id
LIMIT 25
