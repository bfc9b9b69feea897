"""`trustnet patterns` on the test Neo4j: counts, the circles listed, and the flags left on firms."""

from click.testing import CliRunner

from graph_service.cli import main
from tests.contract.test_guarantee_patterns import load_edges


def test_patterns_are_reported_and_flagged(neo4j_store):
    load_edges(neo4j_store)
    result = CliRunner().invoke(main, ["patterns", "--show", "5"])
    assert result.exit_code == 0, result.output
    assert "circles (up to 6 firms): 2, of which mutual pairs 1" in result.output
    assert "circle: A -> B -> A" in result.output and "circle: C -> D -> E -> C" in result.output
    assert neo4j_store.firm_with_ties("C", 0).properties["guarantee_circle_size"] == 3
