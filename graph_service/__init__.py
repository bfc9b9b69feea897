"""TrustNet: a typed trust graph of small firms in Neo4j, and the services around it."""
