// Firms whose sources disagree: declared revenue far from what tax records or utility usage imply
MATCH (f:Firm)
WHERE f.declared_revenue > 0 AND f.tax_revenue > 0
WITH f, f.declared_revenue / f.tax_revenue AS declared_over_tax
WHERE declared_over_tax > 2.0 OR declared_over_tax < 0.5
RETURN f.id AS firm, f.name AS name, f.declared_revenue AS declared_revenue, f.tax_revenue AS tax_revenue,
       round(declared_over_tax, 2) AS declared_over_tax, f.utility_usage AS utility_usage,
       round(f.pd, 4) AS pd, f.grade AS grade
ORDER BY abs(log(declared_over_tax)) DESC, f.id
LIMIT 25
