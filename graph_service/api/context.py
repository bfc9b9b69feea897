"""What a request handler needs from the app: the store, the settings, the caller, the model."""

from __future__ import annotations

from flask import current_app, g

from graph_service.errors import StoreUnavailable
from graph_service.services.api_keys import Principal
from graph_service.services.audit_trail import AuditTrail
from graph_service.settings import Settings
from graph_service.store.port import GraphStore


def store() -> GraphStore:
    return current_app.extensions["trustnet"]["store"]


def settings() -> Settings:
    return current_app.extensions["trustnet"]["settings"]


def audit_trail() -> AuditTrail:
    return current_app.extensions["trustnet"]["audit_trail"]


def principal() -> Principal:
    return g.principal


def request_id() -> str:
    return g.request_id


class ModelUnavailable(StoreUnavailable):
    """No trained model to serve yet (503 until `trustnet train` has run)."""


def trained_model():
    """The model models/current names, loaded once and again whenever `current` changes."""
    try:
        from graph_service.services.scoring import CURRENT, current_model, settle_for_serving
    except ImportError as exc:
        raise ModelUnavailable(f"scoring is not installed ({exc.name}): pip install 'trustnet[gnn]'") from None

    state = current_app.extensions["trustnet"]
    pointer = settings().models_dir / CURRENT
    try:
        version = pointer.read_text().strip()
    except FileNotFoundError:
        raise ModelUnavailable("no trained model: run `trustnet train`") from None
    loaded = state.get("model")
    if loaded is None or loaded.version != version:
        with state["model_lock"]:
            loaded = state.get("model")
            if loaded is None or loaded.version != version:
                loaded = state["model"] = current_model(settings().models_dir)
                settle_for_serving()
    return loaded
