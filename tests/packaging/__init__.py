"""packaging/: what ships. The Dockerfile's build context, the wheel's contents (no server), and a
non-editable install in a fresh virtual environment, run against the test Neo4j server."""
