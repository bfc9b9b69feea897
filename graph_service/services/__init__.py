"""Use cases as plain functions over the narrow store ports (core/ports.py): no Flask, no driver, no torch."""
