"""The API's circuit breaker on Neo4j: open after a failure, closed by the first probe that answers."""

import threading

from graph_service.adapters.circuit_breaker import CircuitBreaker


def test_a_failure_opens_the_breaker_until_a_probe_gets_an_answer():
    answering = threading.Event()
    probes = []

    def probe():
        probes.append(1)
        if not answering.is_set():
            raise ConnectionError("frozen")

    breaker = CircuitBreaker(probe, probe_every_s=0.01)
    assert breaker.allow()
    breaker.failed()
    assert not breaker.allow() and breaker.is_open
    assert not breaker.wait_closed(0.2)
    assert len(probes) >= 3, "the breaker is not probing while open"
    answering.set()
    assert breaker.wait_closed(2.0) and breaker.allow()


def test_failures_while_open_start_no_second_prober():
    release = threading.Event()

    def probe():  # hangs, as a probe of a frozen server does, until released; then it answers
        if not release.wait(5):
            raise ConnectionError("frozen")

    breaker = CircuitBreaker(probe, probe_every_s=0.01)
    for _ in range(20):
        breaker.failed()
    assert sum(t.name == f"neo4j-probe-{id(breaker):x}" for t in threading.enumerate()) == 1
    release.set()
    assert breaker.wait_closed(2.0)
