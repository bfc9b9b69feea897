"""Real data is sparse: verdicts without dates, a 100-value sector, a tie type no labelled firm has,
newcomers without the ties the labelled firms have. Training copes, says what it did, and validates
the way the newcomers will be scored."""

import numpy as np
import pytest

from graph_service.cli.model_candidates import installed_candidates
from graph_service.core.snapshot import snapshot_from_rows
from scoring.evaluation import run_evaluation
from scoring.lacks import Lack
from scoring.model_input import model_input
from scoring.outcomes import read_history
from scoring.report import as_text


def _platform(seed: int = 0, firms: int = 700, newcomers: int = 60, split: bool = False):
    """A rating platform: labelled members rated by others; newcomers who only rated others yet."""
    rng = np.random.default_rng(seed)
    sector_effect = rng.normal(scale=1.0, size=100)
    sector = rng.integers(0, 100, firms)
    quality = sector_effect[sector] + rng.normal(scale=0.7, size=firms)
    labelled = np.arange(firms) < 320
    nodes = [{"label": "Firm", "id": f"U{i:04d}", "properties": {
        "name": f"U{i:04d}", "sector": f"S{sector[i]:03d}",
        "defaulted": bool(quality[i] < -0.4) if labelled[i] else None}} for i in range(firms)]
    if split:  # the owner's split of its labelled firms: 60% train, 20% valid, 20% test
        for i in range(320):
            nodes[i]["properties"]["split"] = ("train", "train", "train", "valid", "test")[i % 5]
    is_newcomer = np.arange(firms) >= firms - newcomers
    ties = []
    for target in range(firms):
        if is_newcomer[target]:
            continue  # nobody has rated a newcomer yet
        for source in rng.choice(firms, 6, replace=False):
            if source != target:
                # Sound raters rate by quality; weak ones vouch for the weak (a rater shows in what it gives).
                vouch = 1.0 if quality[source] > -0.4 else -1.0
                rating = int(np.clip(np.round(3 * vouch * quality[target] + rng.normal(scale=2)), -10, 10)) or 1
                ties.append({"type": "RATES", "from_label": "Firm", "from_id": f"U{source:04d}", "to_label": "Firm",
                             "to_id": f"U{target:04d}", "properties": {"rating": rating}})
    # A rare tie type between two newcomers only: its columns have no value in any labelled row.
    ties.append({"type": "OWNS", "from_label": "Firm", "from_id": f"U{firms - 1:04d}", "to_label": "Firm",
                 "to_id": f"U{firms - 2:04d}", "properties": {"share": 0.4}})
    return snapshot_from_rows(nodes, ties)


@pytest.fixture(scope="module")
def platform_evaluation():
    snapshot = _platform()
    return snapshot, run_evaluation(snapshot, 3, installed_candidates())


def test_every_model_trains_with_columns_no_labelled_firm_has_and_validation_lacks_what_newcomers_lack(
        platform_evaluation):
    snapshot, evaluation = platform_evaluation
    assert evaluation.protocol == "stratified 5-fold cross-validation, 3 repeats"  # 320 labelled: a small set
    assert evaluation.lacks == (Lack("RATES", "in"),)  # inferred: newcomers have received no rating
    names = {r.name for r in evaluation.results}
    assert len(names) >= 6 and evaluation.shipped in names
    assert all(not np.isnan(r.test["all"].auc) for r in evaluation.results)
    assert "OWNS.out.share.mean" in evaluation.test.names  # all NaN on labelled firms: fitted around, no crash
    shipped = evaluation.shipped_result()
    assert shipped.refusal is None and shipped.test["no RATES.in"].auc > 0.7
    text = as_text(evaluation)
    assert "RATES.in: 60 of 380 firms to be scored have none" in text
    assert "Validation firms scored like them lack: RATES.in." in text
    assert "Grades of the shipped model on the 320 test firms" in text  # the spread over the master scale


def test_a_sector_with_a_hundred_values_is_encoded_not_dropped(platform_evaluation):
    snapshot, evaluation = platform_evaluation
    history = read_history(snapshot)
    data = model_input(snapshot, history, history.observed_until, np.zeros(len(snapshot.nodes["Firm"]), dtype=bool))
    names = data.names
    assert "own.sector.frequency" in names and "own.sector.bad_rate" in names
    assert not any(n.startswith("own.sector=") for n in names)  # too many values for one-hot
    rate = data.columns(["own.sector.bad_rate"])[:, 0]
    firms, y = history.verdicts()
    # Its own outcome left out, a firm's sector rate still tells defaulters apart.
    assert np.corrcoef(rate[firms], y)[0, 1] > 0.2
    assert "own.sector.bad_rate" in evaluation.shipped_result().model.columns


def test_a_collapsed_model_is_named_and_not_shipped(platform_evaluation):
    _, evaluation = platform_evaluation
    refused = {r.name: r.refusal for r in evaluation.results if r.refusal}
    for name in refused:
        assert name != evaluation.shipped
        assert any(line.startswith(f"Not shipped: {name}") for line in evaluation.choice)


def test_a_small_label_set_is_cross_validated_three_times_over_with_different_folds(platform_evaluation):
    snapshot, evaluation = platform_evaluation
    assert evaluation.cv_repeats == 3
    for result in evaluation.results:
        assert len(result.fold_aucs) == 15, result.name  # mean and spread over every fold of every repeat
        assert len(set(np.round(result.fold_aucs, 6))) > 5  # different folds, not one split three times
    assert "Repeated cross-validation: each model is judged in each of the 3 repeats" in as_text(evaluation)
    once = run_evaluation(snapshot, 3, installed_candidates(), cv_repeats=1)
    assert once.protocol == "stratified 5-fold cross-validation" and len(once.results[0].fold_aucs) == 5
    # The first repeat is the single run's: the table reports it, the choice weighs all three.
    first = evaluation.results[0]
    np.testing.assert_allclose(first.test_risk, once.results[0].test_risk)
    assert first.validation_thin_auc != once.results[0].validation_thin_auc


def test_a_model_refused_in_one_repeat_is_refused_naming_the_repeat():
    from scoring.cross_validation import _judge_repeats

    class Plan:  # what _judge_repeats reads of a fold plan (scoring.fold_inputs.FoldInputs)
        def __init__(self, y):
            self.y, self.segment = y, np.zeros(len(y), dtype=int)

    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.3).astype(int)
    good = y + rng.normal(scale=0.5, size=200)
    collapsed = (good > 0.5).astype(float)  # two distinct values
    judgement = _judge_repeats("m", [Plan(y), Plan(y), Plan(y)], [good, collapsed, good], ["all"], 0)
    assert judgement.refusal.startswith("its scores collapse on the all firms: 2 distinct values")
    assert judgement.refusal.endswith("(in repeat 2 of 3)")


def test_the_owners_split_trains_on_train_chooses_on_valid_reports_test_once_and_ships_train_plus_valid():
    from graph_service.core.errors import TrustNetError
    from scoring.trained_model import train

    snapshot = _platform(seed=1, split=True)
    evaluation = run_evaluation(snapshot, 3, installed_candidates(), split_property="split")
    assert evaluation.protocol.startswith("the owner's split (split: train / valid / test)")
    assert all(r.test["all"].n == 64 for r in evaluation.results)  # the 64 test firms, once
    assert len(evaluation.train.y) == 192 + 64  # the shipped model is refitted on train + valid
    assert evaluation.shipped_result().test["all"].auc > 0.7
    trained = train(snapshot, 3, evaluation)
    assert trained.model_name == evaluation.shipped

    snapshot.nodes["Firm"].properties["split"][5] = "holdout"
    with pytest.raises(TrustNetError, match="U0005 has 'holdout'"):
        run_evaluation(snapshot, 3, installed_candidates(), split_property="split")


def test_a_property_that_is_the_outcome_under_another_name_is_refused_naming_it():
    from graph_service.core.errors import TrustNetError

    snapshot = _platform(seed=2)
    firms = snapshot.nodes["Firm"]
    firms.properties["bankrupt"] = ["yes" if v else "no" if v is not None else None
                                    for v in firms.properties["defaulted"]]
    with pytest.raises(TrustNetError, match="Firm.bankrupt would put the known outcome into a feature: all 320 "
                                            "labelled firms have it, no other firm does"):
        run_evaluation(snapshot, 3, installed_candidates())
