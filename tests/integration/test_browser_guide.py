"""The Browser guide: every saved query on its own slide, escaped; the example firm chosen by a
Cypher expression Browser evaluates in the investigator's session (the guide names no firm)."""

from graph_service.services.browser_guide import (
    EXAMPLE,
    example_parameter,
    investigations,
    render_guide,
)
from cypher.library import load_library
from graph_service.core.domain import NodeRow, ScoreRow


def test_the_guide_holds_every_saved_query_escaped_and_no_firm_id(settings):
    queries = investigations(settings.cypher_dir)
    name, expression = example_parameter(settings.cypher_dir)
    guide = render_guide(queries, (name, expression), "http://127.0.0.1:5000")
    assert guide.count("<slide") == len(queries) + 1
    assert ":param firm_id =&gt; COLLECT { MATCH (f:Firm)-[:HAS_SCORE]-&gt;(s:Score)" in guide
    for query in queries:
        assert f"cypher/investigations/{query.name}.cypher" in guide
    assert "MATCH (f:Firm)-[:HAS_SCORE]->" not in guide  # arrows and quotes are HTML-escaped
    assert "F0" not in guide.replace("F00042", "")  # no firm's id, apart from the how-to example


def _example(store, settings):
    text = load_library(settings.cypher_dir).text(EXAMPLE)
    records, _, _ = store.driver.execute_query(text, database_=store.database)
    return records[0]["firm_id"]


def test_the_example_is_the_riskiest_scored_firm_whose_score_gives_evidence(neo4j_store, settings):
    from datetime import datetime, timezone

    store = neo4j_store
    assert _example(store, settings) is None
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    store.merge_nodes("Firm", [NodeRow(f, {"name": f}, 1) for f in "ABCD"], "t", when)
    store.save_model("m-1", {"name": "test model"})

    def score(firm, pd, at, evidence):
        store.save_scores("m-1", [ScoreRow(firm, {
            "id": f"s-{firm}-{at}", "pd": pd, "score": 500, "grade": "9", "scored_at": at, "evidence_ids": evidence})])

    score("A", 0.3, "2026-01-01T00:00:00+00:00", ["B"])
    score("A", 0.4, "2026-02-01T00:00:00+00:00", [])  # its latest score gives no evidence
    score("B", 0.2, "2026-01-01T00:00:00+00:00", ["A", "C"])
    score("C", 0.1, "2026-01-01T00:00:00+00:00", ["B"])
    assert _example(store, settings) == "B"
    score("B", 0.2, "2026-03-01T00:00:00+00:00", [])
    assert _example(store, settings) == "C"  # the only one whose latest score gives evidence
    score("C", 0.1, "2026-03-01T00:00:00+00:00", [])
    assert _example(store, settings) == "A"  # none does: the riskiest scored firm
