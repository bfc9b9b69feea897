"""API keys: `trustnet keys create | list | revoke`."""

from __future__ import annotations

from pathlib import Path

import click

from graph_service.cli.context import opened_store
from graph_service.core.errors import TrustNetError
from graph_service.services.api_keys import ROLES


@click.group()
def keys() -> None:
    """API keys: each has one role and, for a bank, guarantor or partner, the node it acts for."""


@keys.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", required=True, help="Who holds the key (shown in `keys list` and the audit trail).")
@click.option("--acts-for", "acts_for", metavar="LABEL:ID",
              help="The node the key acts for, e.g. Bank:B001 (banks, guarantors and partners).")
@click.option("--rate-limit", type=click.IntRange(1, 1_000_000), default=None,
              help="Requests per second (default TRUSTNET_API_RATE_LIMIT).")
@click.option("--replace", is_flag=True, help="Revoke the other active keys of this name first (rotation).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the key to this file (mode 0600) instead of printing it.")
def keys_create(role: str, name: str, acts_for: str | None, rate_limit: int | None, replace: bool,
                out_file: Path | None) -> None:
    """Create a key; it is shown once (only its hash is kept)."""
    import os

    from graph_service.services.api_keys import create_key, list_keys, revoke_key

    node = None
    if acts_for is not None:
        label, sep, node_id = acts_for.partition(":")
        if not sep or not label or not node_id:
            raise TrustNetError(f"--acts-for takes LABEL:ID, e.g. Bank:B001; got {acts_for!r}")
        node = (label, node_id)
    with opened_store() as store:
        if replace:
            for old in list_keys(store):
                if old["name"] == name and old["revoked_at"] is None:
                    revoke_key(store, old["id"])
                    click.echo(f"revoked {old['id']}", err=True)
        token, record = create_key(store, role, name, node, rate_limit)
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(token + "\n")
        click.echo(f"key {record['id']} ({role}) written to {out_file}", err=True)
    else:
        click.echo(f"key {record['id']} ({role}); keep it now, it is not shown again:", err=True)
        click.echo(token)


@keys.command("list")
def keys_list() -> None:
    """Every key: id, role, what it acts for, created and revoked (never the key itself)."""
    from graph_service.services.api_keys import list_keys

    with opened_store() as store:
        rows = list_keys(store)
    click.echo(f"{'id':<13} {'role':<13} {'acts for':<22} {'name':<20} {'created':<20} revoked")
    for k in rows:
        acts_for = f"{k['acts_for_label']}:{k['acts_for_id']}" if k["acts_for_label"] else "-"
        created = k["created_at"].strftime("%Y-%m-%d %H:%M:%S")
        revoked = k["revoked_at"].strftime("%Y-%m-%d %H:%M:%S") if k["revoked_at"] else "-"
        click.echo(f"{k['id']:<13} {k['role']:<13} {acts_for:<22} {k['name'][:20]:<20} {created:<20} {revoked}")


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key (the API refuses it within TRUSTNET_API_KEY_CACHE_S seconds)."""
    from graph_service.services.api_keys import revoke_key

    with opened_store() as store:
        revoke_key(store, key_id)
    click.echo(f"revoked {key_id}")


COMMANDS = (keys,)
