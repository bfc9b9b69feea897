"""Serving and showing the running system: `trustnet serve`, `demo-info` and `browser-screenshot`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph_service.cli.context import command_settings
from graph_service.core.errors import TrustNetError


@click.command("serve")
@click.option("--host", default=None, help="Default TRUSTNET_API_HOST.")
@click.option("--port", type=int, default=None, help="Default TRUSTNET_API_PORT.")
@click.option("--daemon", is_flag=True, help="Run in the background; pid in .run/api.pid.")
def serve(host: str | None, port: int | None, daemon: bool) -> None:
    """Serve the API with gunicorn: TRUSTNET_API_WORKERS processes of TRUSTNET_API_THREADS threads.

    The workers read each request whole before a thread takes it (graph_service/api/http_worker.py),
    so slow clients cannot hold the threads."""
    import os

    settings = command_settings()
    bind = f"{host or settings.api_host}:{port or settings.api_port}"
    run_dir = settings.state_dir / ".run"
    if daemon:
        run_dir.mkdir(exist_ok=True)
    access_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
    args = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(settings.api_workers),
            "--threads", str(settings.api_threads), "--worker-class", "graph_service.api.http_worker.BufferingWorker",
            "--access-logformat", access_format,
            "--access-logfile", "-" if not daemon else str(run_dir / "api-access.log"),
            "--error-logfile", "-" if not daemon else str(run_dir / "api.log"),
            "graph_service.api.wsgi:app"]
    if daemon:
        args[3:3] = ["--daemon", "--pid", str(run_dir / "api.pid")]
    os.execv(args[0], args)


@click.command("demo-info")
@click.option("--wait", is_flag=True, help="Wait up to 60 s until the API answers /health.")
def demo_info(wait: bool) -> None:
    """Print the API, docs and Neo4j Browser URLs with the credentials."""
    import time
    import urllib.request

    settings = command_settings()
    api = f"http://{settings.api_host}:{settings.api_port}"
    if wait:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{api}/health", timeout=2).read()
                break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise TrustNetError(f"the API did not answer {api}/health: {exc}; see .run/api.log") from exc
                time.sleep(0.5)
    key_file = settings.state_dir / ".run" / "demo-api-key"
    key = key_file.read_text().strip() if key_file.is_file() else "<a key from `trustnet keys create`>"
    click.echo(f"""
TrustNet is running.
  API            {api}/health
                 curl -H "Authorization: Bearer $(cat {key_file})" {api}/v1/firms/F00001/score
                 (an admin key for the demo: {key})
  API docs       {api}/docs   (OpenAPI: {api}/openapi.json)
  Neo4j Browser  http://{settings.neo4j_host}:{settings.neo4j_http_port}/browser/
                 connect to {settings.neo4j_uri} as {settings.neo4j_user} / {settings.neo4j_password}
                 (the password is in {settings.env_file})
Stop everything with `make stop`.""")


@click.command("browser-screenshot")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/neo4j-browser.png"), show_default=True)
def browser_screenshot(out_file: Path) -> None:
    """Open Neo4j Browser in headless Chromium, log in, run the guide's firm query and save a screenshot."""
    from graph_service.tooling.browser_screenshot import take_screenshot

    visit = take_screenshot(command_settings(), out_file)
    click.echo(f"{visit.screenshot}: guide {visit.guide_title!r}, {visit.nodes_drawn} nodes drawn, "
               f"TrustNet style {'applied' if visit.style_loaded else 'NOT applied'}")


COMMANDS = (serve, demo_info, browser_screenshot)
