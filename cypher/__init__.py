"""The Cypher statements TrustNet runs, one per `.cypher` file, shipped with the package (see library.py)."""
