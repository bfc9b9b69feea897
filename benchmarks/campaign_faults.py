"""The faults of the reliability campaign (benchmarks/reliability_campaign.py), one function each.

Each takes the campaign's Target (its Neo4j, its served API, keys and firm ids) and returns a
Finding: how many runs, how many held, and the figures behind it. Loopback only.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class Target:
    port: int
    admin_key: str
    bank_key: str
    firm_ids: list[str]
    neo4j_pid: Callable[[], int]  # the running server's pid (changes on each restart)
    restart_neo4j: Callable[[], None]  # start it again after a kill; returns once it accepts logins
    missing_firms: Callable[[list[str]], set[str]]  # ids of these firms that Neo4j does not hold


@dataclass
class Finding:
    fault: str
    runs: int = 0
    held: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.runs > 0 and self.held == self.runs

    def record(self, held: bool, why_not: str) -> None:
        """One run; why_not is noted only if it did not hold."""
        self.runs += 1
        self.held += held
        if not held:
            self.notes.append(why_not)


def call(target: Target, method: str, path: str, key: str | None = None, body: dict | None = None,
         headers: dict | None = None, timeout_s: float = 30) -> tuple[int, dict | None, float]:
    """(status, JSON answer or None, seconds); status 0 if no answer came within timeout_s."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{target.port}{path}", data=data, method=method,
                                     headers={**({"Authorization": f"Bearer {key}"} if key else {}),
                                              **({"Content-Type": "application/json"} if data else {}),
                                              **(headers or {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError:
        return 0, None, time.monotonic() - started
    try:
        answer = json.loads(raw)
    except ValueError:
        answer = None
    return status, answer, time.monotonic() - started


def _post_batch(target: Target, ids: list[str], idempotency_key: str) -> tuple[int, dict | None, float]:
    rows = [{"id": firm_id, "name": f"Campaign firm {firm_id}"} for firm_id in ids]
    return call(target, "POST", "/v1/ingest/nodes/Firm", target.admin_key, {"rows": rows},
                {"Idempotency-Key": idempotency_key}, timeout_s=60)


def _retry_until_answered(target: Target, ids: list[str], idempotency_key: str,
                          deadline_s: float = 120) -> tuple[int, int, int]:
    """(final status, 409s seen, tries) retrying the same batch under the same key."""
    conflicts, tries, deadline = 0, 0, time.monotonic() + deadline_s
    while True:
        status, _, _ = _post_batch(target, ids, idempotency_key)
        tries += 1
        conflicts += status == 409
        if status == 200 or time.monotonic() > deadline:
            return status, conflicts, tries
        time.sleep(0.5)


def neo4j_kill_mid_ingest(target: Target, runs: int, rows: int, seed: int = 7) -> Finding:
    """SIGKILL Neo4j while a keyed batch is being written, restart it, retry the same batch."""
    finding, rng = Finding("Neo4j SIGKILL mid-ingest"), random.Random(seed)
    first_statuses: dict[int, int] = {}
    for run in range(runs):
        ids = [f"CK{run:02d}-{j:05d}" for j in range(rows)]
        key = f"campaign-ingest-{run}-{seed}"
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(_post_batch, target, ids, key)
            time.sleep(rng.uniform(0.05, 0.6))
            os.kill(target.neo4j_pid(), signal.SIGKILL)
            first_status = first.result()[0]
        first_statuses[first_status] = first_statuses.get(first_status, 0) + 1
        target.restart_neo4j()
        status, conflicts, tries = _retry_until_answered(target, ids, key)
        missing = target.missing_firms(ids)
        finding.record(status == 200 and conflicts == 0 and not missing,
                       f"run {run}: retry answered {status} after {tries} tries, {conflicts} 409s, "
                       f"{len(missing)} of {rows} rows missing")
    finding.notes.append(f"first answers (the request Neo4j died under): {dict(sorted(first_statuses.items()))}; "
                         f"{rows} rows a batch; held = retries answered 200, never 409, all rows there once")
    return finding


def neo4j_kill_mid_request(target: Target, runs: int, readers: int = 6, seed: int = 8) -> Finding:
    """SIGKILL Neo4j while score reads and a keyed batch are in flight; restart it."""
    finding, rng = Finding("Neo4j SIGKILL mid-request"), random.Random(seed)
    totals: dict[int, int] = {}
    slowest_of_all = 0.0
    for run in range(runs):
        stop, answers = threading.Event(), []

        def read() -> None:
            while not stop.is_set():
                firm = rng.choice(target.firm_ids)
                status, _, seconds = call(target, "GET", f"/v1/firms/{firm}/score", target.bank_key, timeout_s=10)
                answers.append((status, seconds))

        ids = [f"CR{run:02d}-{j:04d}" for j in range(500)]
        key = f"campaign-request-{run}-{seed}"
        with ThreadPoolExecutor(readers + 1) as pool:
            for _ in range(readers):
                pool.submit(read)
            time.sleep(1.0)
            batch = pool.submit(_post_batch, target, ids, key)
            time.sleep(rng.uniform(0.05, 0.3))
            os.kill(target.neo4j_pid(), signal.SIGKILL)
            time.sleep(2.0)
            stop.set()
            batch.result()
        target.restart_neo4j()
        status, conflicts, _ = _retry_until_answered(target, ids, key)
        after, _, _ = call(target, "GET", f"/v1/firms/{target.firm_ids[0]}/score", target.bank_key)
        unanswered = sum(s == 0 for s, _ in answers)
        wrong = sum(s not in (0, 200, 503) for s, _ in answers)
        slowest = max(t for _, t in answers)
        slowest_of_all = max(slowest_of_all, slowest)
        for answered, _ in answers:
            totals[answered] = totals.get(answered, 0) + 1
        finding.record(unanswered == 0 and wrong == 0 and slowest < 5 and status == 200 and conflicts == 0
                       and not target.missing_firms(ids) and after == 200,
                       f"run {run}: {unanswered} unanswered, {wrong} neither 200 nor 503, slowest "
                       f"{slowest:.1f} s, batch retry {status} ({conflicts} 409s), then {after}")
    finding.notes.append(f"{readers} score readers and one 500-row keyed batch a run; reads answered "
                         f"{dict(sorted(totals.items()))} (0: no answer), slowest {slowest_of_all:.2f} s; held = "
                         "every read answered 200 or 503 within 5 s, the batch retry 200 with no 409 and no row "
                         "missing, 200 after")
    return finding


MALFORMED: list[tuple[str, bytes, bytes]] = [
    # (what, extra head lines, body)
    ("invalid JSON", b"Content-Type: application/json\r\n", b'{"rows": [{"id": "X",}'),
    ("a NUL body", b"Content-Type: application/json\r\n", b"\x00" * 64),
    ("nesting 100,000 deep", b"Content-Type: application/json\r\n", b'{"rows": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("not UTF-8", b"Content-Type: application/json\r\n", b'{"rows": [{"id": "\xff\xfe"}]}'),
    ("a JSON array", b"Content-Type: application/json\r\n", b"[1, 2, 3]"),
    ("rows not a list", b"Content-Type: application/json\r\n", b'{"rows": "all of them"}'),
    ("rows of numbers", b"Content-Type: application/json\r\n", b'{"rows": [1, 2.5, null, true]}'),
    ("a huge number", b"Content-Type: application/json\r\n", b'{"rows": [{"id": "X", "declared_revenue": 1' + b"0" * 5000 + b"}]}"),
    ("an empty body", b"Content-Type: application/json\r\n", b""),
    ("form-encoded", b"Content-Type: application/x-www-form-urlencoded\r\n", b"rows=1&rows=2"),
    ("no content type", b"", b'{"rows": []}'),
    ("a 6 MB body", b"Content-Type: application/json\r\n", b'{"rows": ["' + b"x" * (6 * 2**20) + b'"]}'),
]


def _raw_post(target: Target, head: bytes, body: bytes, chunked: bool = False) -> int:
    if chunked:
        framing = b"Transfer-Encoding: chunked\r\n"
        payload = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 65536]), body[i:i + 65536])
                           for i in range(0, len(body), 65536)) + b"0\r\n\r\n"
    else:
        framing, payload = b"Content-Length: %d\r\n" % len(body), body
    request = (b"POST /v1/ingest/nodes/Firm HTTP/1.1\r\nHost: campaign\r\nConnection: close\r\n"
               b"Authorization: Bearer " + target.admin_key.encode() + b"\r\nIdempotency-Key: malformed-"
               + os.urandom(6).hex().encode() + b"\r\n" + head + framing + b"\r\n" + payload)
    with socket.create_connection(("127.0.0.1", target.port), timeout=30) as sock:
        try:
            sock.sendall(request)
        except OSError:
            pass  # the server answered (413) and closed before taking it all: read what it said
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                return 0
            answer += chunk
    return int(answer.split()[1])


def malformed_bodies(target: Target) -> Finding:
    finding, statuses = Finding("malformed bodies"), {}
    cases = [(what, head, body, False) for what, head, body in MALFORMED]
    cases += [("a 6 MB chunked body", b"Content-Type: application/json\r\n", MALFORMED[-1][2], True),
              ("chunked invalid JSON", b"Content-Type: application/json\r\n", b'{"rows": [', True)]
    for what, head, body, chunked in cases:
        status = _raw_post(target, head, body, chunked)
        statuses[what] = status
        finding.record(400 <= status < 500, f"{what}: {status}")
    finding.notes.append("answers: " + ", ".join(f"{w} {s}" for w, s in statuses.items()))
    return finding


def neo4j_frozen(target: Target, freeze_s: float = 8.0, readers: int = 4) -> Finding:
    """SIGSTOP Neo4j for freeze_s while score reads continue; always SIGCONT."""
    finding, answers, stop = Finding("Neo4j frozen (SIGSTOP)"), [], threading.Event()
    rng = random.Random(9)

    def read() -> None:
        while not stop.is_set():
            status, _, seconds = call(target, "GET", f"/v1/firms/{rng.choice(target.firm_ids)}/score",
                                      target.bank_key, timeout_s=30)
            if not stop.is_set():
                answers.append((status, seconds))

    pid = target.neo4j_pid()
    thaw = threading.Timer(freeze_s + 20, os.kill, (pid, signal.SIGCONT))  # whatever happens below
    os.kill(pid, signal.SIGSTOP)
    thaw.start()
    try:
        with ThreadPoolExecutor(readers) as pool:
            for _ in range(readers):
                pool.submit(read)
            time.sleep(freeze_s)
            stop.set()
    finally:
        os.kill(pid, signal.SIGCONT)
        thaw.cancel()
    seconds = np.array([t for _, t in answers])
    statuses = {s: sum(1 for x, _ in answers if x == s) for s in sorted({s for s, _ in answers})}
    p50, p99 = np.percentile(seconds, [50, 99])
    finding.runs, finding.held = 1, int(set(statuses) == {503} and p99 < 2.0)
    finding.notes.append(f"{len(answers)} score reads by {readers} clients over {freeze_s:.0f} s frozen: "
                         f"answers {statuses}; p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                         f"max {seconds.max() * 1000:.0f} ms; held = all 503 and p99 < 2 s")
    deadline = time.monotonic() + 30
    while call(target, "GET", "/health")[0] != 200:
        if time.monotonic() > deadline:
            finding.held = 0
            finding.notes.append("the API did not answer /health 200 within 30 s of the thaw")
            break
        time.sleep(0.2)
    return finding


def slow_clients(target: Target, clients: int = 50, seconds: int = 8) -> Finding:
    """`clients` connections sending a header byte a second while /health is asked twice a second."""
    finding, sockets, timings = Finding(f"{clients} slow clients"), [], []
    try:
        for _ in range(clients):
            sock = socket.create_connection(("127.0.0.1", target.port), timeout=30)
            sock.sendall(b"G")
            sockets.append(sock)
        for tick in range(seconds * 2):
            if tick % 2 == 0:
                for sock in sockets:
                    try:
                        sock.sendall(b"E")
                    except OSError:
                        pass  # answered 408 and closed: what should happen to a client this slow
            status, _, took = call(target, "GET", "/health", timeout_s=10)
            timings.append((status, took))
            time.sleep(0.5)
    finally:
        for sock in sockets:
            sock.close()
    took = np.array([t for _, t in timings])
    ok = sum(s == 200 for s, _ in timings)
    finding.runs, finding.held = 1, int(ok == len(timings) and np.percentile(took, 99) < 1.0)
    finding.notes.append(f"/health asked {len(timings)} times with them connected: {ok} answered 200; "
                         f"p99 {np.percentile(took, 99) * 1000:.0f} ms, max {took.max() * 1000:.0f} ms; "
                         "held = all 200 and p99 < 1 s")
    return finding
