"""Bitcoin OTC, a real signed trust network, through the real pipeline: one repeat of the cold-start
protocol of benchmarks/real_data.py (5 folds) on Neo4j. Its floor is well below the benchmark's
figure (mean 0.91), so it catches a collapse, not noise. TrustNet cross-validates each fold's
training once here (`--cv-repeats 1`), not three times as by default and in the benchmark, to keep
`make test` short; tests/scoring/test_sparse_real_data.py tests the repeats."""

import numpy as np

from benchmarks.cold_start import OTC, run_fold
from graph_service.services.scoring import current_model, score_firm
from scoring.contract import ScoreScale


def test_cold_start_on_bitcoin_otc_does_not_collapse(neo4j_store, tmp_path):
    otc = OTC.read()
    aucs = []
    for repeat, fold, test_users in otc.folds(splits=5, repeats=1):
        result = run_fold(neo4j_store, otc, test_users, tmp_path / f"fold{fold}", candidates=False, cv_repeats=1)
        assert result.scores_written == result.test_users  # every test user scored and the score written
        assert result.distinct_pds >= 20, result  # not a collapsed model
        assert result.auc >= 0.75, result
        aucs.append(result.auc)
    assert np.mean(aucs) >= 0.85, aucs

    # A test user of the last fold with no ties at all (gave no rating; its received ones removed)
    # gets an on-demand score equal to its batch score.
    trained = current_model(tmp_path / f"fold{fold}" / "models")
    loner = next(u for u in test_users if not any(r[0] == u for r in otc.ratings))
    batch = neo4j_store.latest_score(loner)
    on_demand = score_firm(neo4j_store, trained, loner, ScoreScale(), save=False)
    assert on_demand.neighbours == 0
    assert on_demand.pd == batch["pd"] or abs(on_demand.pd - batch["pd"]) <= 1e-6 * batch["pd"]
