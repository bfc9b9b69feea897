"""`trustnet stress` on the test Neo4j, with the hand-worked network of tests/unit/test_stress_test.py."""

from datetime import datetime, timezone

from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.domain import NodeRow, RelationshipRow
from tests.unit.test_stress_test import _snapshot

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _load(store, snapshot):
    for label, table in snapshot.nodes.items():
        rows = [NodeRow(node_id, {k: v[i] for k, v in table.properties.items() if v[i] is not None}, 1)
                for i, node_id in enumerate(table.ids.tolist())]
        store.merge_nodes(label, rows, "t", T)
    for (source_label, rel_type, target_label), edge in snapshot.edges.items():
        rows = [RelationshipRow(snapshot.nodes[source_label].ids[a], snapshot.nodes[target_label].ids[b],
                                {k: v[i] for k, v in edge.properties.items() if v[i] is not None}, i)
                for i, (a, b) in enumerate(zip(edge.source.tolist(), edge.target.tolist()))]
        store.merge_relationships(rel_type, source_label, target_label, rows, "t", T)


def test_stress_prints_the_hand_worked_losses(neo4j_store):
    _load(neo4j_store, _snapshot())
    result = CliRunner().invoke(main, ["stress", "--default", "A", "--central", "5"],
                                env={"TRUSTNET_LGD_PERCENT": "100"})
    assert result.exit_code == 0, result.output
    assert "DebtRank 0.3065 after 2 round(s); 3 nodes affected" in result.output
    assert "G              0.6500" in result.output and "K              0.3250" in result.output
    assert "A              DebtRank 0.3065" in result.output
    unknown = CliRunner().invoke(main, ["stress", "--default", "NOPE"])
    assert unknown.exit_code == 1 and "no firm with id 'NOPE'" in unknown.output
