"""Neo4j Community and Neo4j Browser run from Maven Central jars, without Docker."""
