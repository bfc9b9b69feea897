"""The per-process network view: built once in the background, served while a newer one is built,
a bounded wait for the first, and a clear 503 when it is not there yet or cannot be read."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from graph_service.core.errors import StoreUnavailable
from graph_service.runtime.network_view import NetworkBuilding, NetworkView, NetworkViewCache


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _view(name: str) -> NetworkView:
    return NetworkView(network=name, patterns=None,  # type: ignore[arg-type]
                       as_of=datetime.now(timezone.utc), build_s=0.5)


class Builder:
    """Builds views named v1, v2, ...; a build can be held until released."""

    def __init__(self, hold: bool = False):
        self.calls = 0
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self.fail_with: Exception | None = None
        self.reading = threading.Event()  # set once a build is under way

    def wait_until_reading(self) -> None:
        assert self.reading.wait(5)
        self.reading.clear()

    def __call__(self) -> NetworkView:
        self.calls += 1
        self.reading.set()
        self.release.wait(5)
        if self.fail_with is not None:
            raise self.fail_with
        return _view(f"v{self.calls}")


def _settle(cache: NetworkViewCache) -> None:
    """Wait for a background rebuild to finish."""
    thread = cache._thread
    if thread is not None:
        thread.join(5)


def test_the_first_request_waits_for_the_view_and_later_ones_reuse_it():
    builder, clock = Builder(), Clock()
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5, clock=clock)
    assert cache.get().network == "v1"
    clock.now = 299
    assert cache.get().network == "v1" and builder.calls == 1


def test_an_old_view_is_served_while_a_new_one_is_built():
    builder, clock = Builder(), Clock()
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5, clock=clock)
    cache.get()
    builder.release.clear()
    builder.reading.clear()
    clock.now = 300
    assert cache.get().network == "v1"  # answered at once from the old view
    builder.wait_until_reading()
    assert cache.get().network == "v1" and builder.calls == 2  # one rebuild, not one per request
    builder.release.set()
    _settle(cache)
    assert cache.get().network == "v2"


def test_a_view_not_ready_within_the_wait_is_a_503_with_retry_after():
    builder = Builder(hold=True)
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=0.05)
    with pytest.raises(NetworkBuilding) as caught:
        cache.get()
    assert caught.value.retry_after_s >= 5 and "still being read" in str(caught.value)
    builder.release.set()
    _settle(cache)
    assert cache.get().network == "v1" and builder.calls == 1


def test_a_failed_build_is_reported_and_tried_again():
    builder = Builder()
    builder.fail_with = StoreUnavailable("Neo4j is not reachable at bolt://127.0.0.1:7687")
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5)
    with pytest.raises(StoreUnavailable, match="could not be read for stress tests: Neo4j is not reachable"):
        cache.get()
    builder.fail_with = None
    assert cache.get().network == "v2"


def test_a_failed_rebuild_keeps_serving_the_old_view_and_tries_again_later():
    builder, clock = Builder(), Clock()
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5, clock=clock)
    cache.get()
    builder.fail_with = StoreUnavailable("down")
    clock.now = 400
    assert cache.get().network == "v1"
    _settle(cache)
    assert builder.calls == 2
    clock.now = 400 + NetworkViewCache.RETRY_S - 1
    assert cache.get().network == "v1" and builder.calls == 2  # not a new read at every request
    builder.fail_with = None
    clock.now = 400 + NetworkViewCache.RETRY_S
    cache.get()
    _settle(cache)
    assert builder.calls == 3 and cache.get().network == "v3"


def test_an_invalidation_during_a_rebuild_is_not_lost():
    builder, clock = Builder(), Clock()
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5, clock=clock)
    cache.get()
    builder.release.clear()
    builder.reading.clear()
    cache.invalidate()
    cache.get()  # starts v2, which may read the graph before the write below
    builder.wait_until_reading()
    cache.invalidate()
    builder.release.set()
    _settle(cache)
    assert cache.get().network == "v2"  # served, but already stale: a new read has started
    _settle(cache)
    assert builder.calls == 3 and cache.get().network == "v3"


def test_invalidate_rebuilds_on_next_use():
    builder = Builder()
    cache = NetworkViewCache(builder, refresh_s=300, wait_s=5)
    cache.get()
    cache.invalidate()
    cache.get()  # may still answer v1 while v2 is built
    _settle(cache)
    assert cache.get().network == "v2"
