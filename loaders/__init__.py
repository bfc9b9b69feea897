"""Reading partners' files: formats, mapping files, row validation. No driver here.

The ingest service (graph_service/services/ingest.py) feeds what these produce to the store.
"""
