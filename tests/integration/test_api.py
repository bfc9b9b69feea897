"""The API against the real Neo4j loaded with the sample network: health, a firm's ties, problem+json,
OpenAPI, docs, and `trustnet serve`."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from graph_service.api import create_app
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.api_keys import create_key
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from tests.conftest import SAMPLE_DIR


@pytest.fixture
def client(neo4j_store, settings, tmp_path):
    load(neo4j_store, plan_load(SAMPLE_DIR, REFERENCE_MODEL, "sample"), tmp_path)
    client = create_app(settings, store=neo4j_store).test_client()
    token, _ = create_key(neo4j_store, "investigator", "skeleton tests")
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def test_health_reports_neo4j(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["neo4j"]["version"].startswith("5.26.")


def test_a_firm_comes_with_its_ties_bounded(client):
    response = client.get("/v1/firms/F00001?ties_limit=2")
    assert response.status_code == 200
    body = response.json
    assert body["id"] == "F00001" and body["properties"]["name"] == "Firm 00001"
    assert body["properties"]["founded"] == "1995-09-03"  # ISO dates, not RFC 822
    assert len(body["ties"]) == 2 and body["tie_count"] > 2 and body["ties_truncated"]
    assert {"type", "direction", "label", "id", "name", "properties"} <= set(body["ties"][0])


def test_an_unknown_firm_is_a_problem_document(client):
    response = client.get("/v1/firms/F99999")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["detail"] == "no firm with id 'F99999'"
    assert response.json["instance"] == "/v1/firms/F99999"


def test_a_bad_parameter_names_the_field(client):
    response = client.get("/v1/firms/F00001?ties_limit=100000")
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    [error] = response.json["errors"]
    assert error["field"] == "ties_limit" and error["location"] == "query"


def test_openapi_document_and_swagger_ui(client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/health", "/v1/firms/{firm_id}"} <= set(spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.data


def test_neo4j_down_is_503_not_a_hang(settings):
    from dataclasses import replace

    unreachable = replace(settings, neo4j_uri_override="bolt://127.0.0.1:9")
    started = time.monotonic()
    response = create_app(unreachable).test_client().get("/health")
    assert response.status_code == 503 and response.content_type == "application/problem+json"
    assert time.monotonic() - started < 15


def test_trustnet_serve_runs_gunicorn_and_logs_request_ids(neo4j_store, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TRUSTNET_API_PORT": str(port), "TRUSTNET_API_WORKERS": "1"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "trustnet"), "serve"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/health",
                                                 headers={"X-Request-ID": "probe-42"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    assert response.status == 200 and response.headers["X-Request-ID"] == "probe-42"
                    break
            except OSError:
                assert time.monotonic() < deadline, "trustnet serve did not answer /health"
                time.sleep(0.3)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Using worker: graph_service.api.http_worker.BufferingWorker" in output
    assert '"GET /health HTTP/1.1" 200' in output and "request_id=probe-42" in output


def test_a_wrong_method_says_which_are_allowed(client):
    response = client.post("/v1/firms/F00001")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]
