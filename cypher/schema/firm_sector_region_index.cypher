// Index firms by sector and region (peer groups, investigator filters)
CREATE INDEX firm_sector_region IF NOT EXISTS
FOR (f:Firm) ON (f.sector, f.region)
