"""How the Neo4j adapter runs a statement: with the driver's retries (CLI, loaders), or failing fast
behind a circuit breaker (the API), and what a caller is told when Neo4j does not answer."""

from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable, TypeVar

import neo4j
from neo4j import RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired, TransientError

from cypher.library import CypherLibrary
from graph_service.adapters.circuit_breaker import CircuitBreaker
from graph_service.core.errors import StoreUnavailable

log = logging.getLogger(__name__)

READ = RoutingControl.READ
WRITE = RoutingControl.WRITE
# What a caller is told when Neo4j does not answer; the driver's own text (addresses, connection
# ids) goes to the log only.
UNAVAILABLE = "the graph database is not answering; retry shortly"
UNREACHABLE = (ServiceUnavailable, SessionExpired)
REFUSED = (AuthError, TransientError)
T = TypeVar("T")


def _unavailable(exc: Exception | None) -> StoreUnavailable:
    if exc is not None:
        log.warning("Neo4j did not answer: %s: %s", type(exc).__name__, exc)
    return StoreUnavailable(UNAVAILABLE, retry_after_s=2)


class Neo4jRunner:
    """fail_fast (the API): a lost or silent server is a StoreUnavailable at once, never retried,
    and a circuit breaker answers the calls that follow without waiting on the server until its
    background probe gets an answer; only a retryable TransientError (a deadlock, a lock timeout, a
    database still starting) is tried again, for at most FAIL_FAST_RETRY_S. Otherwise (CLI,
    loaders) the driver's managed transactions retry both, for the driver's max_transaction_retry_time."""

    FAIL_FAST_RETRY_S = 1.0

    def __init__(self, driver: neo4j.Driver, database: str, cypher: CypherLibrary, fail_fast: bool = False):
        self.driver = driver
        self.database = database
        self.cypher = cypher
        self.breaker = CircuitBreaker(self._ping) if fail_fast else None

    def _ping(self) -> None:
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
            session.run("RETURN 1").consume()

    def _run(self, query: str, routing: RoutingControl, params: dict[str, Any]) -> list[neo4j.Record]:
        if self.breaker is not None:
            return self._guarded(lambda: self._run_fail_fast(query, routing, params))
        # execute_query runs a managed transaction: transient failures are retried.
        try:
            records, _, _ = self.driver.execute_query(
                query, parameters_=params, database_=self.database, routing_=routing
            )
        except UNREACHABLE + REFUSED as exc:
            # TransientError is left only after the driver's retries (e.g. a database still starting).
            raise _unavailable(exc) from exc
        return records

    def _guarded(self, work: Callable[[], T]) -> T:
        """Run work unless the breaker is open; open it when the server does not answer."""
        assert self.breaker is not None
        if not self.breaker.allow():
            raise _unavailable(None)
        try:
            return work()
        except UNREACHABLE as exc:
            self.breaker.failed()
            raise _unavailable(exc) from exc

    def _run_fail_fast(self, query: str, routing: RoutingControl, params: dict[str, Any]) -> list[neo4j.Record]:
        mode = neo4j.READ_ACCESS if routing == READ else neo4j.WRITE_ACCESS
        deadline = time.monotonic() + self.FAIL_FAST_RETRY_S
        delay = 0.02
        while True:
            try:
                with self.driver.session(database=self.database, default_access_mode=mode,
                                         bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
                    with session.begin_transaction() as tx:
                        records = list(tx.run(query, params))
                        tx.commit()
                        return records
            except TransientError as exc:
                if not exc.is_retryable() or time.monotonic() + delay > deadline:
                    raise _unavailable(exc) from exc
            except AuthError as exc:
                raise _unavailable(exc) from exc
            time.sleep(delay * random.uniform(0.8, 1.2))
            delay *= 2

    def _read_once(self, name: str, **params: Any) -> list[dict]:
        """A short read in an auto-commit transaction: one round trip instead of the two (run, then
        commit) of a managed transaction, for the API's hot path. Not retried: a failure is a 503."""
        def read() -> list[dict]:
            try:
                with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                    return session.run(self.cypher.query(name), params).data()
            except REFUSED as exc:
                raise _unavailable(exc) from exc

        if self.breaker is not None:
            return self._guarded(read)
        try:
            return read()
        except UNREACHABLE as exc:
            raise _unavailable(exc) from exc
