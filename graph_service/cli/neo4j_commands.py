"""`trustnet neo4j start | stop | status`: the local Neo4j Community server."""

from __future__ import annotations

import sys

import click

from graph_service.cli.context import command_settings


@click.group()
def neo4j() -> None:
    """Run a local Neo4j Community server from Maven Central jars (no Docker)."""


@neo4j.command("start")
@click.option("--fresh", is_flag=True, help="Delete this instance's data first (tests).")
def neo4j_start(fresh: bool) -> None:
    """Fetch (once), configure and start Neo4j, then wait until a Bolt login succeeds."""
    from graph_service.tooling.local_neo4j import server

    settings = server.ensure_password(command_settings())
    click.echo(f"Starting Neo4j {settings.neo4j_version} in {settings.neo4j_home} ...", err=True)
    state = server.start(settings, fresh=fresh)
    click.echo(f"Neo4j is running (pid {state.pid}): {state.bolt_uri}, Browser {state.browser_url}")


@neo4j.command("stop")
def neo4j_stop() -> None:
    """Stop the local server cleanly (SIGTERM to its pid, then wait)."""
    from graph_service.tooling.local_neo4j import server

    settings = command_settings()
    click.echo("Neo4j stopped." if server.stop(settings) else f"Neo4j was not running in {settings.neo4j_home}.")


@neo4j.command("status")
def neo4j_status() -> None:
    """Exit 0 if the local server runs, 3 if not."""
    from graph_service.tooling.local_neo4j import server

    state = server.status(command_settings())
    if not state.running:
        click.echo(f"Neo4j is not running in {state.home}.")
        sys.exit(3)
    click.echo(f"Neo4j is running (pid {state.pid}): {state.bolt_uri}, Browser {state.browser_url}")


COMMANDS = (neo4j,)
