"""Domain errors as HTTP answers (api/problems.py): the listed ones by their status, any other as a 500
that names no internals and is logged with its traceback. No Neo4j needed: the routes raise."""

from __future__ import annotations

import logging

import pytest

from graph_service.api import create_app
from graph_service.api.problems import STATUS_OF, status_of
from graph_service.core import errors
from graph_service.core.errors import NotFound, StoreUnavailable, TrustNetError


class Surprise(TrustNetError):
    """A TrustNetError the table does not list."""


class Gone(NotFound):
    """A subclass of a listed error."""


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def client(settings):
    app = create_app(settings, store=object())  # these routes never reach the store

    def raise_it(kind):
        error = {"surprise": Surprise("secret internals at /srv/trustnet"), "gone": Gone("no firm with id 'F1'"),
                 "busy": StoreUnavailable("Neo4j is unavailable: refused")}[kind]
        raise error

    app.add_url_rule("/boom/<kind>", "boom", raise_it)
    return app.test_client()


def test_an_unlisted_trustnet_error_answers_500_problem_json_and_is_logged(client):
    records = _Records()
    logger = logging.getLogger("trustnet.api")
    logger.addHandler(records)
    try:
        response = client.get("/boom/surprise", headers={"X-Request-ID": "req-500"})
    finally:
        logger.removeHandler(records)
    assert response.status_code == 500 and response.content_type == "application/problem+json"
    body = response.json
    assert body["status"] == 500 and body["title"] == "Internal Server Error" and body["instance"] == "/boom/surprise"
    assert "secret" not in body["detail"] and "Surprise" not in body["detail"] and "req-500" in body["detail"]
    [record] = [r for r in records.records if r.levelno == logging.ERROR]
    assert record.exc_info and record.exc_info[0] is Surprise


def test_listed_errors_and_their_subclasses_keep_their_status(client):
    gone = client.get("/boom/gone")
    assert gone.status_code == 404 and gone.json["detail"] == "no firm with id 'F1'"
    busy = client.get("/boom/busy")
    assert busy.status_code == 503 and busy.content_type == "application/problem+json"


SERVER_FAULTS = {TrustNetError, errors.LocalNeo4jError}  # never the client's doing: 500


def test_every_domain_error_is_either_listed_or_a_server_fault():
    """A new error class in core/errors.py must be placed: in STATUS_OF, or here."""
    assert all(status_of(kind()) is None for kind in SERVER_FAULTS) and status_of(Surprise()) is None
    domain = {kind for kind in vars(errors).values() if isinstance(kind, type) and issubclass(kind, TrustNetError)}
    assert domain - SERVER_FAULTS == set(STATUS_OF)


UNREADABLE_BODIES = {"malformed": b'{"rows": [', "nul": b"\x00", "not utf-8": b"\xff\xfe{",
                     "nested too deep": b"[" * 5000 + b"]" * 5000,
                     "a 5,000-digit number": b'{"rows": [{"id": "X", "declared_revenue": 1' + b"0" * 5000 + b"}]}"}


@pytest.mark.parametrize("body", UNREADABLE_BODIES.values(), ids=UNREADABLE_BODIES.keys())
@pytest.mark.parametrize("path", ["/v1/ingest/nodes/Firm", "/v1/scores", "/v1/stress-tests"])
def test_a_body_that_cannot_be_read_is_a_400_problem_that_says_so(settings, path, body):
    from graph_service.adapters.memory import MemoryStore
    from graph_service.services.api_keys import create_key

    store = MemoryStore()
    token, _ = create_key(store, "admin", "tests", None)
    response = create_app(settings, store=store).test_client().post(
        path, data=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                  "Idempotency-Key": "k"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.json["errors"] == [{"location": "json", "field": "(body)", "message": "Invalid JSON body."}]


def test_an_address_flooding_made_up_keys_gets_429_before_any_key_is_looked_up(settings):
    """Over its failed-authentication rate an address is refused at once; a real key from another
    address is answered as usual."""
    from dataclasses import replace

    from graph_service.adapters.memory import MemoryStore
    from graph_service.services.api_keys import create_key

    class CountingStore(MemoryStore):
        lookups = 0

        def api_key(self, key_id):
            CountingStore.lookups += 1
            return super().api_key(key_id)

    store = CountingStore()
    token, _ = create_key(store, "investigator", "tests", None)
    client = create_app(replace(settings, api_workers=1, api_failed_auth_rate=5), store=store).test_client()
    attacker = {"REMOTE_ADDR": "192.0.2.7"}
    answers = [client.get("/v1/model", headers={"Authorization": f"Bearer tn_made{i}_up"}, environ_base=attacker)
               for i in range(40)]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert answers[-1].mimetype == "application/problem+json" and int(answers[-1].headers["Retry-After"]) >= 1
    assert CountingStore.lookups <= 6  # the keys after the limit were never looked up
    own = client.get("/v1/model", headers={"Authorization": f"Bearer {token}"},
                     environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert own.status_code in (200, 503)  # 503: no trained model in this empty store; never 401 or 429
