"""Operator tooling: the local Neo4j launcher and the headless-Chromium Browser screenshot (the only user of selenium)."""
