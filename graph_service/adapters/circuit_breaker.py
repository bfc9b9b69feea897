"""A circuit breaker for the API's Neo4j calls: once the server has failed to answer, callers are
told so at once instead of each waiting out its own timeout on a dead or frozen server.

Closed: every call goes through. A call that finds the server unreachable opens the breaker. Open:
every call fails at once, and a background thread probes the server every `probe_every_s`; the
first probe that gets an answer closes the breaker. No caller's request is ever the probe, so only
the requests that were already on their way when the server stopped answering wait for it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, probe: Callable[[], object], probe_every_s: float = 0.5):
        self.probe = probe
        self.probe_every_s = probe_every_s
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._closed.set()
        self._prober: threading.Thread | None = None

    def allow(self) -> bool:
        """May a call go to the server now?"""
        return self._closed.is_set()

    @property
    def is_open(self) -> bool:
        return not self._closed.is_set()

    def failed(self) -> None:
        """A call found the server unreachable (not: the server answered with an error)."""
        with self._lock:
            if self._closed.is_set():
                log.warning("Neo4j is not answering: API calls fail at once until a probe gets through")
            self._closed.clear()
            if self._prober is None or not self._prober.is_alive():
                self._prober = threading.Thread(target=self._probe_until_answered, name=f"neo4j-probe-{id(self):x}",
                                                daemon=True)
                self._prober.start()

    def wait_closed(self, timeout_s: float) -> bool:
        return self._closed.wait(timeout_s)

    def _probe_until_answered(self) -> None:
        while True:
            time.sleep(self.probe_every_s)
            try:
                self.probe()
            except Exception as exc:  # any failure means "not yet"
                log.debug("Neo4j probe failed: %s", exc)
                continue
            with self._lock:
                self._closed.set()
                self._prober = None
            log.warning("Neo4j answers again: API calls go through")
            return
