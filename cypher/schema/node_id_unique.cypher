// Unique id for one node label (template: {{label}} comes from the graph model registry)
CREATE CONSTRAINT {{label}}_id_unique IF NOT EXISTS
FOR (n:{{label}}) REQUIRE n.id IS UNIQUE
