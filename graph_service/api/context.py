"""What a request handler needs from the app: the store and the settings."""

from flask import current_app

from graph_service.settings import Settings
from graph_service.store.port import GraphStore


def store() -> GraphStore:
    return current_app.extensions["trustnet"]["store"]


def settings() -> Settings:
    return current_app.extensions["trustnet"]["settings"]
