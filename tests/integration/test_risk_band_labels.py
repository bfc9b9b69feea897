"""A scored firm carries its risk band's label for Browser's style; the label follows its latest
grade and is never taken for a node type (snapshots, exports and the firm view still say Firm)."""

from datetime import datetime, timezone

from graph_service.core.domain import NodeRow, RelationshipRow, ScoreRow
from graph_service.core.graph_model import risk_band
from graph_service.core.snapshot import read_snapshot

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_grades_map_to_three_bands():
    assert [risk_band(g) for g in ("1", "4", "5", "7", "8", "10", "D", None)] == [
        "RiskLow", "RiskLow", "RiskMedium", "RiskMedium", "RiskHigh", "RiskHigh", "RiskHigh", None]


def _labels(store, firm_id):
    records, _, _ = store.driver.execute_query("MATCH (f:Firm {id: $id}) RETURN labels(f) AS labels",
                                               {"id": firm_id}, database_=store.database)
    return records[0]["labels"]


def test_the_band_label_follows_the_latest_grade_and_stays_out_of_the_data(neo4j_store):
    store = neo4j_store
    store.merge_nodes("Firm", [NodeRow(f, {"name": f}, 1) for f in ("A", "B")], "t", T)
    store.merge_relationships("TRADES_WITH", "Firm", "Firm", [RelationshipRow("A", "B", {}, 1)], "t", T)
    store.save_model("m-1", {"name": "test model"})

    def score(firm, grade, when):
        store.save_scores("m-1", [ScoreRow(firm, {
            "id": f"s-{firm}-{when}", "pd": 0.2, "score": 500, "grade": grade, "scored_at": when})])

    score("A", "9", "2026-01-01T00:00:00+00:00")
    assert _labels(store, "A") == ["Firm", "RiskHigh"] and _labels(store, "B") == ["Firm"]
    score("A", "3", "2026-02-01T00:00:00+00:00")
    assert _labels(store, "A") == ["Firm", "RiskLow"]
    snapshot = read_snapshot(store)
    assert set(snapshot.nodes) == {"Firm"} and len(snapshot.nodes["Firm"]) == 2
    assert [row[:4] for row in store.export_relationships("TRADES_WITH")] == [("Firm", "A", "Firm", "B")]
    assert {t.label for t in store.firm_with_ties("B", 10).ties} == {"Firm"}
