"""Serving and showing the running system: `trustnet serve`, `demo-info`, `browser-screenshot` and
`console-screenshots`."""

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
  Console        {api}/   (sign in with an API key: bank officers, guarantors, investigators)
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


def _tour(store) -> tuple[dict, dict]:
    """(role -> (label, id) the key acts for, the ids to show): the guarantor with the most live
    guarantees, a bank that granted one of them, and its first borrower."""
    guarantors = sorted(node_id for node_id, _ in store.export_nodes("Guarantor"))
    if not guarantors:
        raise TrustNetError("no guarantor in the graph: run `make demo` first")
    books = {g: store.direct_guarantees("Guarantor", g, None)["guarantees"] for g in guarantors}
    guarantor = max(guarantors, key=lambda g: (sum(x["status"] == "current" for x in books[g]), g))
    live = [x for x in books[guarantor] if x["bank_id"] and x["borrower_id"]]
    if not live:
        raise TrustNetError(f"guarantor {guarantor} guarantees no loan with a lender and a borrower")
    acts_for = {"bank": ("Bank", live[0]["bank_id"]), "guarantor": ("Guarantor", guarantor), "investigator": None}
    return acts_for, {"firm": live[0]["borrower_id"], "name": live[0]["borrower_name"] or live[0]["borrower_id"]}


@click.command("console-screenshots")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True)
def console_screenshots(out_dir: Path) -> None:
    """Take a picture of each console page from the running server (`make demo`), signed in with
    short-lived keys for a bank, a guarantor and an investigator (revoked afterwards)."""
    from urllib.parse import quote

    from graph_service.cli.context import opened_store
    from graph_service.services.api_keys import create_key, revoke_key
    from graph_service.tooling.console_browser import Page, screenshots

    settings = command_settings()
    base = f"http://{settings.api_browser_host}:{settings.api_port}"
    with opened_store(settings) as store:
        acts_for, shown = _tour(store)
        made = {role: create_key(store, role, f"console screenshots ({role})", target) for role, target in acts_for.items()}
        firm, search = shown["firm"], quote(shown["name"].split()[0])
        pages = {
            "bank": [Page("console-home", "/console/", "#who"), Page("console-find", f"/console/firms?q={search}", "#found"),
                     Page("console-score-card", f"/console/firms/{quote(firm)}", "#neighbourhood svg"),
                     Page("console-batch", "/console/batch", "#upload")],
            "guarantor": [Page("console-exposure", "/console/exposure", "#guarantor-name"),
                          Page("console-what-if", "/console/what-if", "#what-if-result",
                               ("#borrowers input[type=checkbox]", "#run-what-if"))],
            "investigator": [Page("console-investigator", f"/console/firms/{quote(firm)}", "#browser-link")],
        }
        try:
            taken = screenshots(base, {role: key for role, (key, _) in made.items()}, pages, out_dir)
        finally:
            for _, record in made.values():
                revoke_key(store, record["id"])
    for path in taken:
        click.echo(path)


COMMANDS = (serve, demo_info, browser_screenshot, console_screenshots)
