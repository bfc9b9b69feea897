"""What a request handler needs from the app: the store, the settings, the caller, the model."""

from __future__ import annotations

from flask import current_app, g

from graph_service.core.errors import StoreUnavailable
from graph_service.services.api_keys import Principal
from graph_service.runtime.audit_trail import AuditTrail
from graph_service.core.settings import Settings
from graph_service.core.ports import GraphStore


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


def network_view():
    """The whole-network view for stress tests and patterns (see services/network_view.py)."""
    try:
        from graph_service.runtime.network_view import NetworkViewCache, build_network_view
    except ImportError as exc:
        raise ModelUnavailable(f"stress tests need the scoring extras ({exc.name}): "
                               "pip install 'trustnet[scoring]'") from None

    state = current_app.extensions["trustnet"]
    with state["network_lock"]:
        cache = state.get("network_view")
        if cache is None:
            app_store, config = store(), settings()
            cache = state["network_view"] = NetworkViewCache(
                lambda: build_network_view(app_store, config.loss_given_default),
                config.network_refresh_s, config.network_wait_s)
    return cache.get()


def network_changed(type_name: str) -> None:
    """This process wrote nodes or ties of `type_name`: rebuild the network view on next use if it reads them."""
    cache = current_app.extensions["trustnet"].get("network_view")
    if cache is not None:
        from graph_service.runtime.network_view import LABELS, TYPES

        if type_name in LABELS or type_name in TYPES:
            cache.invalidate()
