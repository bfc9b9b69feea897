"""ScoreStore's contract (models, scores, score states): the same on the fake and on Neo4j."""

from graph_service.core.domain import ScoreRow
from tests.contract.graphs import T, neighbourhood, network


def test_scores_are_kept_and_the_latest_is_on_the_firm(any_store):
    neighbourhood(any_store)
    any_store.save_model("m-1", {"name": "test model"})
    for when, pd in (("2026-01-01T00:00:00+00:00", 0.1), ("2026-02-01T00:00:00+00:00", 0.2)):
        any_store.save_scores("m-1", [ScoreRow("A", {
            "id": f"s-{pd}", "pd": pd, "score": 500, "grade": "9", "scored_at": when, "mode": "batch"})])
    assert any_store.latest_score("A")["pd"] == 0.2
    assert [s["pd"] for s in any_store.score_history("A", 10)] == [0.2, 0.1]  # the history, newest first
    assert [s["pd"] for s in any_store.score_history("A", 1)] == [0.2] and any_store.score_history("B", 5) == []
    view = any_store.firm_with_ties("A", 10)
    assert view.properties["pd"] == 0.2
    assert not [t for t in view.ties if t.label == "Score"]  # its scores are not ties in its network
    assert any_store.latest_score("B") is None
    counts = any_store.counts_by_type()
    assert counts[("node", "Score")] == 2 and counts[("relationship", "SCORED_BY")] == 2


def test_score_states_give_the_load_time_and_the_latest_score(any_store):
    network(any_store)
    any_store.save_model("m1", {"name": "test"})
    any_store.save_scores("m1", [ScoreRow("A", {
        "id": "s1", "pd": 0.1, "score": 500, "grade": "9", "scored_at": "2026-02-01T00:00:00+00:00",
        "model_version": "m1"})])
    states = any_store.score_states(["A", "B", "nobody"])
    assert set(states) == {"A", "B"}
    assert states["A"][0] == T and states["A"][1]["id"] == "s1"
    assert states["B"] == (T, None)


def test_saving_scores_says_how_many_were_written(any_store):
    """None for a model the database has no Model node of, none for a firm that is not there."""
    neighbourhood(any_store)
    row = {"pd": 0.1, "score": 500, "grade": "9", "scored_at": "2026-01-01T00:00:00+00:00", "mode": "batch"}
    assert any_store.save_scores("unknown-model", [ScoreRow("A", {**row, "id": "s-1"})]) == 0
    assert any_store.latest_score("A") is None
    any_store.save_model("m-1", {"name": "test model"})
    assert any_store.save_scores("m-1", [ScoreRow("A", {**row, "id": "s-2"}), ScoreRow("nobody", {**row, "id": "s-3"})]) == 1
