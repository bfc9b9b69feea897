"""Train, score every firm, and score a firm loaded after training, on the fake and on Neo4j."""

import numpy as np
import pytest

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from graph_service.cli.model_candidates import installed_candidates
from graph_service.services.scoring import current_model, score_all, score_firm, train_model
from graph_service.adapters.memory import MemoryStore
from graph_service.core.snapshot import read_snapshot
from loaders.discovery import plan_load
from scoring.contract import MASTER_SCALE, MAX_REASONS, ScoreScale

GRADES = {name for _, name in MASTER_SCALE}


@pytest.fixture(scope="module")
def trained_world(world, world_evaluation, tmp_path_factory):
    """(a memory store holding the world, the model trained on it, its models folder): one training
    for the tests that only read the store (or copy it before changing it)."""
    folder = tmp_path_factory.mktemp("trained")
    store = MemoryStore()
    load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), folder / "rejects")
    trained, _ = train_model(store, folder / "models", installed_candidates(), seed=5, evaluation=world_evaluation)
    return store, trained, folder / "models"


def _check_contract(score, trained):
    assert 0 < score.pd < 1 and isinstance(score.score, int) and score.grade in GRADES
    assert 1 <= len(score.reasons) <= MAX_REASONS
    assert all(r.code and r.text for r in score.reasons)
    assert score.model_version == trained.version and score.as_of == trained.scoring_as_of
    assert score.score_id and score.scored_at


def test_a_firm_loaded_after_training_gets_a_score_with_reasons_and_evidence(any_store, world, world_evaluation,
                                                                            tmp_path):
    load(any_store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    trained, _ = train_model(any_store, tmp_path / "models", installed_candidates(), seed=5,
                             evaluation=world_evaluation)
    assert current_model(tmp_path / "models").version == trained.version
    scores = score_all(any_store, trained, ScoreScale(), with_reasons=False)
    assert len(scores) == 4_000
    assert any_store.counts_by_type()[("relationship", "SCORED_BY")] == 4_000

    # A new supplier whose customers rate it badly and whose partners defaulted, loaded a minute ago.
    partners = [s.firm_id for s in sorted(scores, key=lambda s: -s.pd)[:8]]
    new = tmp_path / "new"
    new.mkdir()
    (new / "Firm.csv").write_text("id,name,sector,region,declared_revenue,tax_revenue\n"
                                  "F-NEW,Newcomer Ltd,retail,north,900000,300000\n")
    (new / "TRADES_WITH.csv").write_text("from_id,to_id,volume,count,rating,complaints\n" + "".join(
        f"F-NEW,{p},{50000 + i},12,1.0,4\n" for i, p in enumerate(partners)))
    report = load(any_store, plan_load(new, REFERENCE_MODEL, "partner"), tmp_path / "rejects")
    assert report.rejected == 0

    score = score_firm(any_store, trained, "F-NEW", ScoreScale())
    _check_contract(score, trained)
    assert not score.has_credit_history and score.neighbours == len(partners)
    tie_reasons = [r for r in score.reasons if r.code.startswith("TRADES_WITH")]
    assert tie_reasons, score.reasons
    assert {e.id for e in score.evidence if e.relationship == "TRADES_WITH"} <= set(partners)
    assert any(e.id in partners for e in score.evidence)
    assert any_store.latest_score("F-NEW")["mode"] == "on-demand"

    again = score_firm(any_store, trained, "F-NEW", ScoreScale(), save=False)
    assert (again.pd, again.score, again.grade, again.reasons) == (score.pd, score.score, score.grade, score.reasons)


def test_on_demand_differs_from_batch_only_in_what_reads_past_the_fetched_neighbourhood(trained_world):
    """Every firm's on-demand features equal its batch features, except those the README names as
    reading beyond two hops or past the fan-out caps: the recommenders' and chambers' track records
    (a chamber's members outnumber any cap) and propagation. Where none of those differ, the PD is
    the same. (tests/scoring/test_on_demand_equals_batch.py: complete neighbourhoods, every kind.)"""
    import copy

    import numpy as np

    from graph_service.core.snapshot import snapshot_from_rows
    from scoring.model_input import model_input
    from scoring.outcomes import read_history

    store, trained, _ = trained_world
    store = copy.deepcopy(store)  # score_all writes scores
    batch = {s.firm_id: s for s in score_all(store, trained, ScoreScale(), with_reasons=False)}
    as_of = np.datetime64(trained.scoring_as_of)

    def features(snapshot, firm_id):
        data = model_input(snapshot, read_history(snapshot), as_of, np.zeros(len(snapshot.nodes["Firm"]), dtype=bool),
                           trained.tie_ranges, trained.own_schema, trained.seed_counts)
        return data.columns(trained.columns)[snapshot.nodes["Firm"].index[firm_id]]

    whole = read_snapshot(store)
    beyond = ("RECOMMENDS.", "MEMBER_OF.", "propagation.")
    same_pd = 0
    for firm_id in list(batch)[:40]:
        local = snapshot_from_rows(*store.firm_neighbourhood(firm_id, 1000, 1000))
        differ = [name for name, a, b in zip(trained.columns, features(whole, firm_id), features(local, firm_id))
                  if not (np.isclose(a, b) or (np.isnan(a) and np.isnan(b)))]
        assert all(name.startswith(beyond) for name in differ), (firm_id, differ)
        on_demand = score_firm(store, trained, firm_id, ScoreScale(), fanout_1=1000, fanout_2=1000, save=False)
        if not differ:
            assert on_demand.pd == pytest.approx(batch[firm_id].pd, rel=1e-9), firm_id
            same_pd += 1
    assert same_pd >= 5  # the comparison ran on firms whose features all agree


def test_the_gnn_scores_a_new_firm_whose_neighbourhood_lacks_most_node_and_tie_types(memory_store, world,
                                                                                    world_evaluation, tmp_path,
                                                                                    monkeypatch):
    """On demand, the GNN reads a neighbourhood holding only some of the types it was trained on."""
    from dataclasses import replace

    from gnn.risk_model import NAME as GNN
    from scoring.trained_model import train

    load(memory_store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    snapshot = read_snapshot(memory_store)
    trained = train(snapshot, 5, replace(world_evaluation, shipped=GNN))
    assert trained.model_name == GNN

    new = tmp_path / "new"
    new.mkdir()
    # A loner with no ties at all, and a firm whose one tie is a trade with another newcomer.
    (new / "Firm.csv").write_text("id,name,sector,region,declared_revenue\n"
                                  "F-LONER,Loner Ltd,retail,north,500000\n"
                                  "F-PAIR-A,Pair A,retail,north,700000\n"
                                  "F-PAIR-B,Pair B,retail,north,\n")
    (new / "TRADES_WITH.csv").write_text("from_id,to_id,volume,count,rating\nF-PAIR-A,F-PAIR-B,20000,3,4.5\n")
    assert load(memory_store, plan_load(new, REFERENCE_MODEL, "partner"), tmp_path / "rejects").rejected == 0

    loner = score_firm(memory_store, trained, "F-LONER", ScoreScale())
    pair = score_firm(memory_store, trained, "F-PAIR-A", ScoreScale())
    for score in (loner, pair):
        _check_contract(score, trained)
    assert (loner.neighbours, pair.neighbours) == (0, 1)

    # Reasons score every variant in one pass over copies of the neighbourhood: same as one by one.
    monkeypatch.setattr("gnn.risk_model.GNN_BATCHED_NODES", 0)
    one_by_one = score_firm(memory_store, trained, "F-PAIR-A", ScoreScale(), save=False)
    assert [r.code for r in one_by_one.reasons] == [r.code for r in pair.reasons]
    assert [r.contribution for r in one_by_one.reasons] == pytest.approx([r.contribution for r in pair.reasons],
                                                                         abs=1e-6)
    assert one_by_one.pd == pytest.approx(pair.pd, abs=1e-9)


def test_one_partner_row_moves_a_firm_no_further_than_the_worst_real_tie(trained_world):
    """A partner's single TRADES_WITH row claiming rating 0 and 1,000 complaints gives each of six
    thinly tied firms exactly the score a tie at the edge of the real range (the training graph's
    1st-percentile rating, 99th-percentile complaints) gives them: the bound of scoring/tie_reach.py."""
    import copy
    import json
    from collections import Counter
    from datetime import datetime, timezone

    import numpy as np

    from graph_service.core.domain import RelationshipRow

    store, trained, models = trained_world
    memory_store = copy.deepcopy(store)  # this test adds ties
    folder = models / trained.version
    ties = list(memory_store.export_relationships("TRADES_WITH"))
    worst_real = {"rating": float(np.percentile([p["rating"] for *_, p in ties if "rating" in p], 1, method="nearest")),
                  "complaints": float(np.percentile([p["complaints"] for *_, p in ties if "complaints" in p], 99,
                                                    method="nearest"))}
    assert worst_real["complaints"] < 1000 and worst_real["rating"] > 0
    trades = Counter(t for _, _, _, t, _ in ties)
    targets = sorted(firm for firm, n in trades.items() if n == 1)[:6]
    supplier = sorted(trades)[-1]
    moved = 0
    for target in targets:
        def pd_with(properties: dict) -> float:
            memory_store.merge_relationships("TRADES_WITH", "Firm", "Firm", [RelationshipRow(supplier, target, properties)],
                                             "partner-x", datetime.now(timezone.utc))
            return score_firm(memory_store, trained, target, ScoreScale(), save=False).pd

        before = score_firm(memory_store, trained, target, ScoreScale(), save=False).pd
        hostile = pd_with({"rating": 0.0, "complaints": 1000})
        edge = pd_with(worst_real)
        assert abs(hostile - edge) < 1e-12, (target, before, hostile, edge)
        moved += abs(hostile - before) > 1e-9
    assert moved > 0, "the hostile row changed no score: the test would not notice an unbounded one"
    # The ranges travel with the model, in the log1p units the features use.
    saved = json.loads((folder / "tie_ranges.json").read_text())["values"]
    assert np.allclose(np.expm1(saved["TRADES_WITH.complaints"][1]), worst_real["complaints"])


def test_score_all_with_a_model_this_database_does_not_know_registers_it(trained_world, world, tmp_path):
    """A models folder trained against another database: `score --all` writes every score it reports."""
    _, trained, models = trained_world
    elsewhere = MemoryStore()
    load(elsewhere, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    scores = score_all(elsewhere, current_model(models), ScoreScale(), with_reasons=False)
    assert ("Model", trained.version) in elsewhere.nodes
    assert sum(label == "Score" for label, _ in elsewhere.nodes) == len(scores) > 0


def test_the_shipped_model_is_refit_on_every_labelled_period_up_to_the_latest(trained_world):
    trained = trained_world[1]
    assert len(trained.train_dates) >= 3
    assert trained.train_dates[0] == trained.train_as_of
    # The latest full year ends the day before the scoring date.
    assert np.datetime64(trained.train_as_of) + np.timedelta64(366, "D") == np.datetime64(trained.scoring_as_of)
