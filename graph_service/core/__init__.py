"""The shared core: errors, the graph model registry, domain types, the store ports, the snapshot read model, settings.

It imports nothing else of TrustNet; every other package may import it.
"""
