"""The store ports' adapters: Neo4j (the real one, the only module that imports `neo4j`) and the in-memory fake."""
