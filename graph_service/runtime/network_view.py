"""The whole-network view that stress tests and pattern listings need, built once and kept fresh.

A stress test needs every guarantee and loan at once: reading them takes seconds on a large graph,
far too long for a request. So each API process keeps one view (exposure network and guarantee
patterns), builds it on first use in a background thread, and rebuilds it in the background once
it is older than the refresh interval or after this process wrote to the network, answering from
the older view meanwhile.
Every answer says when its view was read (`network_as_of`).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from graph_service.core.errors import StoreUnavailable
from graph_service.network_risk.guarantee_patterns import GuaranteePatterns, find_patterns, snapshot_guarantee_edges
from graph_service.network_risk.stress_test import ExposureNetwork, exposure_network, too_central_to_fail
from graph_service.core.ports import SnapshotSource
from graph_service.core.snapshot import GraphSnapshot, read_snapshot

log = logging.getLogger("trustnet.network_view")

LABELS = ("Firm", "Loan", "Guarantor", "Bank")
TYPES = ("BORROWED", "GUARANTEES", "GRANTED")


def read_exposure_snapshot(store: SnapshotSource) -> GraphSnapshot:
    """Only what exposure and patterns need: firms, loans, guarantors, banks and their loan ties."""
    return read_snapshot(store, LABELS, TYPES)


@dataclass
class NetworkView:
    network: ExposureNetwork
    patterns: GuaranteePatterns
    as_of: datetime
    build_s: float
    _central: dict[int, list[dict]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def too_central_to_fail(self, candidates: int) -> list[dict]:
        """The ranking, computed once per view and number of candidates (outside the lock, so one
        long ranking does not hold up another)."""
        with self._lock:
            known = self._central.get(candidates)
        if known is None:
            known = too_central_to_fail(self.network, candidates)
            with self._lock:
                self._central[candidates] = known
        return known


def build_network_view(store: SnapshotSource, lgd: float) -> NetworkView:
    started, as_of = time.perf_counter(), datetime.now(timezone.utc)
    snapshot = read_exposure_snapshot(store)
    view = NetworkView(exposure_network(snapshot, lgd), find_patterns(snapshot_guarantee_edges(snapshot)), as_of, 0.0)
    view.build_s = time.perf_counter() - started
    return view


class NetworkBuilding(StoreUnavailable):
    """The view is still being built the first time (503 with Retry-After)."""

    def __init__(self, message: str, retry_after_s: int):
        super().__init__(message, retry_after_s)


class NetworkViewCache:
    """One view per process: built in the background, rebuilt when older than `refresh_s`; a request
    waits at most `wait_s` for the first one. A failed rebuild is tried again after RETRY_S, the old
    view served meanwhile; an invalidation during a rebuild makes the next request rebuild again."""

    RETRY_S = 30.0

    def __init__(self, build: Callable[[], NetworkView], refresh_s: float, wait_s: float,
                 clock: Callable[[], float] = time.monotonic):
        self._build, self._refresh_s, self._wait_s, self._clock = build, refresh_s, wait_s, clock
        self._lock = threading.Lock()
        self._view: NetworkView | None = None
        self._built_at = 0.0
        self._thread: threading.Thread | None = None
        self._error: Exception | None = None
        self._generation = 0  # bumped by invalidate(); a build that started before a bump is stale

    def get(self) -> NetworkView:
        with self._lock:
            stale = self._view is None or self._clock() - self._built_at >= self._refresh_s
            if stale and self._thread is None:
                self._thread = threading.Thread(target=self._rebuild, name="network-view", daemon=True)
                self._thread.start()
            view, thread = self._view, self._thread
        if view is not None:
            return view
        if thread is not None:
            thread.join(self._wait_s)
        with self._lock:
            if self._view is not None:
                return self._view
            if self._error is not None and self._thread is None:
                error, self._error = self._error, None
                raise StoreUnavailable(f"the network could not be read for stress tests: {error}") from error
        raise NetworkBuilding("the network for stress tests and patterns is still being read; retry shortly",
                              round(self.RETRY_S))

    def invalidate(self) -> None:
        """Rebuild on next use (for example after this process wrote loans or guarantees)."""
        with self._lock:
            self._built_at = float("-inf")
            self._generation += 1

    def _rebuild(self) -> None:
        with self._lock:
            started, generation = self._clock(), self._generation
        try:
            view = self._build()
        except Exception as exc:  # kept for the waiting request; a later request tries again
            log.warning("building the network view failed: %s", exc)
            with self._lock:
                self._error, self._thread = exc, None
                if self._view is not None:  # keep serving it; try again in RETRY_S, not at every request
                    self._built_at = self._clock() - self._refresh_s + self.RETRY_S
            return
        with self._lock:
            self._view, self._error, self._thread = view, None, None
            self._built_at = started if generation == self._generation else float("-inf")
        log.info("network view built in %.1f s", view.build_s)
