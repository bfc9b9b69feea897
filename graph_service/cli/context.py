"""What every `trustnet` command sets up: the settings, and a store opened on the configured Neo4j.

Settings are read when a command runs (never at import), so each invocation sees the environment
and the state folder's `.env` as they are then. The Neo4j adapter is imported only by commands that
open a store, so `trustnet --help` and the offline commands stay quick.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from graph_service.core.settings import Settings

if TYPE_CHECKING:
    from graph_service.adapters.neo4j_store import Neo4jStore


def command_settings() -> Settings:
    """The settings for this command: environment variables, then the state folder's `.env`."""
    return Settings.from_env()


@contextmanager
def opened_store(settings: Settings | None = None) -> Iterator[Neo4jStore]:
    """A store on the configured Neo4j (from `settings`, or the command's settings), closed on exit."""
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(settings or command_settings()) as store:
        yield store
