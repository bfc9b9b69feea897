"""Synthetic SME networks: the small sample shipped in data/sample/, written as the loaders' input files."""
