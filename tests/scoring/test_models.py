"""What a validator would check first: the network adds information, and PDs are calibrated and monotone."""

import numpy as np

from scoring.calibration import PD_FLOOR, Calibrator

FEATURES_ONLY = ("features-only logistic regression", "features-only gradient boosting")
PROPAGATION = "seeded propagation (TrustRank)"


def test_every_model_is_reported_for_thin_file_and_with_history_firms(evaluation):
    names = [r.name for r in evaluation.results]
    assert set(FEATURES_ONLY) | {PROPAGATION, "graph-feature gradient boosting"} <= set(names)
    for result in evaluation.results:
        assert set(result.test) == {"all", "thin-file", "with-history"}
        assert result.test["thin-file"].n > 1000 and result.test["with-history"].n > 1000
    assert evaluation.test.thin.any() and (~evaluation.test.thin).any()


def test_the_shipped_model_beats_features_only_and_propagation_on_thin_file_firms(evaluation):
    auc = {r.name: r.test["thin-file"].auc for r in evaluation.results}
    shipped = auc[evaluation.shipped]
    assert shipped >= max(auc[name] for name in FEATURES_ONLY) + 0.05, auc
    assert shipped > auc[PROPAGATION], auc


def test_pd_is_monotone_in_the_model_output_and_floored(evaluation):
    result = next(r for r in evaluation.results if r.name == evaluation.shipped)
    order = np.argsort(result.test_risk, kind="stable")
    assert np.all(np.diff(result.test_pd[order]) >= 0)
    assert result.test_pd.min() >= PD_FLOOR and result.test_pd.max() <= 1


def test_calibration_is_monotone_on_any_input():
    rng = np.random.default_rng(1)
    risk = rng.random(2000)
    y = (rng.random(2000) < risk * 0.3).astype(int)
    calibrator = Calibrator.fit(risk, y)
    grid = np.linspace(-1, 2, 500)
    assert np.all(np.diff(calibrator.pd(grid)) >= 0)


def test_the_reliability_table_covers_every_test_firm(evaluation):
    table = evaluation.reliability()
    assert sum(count for _, count, _, _ in table) == len(evaluation.test.y)
    observed = sum(count * rate for _, count, _, rate in table)
    assert round(observed) == evaluation.test.y.sum()


def test_the_report_says_whether_recommender_track_records_changed_the_thin_file_auc(evaluation):
    from scoring.evaluation import TRACK_RECORD_COLUMNS
    from scoring.report import as_text

    [(model, left_out, without)] = evaluation.ablations
    assert model == evaluation.shipped and left_out == ", ".join(TRACK_RECORD_COLUMNS)
    assert without.name == f"{evaluation.shipped} without recommender track records"
    assert not set(TRACK_RECORD_COLUMNS) & set(without.model.columns)
    assert set(TRACK_RECORD_COLUMNS) <= set(evaluation.shipped_result().model.columns)
    assert without.name not in [r.name for r in evaluation.results]  # never a candidate to ship
    with_auc, without_auc = evaluation.shipped_result().test["thin-file"].auc, without.test["thin-file"].auc
    line = next(line for line in as_text(evaluation).splitlines() if line.startswith("Recommender track records"))
    assert f"thin-file AUC {with_auc:.3f} with them, {without_auc:.3f} without" in line
    assert "95% paired bootstrap" in line and ("raised it" in line or "lowered it" in line or "noise" in line)


def test_stored_track_records_never_reach_a_model(world_snapshot):
    """They were computed from today's outcomes; a model computes its own as of its date."""
    import copy

    from gnn.hetero_graph import _node_inputs
    from scoring.outcomes import HORIZON, read_history

    snapshot = copy.deepcopy(world_snapshot)
    chambers = snapshot.nodes["Chamber"]
    chambers.properties["track_default_rate"] = [0.5] * len(chambers)
    chambers.properties["capacity"] = [10.0] * len(chambers)
    history = read_history(snapshot)
    hidden = np.zeros(len(snapshot.nodes["Firm"]), dtype=bool)
    names, _ = _node_inputs(snapshot, history, history.observed_until - HORIZON, hidden, None)["Chamber"]
    assert "capacity" in names and "track_default_rate" not in names
