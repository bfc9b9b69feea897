"""The store port (port.py) and its adapters: Neo4j (the real one) and in-memory (unit tests)."""
