"""conf/neo4j.conf of a local instance: its folders, ports, memory, Bolt liveness and Browser hooks."""

from __future__ import annotations

from pathlib import Path

from graph_service.core.settings import Settings


def write_config(settings: Settings, lib: Path) -> Path:
    """Write conf/neo4j.conf afresh (strict validation refuses keys declared twice)."""
    home = settings.neo4j_home
    conf_dir = home / "conf"
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    host, bolt, http = settings.neo4j_host, settings.neo4j_bolt_port, settings.neo4j_http_port
    allowed_hosts = ",".join(dict.fromkeys([settings.api_browser_host, "127.0.0.1", "localhost"]))
    lines = [
        "# Written by `trustnet neo4j start`; edits are overwritten on the next start.",
        "server.directories.data=data",
        "server.directories.logs=logs",
        "server.directories.run=run",
        "server.directories.import=import",
        "server.directories.plugins=plugins",
        f"server.directories.lib={lib}",
        f"server.default_listen_address={host}",
        f"server.default_advertised_address={host}",
        f"server.bolt.listen_address={host}:{bolt}",
        f"server.bolt.advertised_address={host}:{bolt}",
        f"server.http.listen_address={host}:{http}",
        f"server.http.advertised_address={host}:{http}",
        "server.https.enabled=false",
        # While a request runs the server sends a NOOP after each 1 s of silence (checked every
        # 100 ms; the default checks once a minute), and tells the driver
        # (the `connection.recv_timeout_seconds` hint, keep_alive x probes) to give a connection up
        # after 2 s without a byte: a frozen server then costs a request 2 s at most, not a hang.
        "server.bolt.connection_keep_alive_for_requests=ALL",
        "server.bolt.connection_keep_alive=1s",
        "server.bolt.connection_keep_alive_probes=2",
        "server.bolt.connection_keep_alive_streaming_scheduling_interval=100ms",
        "dbms.security.auth_enabled=true",
        f"server.memory.heap.initial_size={settings.neo4j_heap}",
        f"server.memory.heap.max_size={settings.neo4j_heap}",
        f"server.memory.pagecache.size={settings.neo4j_pagecache}",
        "db.tx_log.rotation.retention_policy=1G size",
        "db.tx_log.preallocate=false",
        "dbms.usage_report.enabled=false",
        "client.allow_telemetry=false",
        # Browser loads TrustNet's style and investigators' guide from the API on connect (5.26 still
        # names the allowlist setting `..._whitelist`).
        f"browser.post_connect_cmd={browser_post_connect_cmd(settings)}",
        f"browser.remote_content_hostname_whitelist={allowed_hosts}",
    ]
    conf = conf_dir / "neo4j.conf"
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


def browser_post_connect_cmd(settings: Settings) -> str:
    """Browser's commands after connecting: TrustNet's style, then its guide (both served by the API)."""
    api = f"http://{settings.api_browser_host}:{settings.api_port}"
    return f"style {api}/browser/style.grass; play {api}/browser/guide.html"
