import re

import pytest

from graph_service.core.errors import GraphModelError
from graph_service.core.settings import Settings
from cypher.library import CypherLibrary

LIBRARY = CypherLibrary(Settings.from_env().cypher_dir)
ALL = sorted(LIBRARY._statements)


@pytest.mark.parametrize("name", ALL)
def test_every_statement_has_a_title_and_no_inline_values(name):
    text = LIBRARY.text(name)
    assert text.startswith("// ") and len(LIBRARY.title(name)) > 5
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    # Values come in as $parameters: no quoted string literals inside the statements,
    # apart from fixed vocabulary such as 'out'/'in' or 'node'/'relationship'.
    literals = set(re.findall(r"'([^']*)'", body))
    assert literals <= {"out", "in", "node", "relationship"}, literals


def test_placeholders_accept_only_identifiers():
    assert "MERGE (n:Firm {id: row.id})" in LIBRARY.query("ingest/merge_nodes", label="Firm")
    with pytest.raises(GraphModelError):
        LIBRARY.query("ingest/merge_nodes", label="Firm {id: 1}) DETACH DELETE n //")


def test_a_missing_placeholder_value_is_an_error():
    with pytest.raises(Exception, match="needs identifiers"):
        LIBRARY.query("ingest/merge_relationships", type="TRADES_WITH")
