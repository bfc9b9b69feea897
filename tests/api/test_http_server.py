"""The real `trustnet serve` (gunicorn with TrustNet's worker) under hostile clients: slow senders,
chunked bodies over the limit, requests gunicorn itself refuses. One server for the module: one
worker of two threads, so two stuck threads would be enough to take it down."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

READ_TIMEOUT_S = 3
MAX_BODY = 8192


@pytest.fixture(scope="module")
def served(neo4j_session_store, settings):
    from graph_service.services.api_keys import create_key

    key = create_key(neo4j_session_store, "admin", "http server tests")[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TRUSTNET_API_PORT": str(port), "TRUSTNET_API_WORKERS": "1", "TRUSTNET_API_THREADS": "2",
           "TRUSTNET_API_REQUEST_READ_TIMEOUT_S": str(READ_TIMEOUT_S), "TRUSTNET_API_MAX_BODY_BYTES": str(MAX_BODY),
           "TRUSTNET_API_FAILED_AUTH_RATE": "100000"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "trustnet"), "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "trustnet serve did not answer /health"
                time.sleep(0.3)
        yield port, key
    finally:
        process.terminate()
        process.wait(timeout=30)


def _exchange(port: int, raw: bytes, timeout_s: float = 10) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the answer to the end; (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.sendall(raw)
        return _read_answer(sock)


def _read_answer(sock: socket.socket) -> tuple[int, dict, bytes]:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        headers = _headers(head)
        if b"\r\n\r\n" in data and len(body) >= int(headers.get("content-length", 1 << 30)):
            break
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), _headers(head), body


def _headers(head: bytes) -> dict:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}


def _health_seconds(port: int) -> float:
    started = time.monotonic()
    status, _, _ = _exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout_s=5)
    assert status == 200
    return time.monotonic() - started


def test_fifty_slow_clients_neither_hold_the_api_nor_stay_forever(served):
    """50 clients each sending a header byte a second: /health still answers at once, and each slow
    client is answered 408 problem+json once the read timeout has passed."""
    port, _ = served
    slow = []
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        sock.sendall(b"G")
        slow.append(sock)
    try:
        timings = []
        for second in range(READ_TIMEOUT_S - 1):
            for sock in slow:
                sock.sendall(b"E")
            timings.append(_health_seconds(port))
            time.sleep(1)
        assert max(timings) < 1.0, timings
        answers = [_read_answer(sock) for sock in slow]
    finally:
        for sock in slow:
            sock.close()
    assert {status for status, _, _ in answers} == {408}
    status, headers, body = answers[0]
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["detail"] == f"the request did not arrive within {READ_TIMEOUT_S} s"
    assert _health_seconds(port) < 1.0


def test_a_slow_body_holds_no_thread_either(served):
    """Whole heads with bodies dribbling in (Content-Length declared) on more connections than threads."""
    port, key = served
    slow = []
    for _ in range(5):
        sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        sock.sendall(b"POST /v1/ingest/nodes/Firm HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer " + key.encode() + b"\r\nIdempotency-Key: slow-body\r\n"
                     b"Content-Length: 500\r\n\r\n{")
        slow.append(sock)
    try:
        assert _health_seconds(port) < 1.0
        answers = [_read_answer(sock) for sock in slow]
    finally:
        for sock in slow:
            sock.close()
    assert {status for status, _, _ in answers} == {408}, answers


def test_a_chunked_body_over_the_limit_is_413_not_cut(served):
    port, key = served
    row = json.dumps({"id": "F-CHUNKED", "name": "x" * 500}).encode()
    body = b'{"rows": [' + b",".join([row] * 40) + b"]}"
    assert len(body) > MAX_BODY
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 1000]), body[i:i + 1000]) for i in range(0, len(body), 1000))
    status, headers, answer = _exchange(port, b"POST /v1/ingest/nodes/Firm HTTP/1.1\r\nHost: x\r\n"
                                              b"Authorization: Bearer " + key.encode() + b"\r\nIdempotency-Key: chunked-big\r\n"
                                              b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                              b"Connection: close\r\n\r\n" + chunks + b"0\r\n\r\n")
    assert status == 413 and headers["content-type"] == "application/problem+json", answer
    small = b'{"rows": [{"id": "F-CHUNKED-SMALL", "name": "Small Ltd"}]}'
    status, _, answer = _exchange(port, b"POST /v1/ingest/nodes/Firm HTTP/1.1\r\nHost: x\r\n"
                                        b"Authorization: Bearer " + key.encode() + b"\r\nIdempotency-Key: chunked-small\r\n"
                                        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                                        b"Connection: close\r\n\r\n" + b"%x\r\n%s\r\n0\r\n\r\n" % (len(small), small))
    assert status == 200 and json.loads(answer)["written"] == 1, answer


def test_an_expect_100_continue_client_is_told_to_send_its_body(served):
    port, key = served
    body = b'{"rows": [{"id": "F-EXPECT", "name": "Expect Ltd"}]}'
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"POST /v1/ingest/nodes/Firm HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key.encode() +
                     b"\r\nIdempotency-Key: expect\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body))
        assert sock.recv(64) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        status, _, answer = _read_answer(sock)
    assert status == 200 and json.loads(answer)["written"] == 1, answer


@pytest.mark.parametrize("raw, status", [
    (b"GET /health HTTP/1.1 EXTRA\r\nHost: x\r\n\r\n", 400),
    (b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Filler-%d: y\r\n" % n for n in range(120)) + b"\r\n", 431),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n", 431),
], ids=["malformed request line", "120 header fields", "a 9,000-byte header"])
def test_gunicorns_own_refusals_are_problem_json(served, raw, status):
    port, _ = served
    answered, headers, body = _exchange(port, raw)
    assert answered == status and headers["content-type"] == "application/problem+json", body
    assert json.loads(body)["status"] == status
