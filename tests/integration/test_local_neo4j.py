"""The local Neo4j that `trustnet neo4j start` runs: real, loopback only, authenticated."""

import urllib.request
from dataclasses import replace

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError

from graph_service.core.errors import LocalNeo4jError
from graph_service.tooling.local_neo4j import server


def test_the_test_server_is_neo4j_community_5_26(neo4j_session_store):
    info = neo4j_session_store.server_info()
    assert info.version.startswith("5.26.") and info.edition == "community"


def test_it_listens_on_loopback_with_authentication_on(settings, neo4j_session_store):
    conf = (settings.neo4j_home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert "dbms.security.auth_enabled=true" in conf
    with GraphDatabase.driver(settings.neo4j_uri, auth=("neo4j", "wrong-password")) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()


def test_the_store_logs_and_credentials_are_readable_by_their_owner_only(settings, neo4j_session_store):
    neo4j_session_store.graph_counts()  # the server has written its store and logs by now
    home = settings.neo4j_home
    assert home.stat().st_mode & 0o077 == 0
    shared = [str(p.relative_to(home)) for sub in ("conf", "data", "logs", "run")
              for p in (home / sub).rglob("*") if not p.is_symlink() and p.lstat().st_mode & 0o077]
    assert shared == []
    assert any((home / "data").rglob("auth.ini")) and any((home / "data" / "transactions").rglob("*"))


def test_browser_is_served(settings, neo4j_session_store):
    with urllib.request.urlopen(f"http://127.0.0.1:{settings.neo4j_http_port}/browser/", timeout=10) as response:
        assert response.status == 200
        assert "Neo4j Browser" in response.read().decode()


def test_starting_again_is_idempotent(settings, neo4j_session_store):
    before = server.status(settings)
    after = server.start(settings)
    assert after.running and after.pid == before.pid


def test_missing_maven_points_to_docker_compose(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no java, no mvn
    elsewhere = replace(settings, state_dir=tmp_path)
    with pytest.raises(LocalNeo4jError, match="`mvn` is not on PATH.*docker compose"):
        server.fetch(elsewhere)
