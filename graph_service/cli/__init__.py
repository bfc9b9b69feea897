"""The `trustnet` command line: the `main` group, with one module per command group.

neo4j_commands    neo4j start | stop | status
data_commands     init-schema, load, model, stats, sample-data, generate
model_commands    evaluate, train, score
network_commands  patterns, track-records, stress
access_commands   keys create | list | revoke
serving_commands  serve, demo-info, browser-screenshot

Every command takes its settings and store from `context`.
"""

from __future__ import annotations

import click

from graph_service.cli import (access_commands, data_commands, model_commands, neo4j_commands, network_commands,
                               serving_commands)
from graph_service.core.errors import TrustNetError


class _Group(click.Group):
    """Turns TrustNet's own errors into a one-line message and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrustNetError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
def main() -> None:
    """TrustNet: network credit for small firms."""


for _module in (neo4j_commands, data_commands, model_commands, network_commands, access_commands, serving_commands):
    for _command in _module.COMMANDS:
        main.add_command(_command)
