"""The HTTP API: a Flask app factory with one flask-smorest blueprint per feature."""

from __future__ import annotations

import atexit
import logging
import threading
from datetime import date, datetime

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from graph_service.api import access, bodies, console, docs_assets
from graph_service.api.access import RateLimiter
from graph_service.api.problems import ProblemApi
from graph_service.services.api_keys import KeyRing
from graph_service.runtime.audit_trail import AuditTrail
from graph_service.core.settings import Settings
from graph_service.core.ports import GraphStore

API_TITLE = "TrustNet API"
API_VERSION = "v1"


class _IsoJSONProvider(DefaultJSONProvider):
    """Dates as ISO 8601 (Flask's default is RFC 822), as banks' systems expect."""

    @staticmethod
    def default(o):
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> Flask:
    """The app; without a store it opens one Neo4j driver for this process."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.json = _IsoJSONProvider(app)
    app.config.update(
        API_TITLE=API_TITLE,
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=docs_assets.ASSETS_URL,
        API_SPEC_OPTIONS={"info": {"description": "Network credit scores for small firms. See README.md."},
                          "security": [{"apiKey": []}]},
    )
    app.config["MAX_CONTENT_LENGTH"] = settings.api_max_body_bytes
    if store is None:
        store = _neo4j_store(settings)
    app.extensions["trustnet"] = {"store": store, "settings": settings, "model_lock": threading.Lock(),
                                  "network_lock": threading.Lock(),
                                  "audit_trail": AuditTrail(store)}
    _log_with_request_ids()
    keyring, limiter = KeyRing(store, settings.api_key_cache_s), RateLimiter(1 / settings.api_workers)
    access.install(app, keyring, limiter, settings.api_rate_limit, settings.api_failed_auth_rate)
    bodies.install(app)  # after authentication: a stranger's body is not read

    from graph_service.api import audit, browser, firms, guarantors, health, ingest, model, scores, stress

    api = ProblemApi(app)
    api.spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer",
                                                   "description": "An API key from `trustnet keys create`."})
    for blueprint in (health.blp, model.blp, scores.blp, firms.blp, guarantors.blp, stress.blp, ingest.blp, audit.blp,
                      browser.blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_assets.blp)  # not an API route: left out of the OpenAPI document
    console.install(app, keyring, limiter, settings)  # the web pages: not API routes either
    return app


def _log_with_request_ids() -> None:
    """TrustNet's log lines carry the request id (gunicorn's access log does too, see `trustnet serve`)."""
    logger = logging.getLogger("trustnet")
    if not any(isinstance(h, _TrustNetHandler) for h in logger.handlers):
        handler = _TrustNetHandler()
        handler.addFilter(access.RequestIdFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


class _TrustNetHandler(logging.StreamHandler):
    pass


def _neo4j_store(settings: Settings) -> GraphStore:
    from cypher.library import load_library
    from graph_service.adapters.neo4j_connection import create_driver
    from graph_service.adapters.neo4j_store import Neo4jStore

    # A request must fail fast when Neo4j is down, frozen or restarting: a 503 within about 1 s, not a
    # wait for half a minute of retries.
    driver = create_driver(settings, connect_timeout_s=1.0)
    atexit.register(driver.close)
    return Neo4jStore(driver, settings.neo4j_database, load_library(settings.cypher_dir), fail_fast=True)
