"""One Neo4j driver per process, and waiting until a server accepts our login."""

from __future__ import annotations

import subprocess
import time

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graph_service.core.errors import LocalNeo4jError, StoreUnavailable
from graph_service.core.settings import Settings


def create_driver(settings: Settings, retry_s: float = 30.0, connect_timeout_s: float = 10.0) -> neo4j.Driver:
    """A pooled, thread-safe driver; managed transactions retry transient failures for retry_s.

    connect_timeout_s bounds opening a connection (TCP, Bolt handshake, login) and waiting for a free
    one. Reads on an open connection are bounded by the server's `connection.recv_timeout_seconds`
    hint, which the local server sets to 1 s (see tooling/local_neo4j/server.py)."""
    return neo4j.GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.require_password()),
        max_connection_pool_size=50,
        connection_timeout=connect_timeout_s,
        connection_acquisition_timeout=connect_timeout_s,
        max_transaction_retry_time=retry_s,
        # "Property key does not exist" on a young graph (no API key or audit event yet) is not news.
        notifications_disabled_classifications=[neo4j.NotificationDisabledClassification.UNRECOGNIZED],
    )


def wait_until_ready(
    settings: Settings, timeout_s: float, process: subprocess.Popen | None = None
) -> None:
    """Block until a Bolt login succeeds; a refused password fails at once with the reason."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    with create_driver(settings) as driver:
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise LocalNeo4jError(f"Neo4j exited with code {process.returncode} while starting")
            try:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1", database_=settings.neo4j_database)
                return
            except AuthError as exc:
                raise StoreUnavailable(
                    f"Neo4j at {settings.neo4j_uri} refused the password for {settings.neo4j_user!r} "
                    f"({exc.message}). A local server keeps the password it was first started with: "
                    f"set TRUSTNET_NEO4J_PASSWORD to it, or delete {settings.neo4j_home / 'data'} to start afresh."
                ) from exc
            except (ServiceUnavailable, SessionExpired, OSError) as exc:
                last_error = exc
                time.sleep(0.5)
    raise StoreUnavailable(f"Neo4j at {settings.neo4j_uri} did not accept a login within {timeout_s:.0f} s: {last_error}")
