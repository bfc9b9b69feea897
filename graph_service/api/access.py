"""Around every request: a request id, the caller's API key, and the key's rate limit.

Everything under /v1 needs a key (`Authorization: Bearer <key>` or `X-API-Key: <key>`); /health,
/ready, /openapi.json and /docs do not. Rate limits are token buckets per key: each worker process
refills at rate / workers per second, so the whole server allows about `rate` requests per second.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import uuid

from flask import Flask, Response, g, request

from graph_service.api.problems import problem
from graph_service.services.api_keys import KeyRing

REQUEST_ID_HEADER = "X-Request-ID"
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_OPEN = ("/health", "/ready", "/openapi.json", "/docs")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every log record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside an application context
            record.request_id = "-"
        return True


class RateLimiter:
    def __init__(self, share: float):
        self.share = share  # this process's part of every key's rate
        self._buckets: dict[str, tuple[float, float]] = {}  # key id -> (tokens, last refill)
        self._lock = threading.Lock()

    def wait_s(self, key_id: str, rate: int) -> float:
        """Seconds until the bucket holds a request again (0 when it holds one now); takes nothing."""
        local_rate = max(rate * self.share, 1e-9)
        with self._lock:
            tokens, last = self._buckets.get(key_id, (max(1.0, local_rate), time.monotonic()))
        tokens = min(max(1.0, local_rate), tokens + (time.monotonic() - last) * local_rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / local_rate

    def take(self, key_id: str, rate: int) -> tuple[bool, int, float]:
        """(allowed, requests left now, seconds until the next one is allowed). A bucket holds at least
        one request, so a rate below the number of workers still lets requests through, more slowly."""
        local_rate = max(rate * self.share, 1e-9)
        capacity = max(1.0, local_rate)
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key_id, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * local_rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self._buckets[key_id] = (tokens, now)
        left = int(tokens / self.share) if allowed else 0
        return allowed, left, max(0.0, (1 - tokens) / local_rate)


def install(app: Flask, keyring: KeyRing, limiter: RateLimiter, default_rate: int, failed_auth_rate: int) -> None:
    """Every /v1 request needs a key and is rate limited by it. An address whose requests fail
    authentication faster than failed_auth_rate per second gets 429 before any key is looked up, so
    a flood of made-up keys neither reaches Neo4j nor slows the clients with real ones."""
    log = logging.getLogger("trustnet.api")

    @app.before_request
    def identify() -> Response | None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _GOOD_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        if request.path.startswith(_OPEN) or not request.path.startswith("/v1"):
            return None
        address = f"address:{request.remote_addr}"
        blocked_s = limiter.wait_s(address, failed_auth_rate)
        if blocked_s > 0:
            answer = problem(429, f"too many requests without a valid API key from {request.remote_addr}")
            answer.headers["Retry-After"] = str(max(1, math.ceil(blocked_s)))
            return answer
        presented = request.headers.get("X-API-Key") or ""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            presented = token.strip()
        principal = keyring.principal(presented) if presented else None
        if principal is None:
            limiter.take(address, failed_auth_rate)
            log.info("refused: %s API key", "bad" if presented else "no")
            answer = problem(401, "a valid API key is required: send `Authorization: Bearer <key>`")
            answer.headers["WWW-Authenticate"] = 'Bearer realm="trustnet"'
            return answer
        g.principal = principal
        rate = principal.rate_limit or default_rate
        allowed, left, wait_s = limiter.take(principal.key_id, rate)
        g.rate_headers = {"RateLimit-Limit": str(rate), "RateLimit-Remaining": str(left),
                          "RateLimit-Reset": str(math.ceil(wait_s))}
        if not allowed:
            answer = problem(429, f"rate limit of {rate} requests per second exceeded for key {principal.key_id}")
            answer.headers["Retry-After"] = str(max(1, math.ceil(wait_s)))
            return answer
        return None

    @app.after_request
    def label(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        for name, value in g.get("rate_headers", {}).items():
            response.headers[name] = value
        return response
