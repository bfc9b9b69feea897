"""`trustnet keys create | list | revoke` on the test Neo4j, as an operator uses them."""

import os
import stat
from datetime import datetime, timezone

from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.domain import NodeRow
from graph_service.services.api_keys import KeyRing


def test_create_list_rotate_and_revoke(neo4j_store, tmp_path):
    runner = CliRunner()
    neo4j_store.merge_nodes("Bank", [NodeRow("B1", {"name": "Bank 1"}, 1)], "t",
                            datetime(2026, 1, 1, tzinfo=timezone.utc))
    made = runner.invoke(main, ["keys", "create", "--role", "bank", "--name", "acme", "--acts-for", "Bank:B1"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    ring = KeyRing(neo4j_store, ttl_s=0)
    assert ring.principal(token).acts_for("Bank", "B1")

    listed = runner.invoke(main, ["keys", "list"])
    assert "Bank:B1" in listed.output and token not in listed.output

    out = tmp_path / "key"
    rotated = runner.invoke(main, ["keys", "create", "--role", "bank", "--name", "acme", "--acts-for", "Bank:B1",
                                   "--replace", "--out", str(out)])
    assert rotated.exit_code == 0, rotated.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert ring.principal(token) is None  # the old key was revoked
    new_token = out.read_text().strip()
    key_id = new_token.split("_")[1]
    assert runner.invoke(main, ["keys", "revoke", key_id]).exit_code == 0
    assert ring.principal(new_token) is None


def test_bad_key_requests_say_what_is_wrong(neo4j_store):
    runner = CliRunner()
    for args, message in [
        (["--role", "bank", "--name", "x"], "acts for a node"),
        (["--role", "bank", "--name", "x", "--acts-for", "B1"], "LABEL:ID"),
        (["--role", "bank", "--name", "x", "--acts-for", "Chamber:C1"], "not a Chamber"),
        (["--role", "bank", "--name", "x", "--acts-for", "Bank:NOPE"], "no Bank with id 'NOPE'"),
        (["--role", "admin", "--name", "x", "--acts-for", "Bank:B1"], "acts for the platform"),
    ]:
        result = runner.invoke(main, ["keys", "create", *args])
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert "no API key with id 'nope'" in runner.invoke(main, ["keys", "revoke", "nope"]).output
