"""Use cases as plain functions over the store port: no Flask, no driver."""
