"""API keys: created, listed and revoked by `trustnet keys`, checked on every API request.

A key reads `tn_<key id>_<secret>`. Only a SHA-256 hash of the secret is stored: the secret is 256
random bits, so a slow password hash would add latency and no protection. A key has one role and,
for a bank, guarantor or partner, the node it acts for. Checked keys are cached per process for
TRUSTNET_API_KEY_CACHE_S seconds, so a revocation takes effect within that time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from graph_service.core.errors import NotFound, TrustNetError
from graph_service.core.ports import AccessStore

PREFIX = "tn"
# Which nodes each role may act for; investigators and admins act for the platform.
ACTS_FOR = {
    "bank": ("Bank",),
    "guarantor": ("Guarantor", "Firm"),
    "partner": ("Chamber", "Market", "Bank", "Guarantor", "Firm"),
    "investigator": (),
    "admin": (),
}
ROLES = tuple(ACTS_FOR)
PLATFORM_ROLES = tuple(role for role, labels in ACTS_FOR.items() if not labels)
# action -> roles allowed to attempt it (the API declares one per route); what they may see of each
# object is checked by the service the route calls with the caller's Principal (exposure.py,
# network.py, stress.py).
ACTIONS = {
    "read_model": ROLES,
    "read_scores": ("bank", "investigator", "admin"),
    "read_firms": ("bank", "investigator", "admin"),
    "read_exposure": ("bank", "guarantor", "investigator", "admin"),
    "run_stress_tests": ("bank", "guarantor", "investigator", "admin"),
    "read_network_risk": PLATFORM_ROLES,
    "ingest": ("partner", "admin"),
    "read_audit": ("admin",),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id and role, and the node it acts for (if any)."""

    key_id: str
    role: str
    acts_for_label: str | None = None
    acts_for_id: str | None = None
    rate_limit: int | None = None  # requests per second; None: the configured default

    def acts_for(self, label: str, node_id: str) -> bool:
        return (self.acts_for_label, self.acts_for_id) == (label, node_id)

    def sees_whole_network(self) -> bool:
        """Investigators and admins act for the platform: they see every tenant's objects."""
        return self.role in PLATFORM_ROLES

    def lender_scope(self) -> str | None:
        """The bank whose loans alone this caller may see (a bank's own); None: no such limit."""
        return self.acts_for_id if self.role == "bank" else None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(store: AccessStore, role: str, name: str, acts_for: tuple[str, str] | None = None,
               rate_limit: int | None = None) -> tuple[str, dict]:
    """(the key, shown once; its stored record without the hash)."""
    if role not in ACTS_FOR:
        raise TrustNetError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    allowed = ACTS_FOR[role]
    if allowed and acts_for is None:
        raise TrustNetError(f"a {role} key acts for a node: give one of {', '.join(allowed)} and its id")
    if not allowed and acts_for is not None:
        raise TrustNetError(f"a {role} key acts for the platform, not for a node")
    if acts_for is not None:
        label, node_id = acts_for
        if label not in allowed:
            raise TrustNetError(f"a {role} key acts for a {' or '.join(allowed)}, not a {label}")
        if not store.node_exists(label, node_id):
            raise NotFound(f"no {label} with id {node_id!r}: load it first")
    if rate_limit is not None and rate_limit < 1:
        raise TrustNetError("rate_limit must be at least 1 request per second")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    record = {"id": key_id, "hash": _hash(secret), "role": role, "name": name,
              "acts_for_label": acts_for[0] if acts_for else None, "acts_for_id": acts_for[1] if acts_for else None,
              "rate_limit": rate_limit, "created_at": datetime.now(timezone.utc)}
    store.save_api_key({k: v for k, v in record.items() if v is not None})
    return f"{PREFIX}_{key_id}_{secret}", _public(record)


def _public(record: dict) -> dict:
    return {k: record.get(k) for k in ("id", "name", "role", "acts_for_label", "acts_for_id", "rate_limit",
                                       "created_at", "revoked_at")}


def list_keys(store: AccessStore) -> list[dict]:
    return [_public(k) for k in store.api_keys()]


def revoke_key(store: AccessStore, key_id: str) -> None:
    if not store.revoke_api_key(key_id, datetime.now(timezone.utc)):
        raise NotFound(f"no API key with id {key_id!r}")


class KeyRing:
    """Checks presented keys against the store, caching answers (also "no such key") for ttl_s."""

    MAX_CACHED = 10_000

    def __init__(self, store: AccessStore, ttl_s: float):
        self.store = store
        self.ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Principal | None]] = {}
        self._lock = threading.Lock()

    def principal(self, presented: str) -> Principal | None:
        """The caller a key stands for; None for a malformed, unknown or revoked key."""
        return self._cached(_hash(presented), lambda: self._check(presented))

    def signed_in(self, key_id: str) -> Principal | None:
        """The caller a console session signed in with this key stands for, checked again (cached for
        ttl_s like a presented key): None once the key is revoked or gone."""
        def look_up() -> Principal | None:
            record = self.store.api_key(key_id)
            return None if record is None or record.get("revoked_at") is not None else _principal(key_id, record)

        return self._cached("id:" + key_id, look_up)

    def _cached(self, cache_key: str, look_up) -> Principal | None:
        now = time.monotonic()
        cached = self._cache.get(cache_key)
        if cached is not None and cached[0] > now:
            return cached[1]
        principal = look_up()
        with self._lock:
            if len(self._cache) >= self.MAX_CACHED:
                self._cache.clear()
            self._cache[cache_key] = (now + self.ttl_s, principal)
        return principal

    def _check(self, presented: str) -> Principal | None:
        prefix, _, rest = presented.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != PREFIX or not key_id or not secret or len(presented) > 200:
            return None
        record = self.store.api_key(key_id)
        if record is None or record.get("revoked_at") is not None:
            return None
        if not hmac.compare_digest(record["hash"], _hash(secret)):
            return None
        return _principal(key_id, record)


def _principal(key_id: str, record: dict) -> Principal:
    return Principal(key_id, record["role"], record.get("acts_for_label"), record.get("acts_for_id"),
                     record.get("rate_limit"))
