"""The Cypher statements in cypher/: one statement per file, loaded once, looked up by name.

A statement's name is its path under cypher/ without the suffix ("ingest/merge_nodes"). Its first
line is a `// Title` comment, so the same file is a Neo4j Browser favourite. Values are always
`$parameters`; the only text ever substituted is a `{{placeholder}}` for a label or relationship
type, which must be a plain identifier (the graph model's registry checks it belongs to the model).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import LiteralString, cast

from graph_service.core.errors import GraphModelError, TrustNetError

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


class CypherLibrary:
    def __init__(self, root: Path):
        self.root = root
        self._statements: dict[str, str] = {}
        for path in sorted(root.rglob("*.cypher")):
            text = path.read_text(encoding="utf-8").strip()
            name = path.relative_to(root).with_suffix("").as_posix()
            if not text.startswith("// "):
                raise TrustNetError(f"{path}: the first line must be a `// Title` comment")
            self._statements[name] = text
        if not self._statements:
            raise TrustNetError(f"no .cypher files under {root}")

    def names(self, folder: str) -> list[str]:
        prefix = folder.rstrip("/") + "/"
        return [name for name in self._statements if name.startswith(prefix)]

    def title(self, name: str) -> str:
        return self.text(name).splitlines()[0][3:].strip()

    def text(self, name: str) -> str:
        try:
            return self._statements[name]
        except KeyError:
            raise TrustNetError(f"no Cypher statement named {name!r} under {self.root}") from None

    def placeholders(self, name: str) -> set[str]:
        return set(_PLACEHOLDER.findall(self.text(name)))

    def query(self, name: str, **identifiers: str) -> LiteralString:
        """The statement, with each {{placeholder}} replaced by a checked identifier."""
        text = self.text(name)
        needed = set(_PLACEHOLDER.findall(text))
        if needed != set(identifiers):
            raise TrustNetError(f"{name} needs identifiers {sorted(needed)}, got {sorted(identifiers)}")
        for value in identifiers.values():
            if not _IDENTIFIER.fullmatch(value):
                raise GraphModelError(f"{value!r} is not a valid label or relationship type")
        rendered = _PLACEHOLDER.sub(lambda m: identifiers[m.group(1)], text)
        # The single cast point: file text plus identifiers checked above, never request values.
        return cast(LiteralString, rendered)


@lru_cache(maxsize=4)
def load_library(root: Path) -> CypherLibrary:
    return CypherLibrary(root)
