"""TrustNet's configuration: one object built from environment variables (see README).

Nothing else reads `os.environ`. A git-ignored `.env` file in the state folder supplies values the
environment lacks, so the generated Neo4j password is found by every command and by docker compose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from graph_service.core.errors import TrustNetError

ENV_FILE_NAME = ".env"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; blank lines and # comments are skipped."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


@dataclass(frozen=True)
class Settings:
    state_dir: Path
    neo4j_password: str | None
    neo4j_user: str = "neo4j"
    neo4j_database: str = "neo4j"
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    neo4j_host: str = "127.0.0.1"
    neo4j_uri_override: str | None = None
    neo4j_home_override: str | None = None
    neo4j_version: str = "5.26.31"
    neo4j_browser_version: str = "5.24.0"
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "1g"
    neo4j_start_timeout_s: float = 120.0
    ingest_batch_size: int = 5000
    ingest_node_writers: int = 2
    api_max_ties: int = 100
    api_host: str = "127.0.0.1"
    api_port: int = 5000
    api_workers: int = min(8, os.cpu_count() or 1)  # measured best here: 2 workers x 6 threads on 2 cores
    api_threads: int = 6
    api_rate_limit: int = 100  # requests per second per key (a key may carry its own)
    api_key_cache_s: int = 5
    api_failed_auth_rate: int = 20  # requests per second per client address that may fail authentication
    api_max_body_bytes: int = 5 * 2**20
    api_request_read_timeout_s: int = 10  # a request's head and body must arrive within this
    loss_given_default: float = 0.45
    network_refresh_s: int = 300  # how old the stress-test network view may grow before a rebuild
    network_wait_s: int = 20  # how long a request waits for the first view before a 503
    ingest_claim_ttl_s: int = 10  # a pending Idempotency-Key claim not renewed for this long (its writer is gone) is taken over
    models_dir_override: str | None = None
    score_anchor_points: float = 600.0
    score_anchor_odds: float = 50.0
    score_pdo: float = 20.0
    # Upper PD bounds of grades 1 to 9 (grade 10 above the last): TRUSTNET_MASTER_SCALE, 9 increasing numbers.
    master_scale: tuple[float, ...] = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.30)
    on_demand_fanout_1: int = 50
    on_demand_fanout_2: int = 10
    # At most this many on-demand scores per request for firms that already have a stored score of
    # the serving model; past it they are served that score as "stale" (a new firm is always scored).
    on_demand_per_request: int = 20
    console_secret: str | None = None  # signs console session cookies; None: one generated into .run/
    console_idle_minutes: int = 30  # a console session idle this long ends
    console_secure_cookie: bool = False  # set behind HTTPS: the browser then sends the cookie over HTTPS only
    cypher_dir: Path = Path(__file__).resolve().parents[2] / "cypher"  # the cypher package, beside graph_service

    @property
    def models_dir(self) -> Path:
        """Trained model folders, one per version."""
        return Path(self.models_dir_override).resolve() if self.models_dir_override else self.state_dir / "models"

    @property
    def api_browser_host(self) -> str:
        """Where a web browser on this machine reaches the API (not 0.0.0.0, which only listens)."""
        return "127.0.0.1" if self.api_host in ("0.0.0.0", "::", "") else self.api_host

    @property
    def neo4j_uri(self) -> str:
        return self.neo4j_uri_override or f"bolt://{self.neo4j_host}:{self.neo4j_bolt_port}"

    @property
    def neo4j_home(self) -> Path:
        """The local server's folder (config, data, logs); one per instance, never shared."""
        if self.neo4j_home_override:
            return Path(self.neo4j_home_override).resolve()
        return self.state_dir / ".neo4j" / "demo"

    @property
    def neo4j_dist_dir(self) -> Path:
        """Jars resolved from Maven Central, shared by every local instance of one version."""
        return self.state_dir / ".neo4j" / "dist" / self.neo4j_version

    @property
    def env_file(self) -> Path:
        return self.state_dir / ENV_FILE_NAME

    def require_password(self) -> str:
        if not self.neo4j_password:
            raise TrustNetError(
                "no Neo4j password: set TRUSTNET_NEO4J_PASSWORD or run `trustnet neo4j start`, "
                f"which writes one to {self.env_file}"
            )
        return self.neo4j_password

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        state_dir = Path(env.get("TRUSTNET_STATE_DIR", os.getcwd())).resolve()
        env = {**read_env_file(state_dir / ENV_FILE_NAME), **env}

        def get(name: str, default: str | None = None) -> str | None:
            return env.get(f"TRUSTNET_{name}", default)

        def get_int(name: str, default: int, low: int = 1, high: int = 1_000_000) -> int:
            raw = get(name)
            try:
                value = default if raw is None else int(raw)
            except ValueError:
                raise TrustNetError(f"TRUSTNET_{name} must be an integer, got {raw!r}") from None
            if not low <= value <= high:
                raise TrustNetError(f"TRUSTNET_{name} must be between {low} and {high}, got {value}")
            return value

        def get_scale(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
            raw = get(name)
            if raw is None:
                return default
            try:
                bounds = tuple(float(part) for part in raw.split(","))
            except ValueError:
                bounds = ()
            if len(bounds) != len(default) or not all(0 < a < b < 1 for a, b in zip(bounds, bounds[1:])) \
                    or not 0 < bounds[0]:
                raise TrustNetError(f"TRUSTNET_{name} must be {len(default)} increasing PDs between 0 and 1, separated "
                                    f"by commas (the upper bounds of grades 1 to {len(default)}), got {raw!r}")
            return bounds

        defaults = cls(state_dir=state_dir, neo4j_password=None)
        return cls(
            state_dir=state_dir,
            neo4j_password=get("NEO4J_PASSWORD"),
            neo4j_user=get("NEO4J_USER", defaults.neo4j_user),
            neo4j_database=get("NEO4J_DATABASE", defaults.neo4j_database),
            neo4j_bolt_port=get_int("NEO4J_BOLT_PORT", defaults.neo4j_bolt_port, high=65535),
            neo4j_http_port=get_int("NEO4J_HTTP_PORT", defaults.neo4j_http_port, high=65535),
            neo4j_uri_override=get("NEO4J_URI"),
            neo4j_home_override=get("NEO4J_HOME"),
            neo4j_version=get("NEO4J_VERSION", defaults.neo4j_version),
            neo4j_heap=get("NEO4J_HEAP", defaults.neo4j_heap),
            neo4j_pagecache=get("NEO4J_PAGECACHE", defaults.neo4j_pagecache),
            ingest_batch_size=get_int("INGEST_BATCH_SIZE", defaults.ingest_batch_size),
            ingest_node_writers=get_int("INGEST_NODE_WRITERS", defaults.ingest_node_writers, high=16),
            api_max_ties=get_int("API_MAX_TIES", defaults.api_max_ties, high=1000),
            api_host=get("API_HOST", defaults.api_host),
            api_port=get_int("API_PORT", defaults.api_port, high=65535),
            api_workers=get_int("API_WORKERS", defaults.api_workers, high=64),
            api_threads=get_int("API_THREADS", defaults.api_threads, high=256),
            api_rate_limit=get_int("API_RATE_LIMIT", defaults.api_rate_limit),
            api_key_cache_s=get_int("API_KEY_CACHE_S", defaults.api_key_cache_s, low=0, high=3600),
            api_failed_auth_rate=get_int("API_FAILED_AUTH_RATE", defaults.api_failed_auth_rate, high=1_000_000),
            api_max_body_bytes=get_int("API_MAX_BODY_BYTES", defaults.api_max_body_bytes, low=1024, high=2**30),
            api_request_read_timeout_s=get_int("API_REQUEST_READ_TIMEOUT_S", defaults.api_request_read_timeout_s,
                                               high=3600),
            loss_given_default=get_int("LGD_PERCENT", round(defaults.loss_given_default * 100), low=0, high=100) / 100,
            network_refresh_s=get_int("NETWORK_REFRESH_S", defaults.network_refresh_s, low=0, high=86_400),
            network_wait_s=get_int("NETWORK_WAIT_S", defaults.network_wait_s, low=0, high=600),
            ingest_claim_ttl_s=get_int("INGEST_CLAIM_TTL_S", defaults.ingest_claim_ttl_s, low=3, high=86_400),
            models_dir_override=get("MODELS_DIR"),
            score_anchor_points=get_int("SCORE_ANCHOR_POINTS", int(defaults.score_anchor_points), high=10_000),
            score_anchor_odds=get_int("SCORE_ANCHOR_ODDS", int(defaults.score_anchor_odds), high=1_000_000),
            score_pdo=get_int("SCORE_PDO", int(defaults.score_pdo), high=1_000),
            master_scale=get_scale("MASTER_SCALE", defaults.master_scale),
            on_demand_fanout_1=get_int("ON_DEMAND_FANOUT_1", defaults.on_demand_fanout_1, high=10_000),
            on_demand_fanout_2=get_int("ON_DEMAND_FANOUT_2", defaults.on_demand_fanout_2, high=10_000),
            on_demand_per_request=get_int("ON_DEMAND_PER_REQUEST", defaults.on_demand_per_request, low=0,
                                          high=10_000),
            console_secret=get("CONSOLE_SECRET"),
            console_idle_minutes=get_int("CONSOLE_IDLE_MINUTES", defaults.console_idle_minutes, high=24 * 60),
            console_secure_cookie=get("CONSOLE_SECURE_COOKIE", "0") in ("1", "true", "yes"),
        )
