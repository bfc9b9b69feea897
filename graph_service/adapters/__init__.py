"""The store ports' adapters: Neo4j (the real one, the only module that imports `neo4j`), the in-memory
fake (memory/, a mixin per port), and a SnapshotSource over loader files (file_snapshot)."""
