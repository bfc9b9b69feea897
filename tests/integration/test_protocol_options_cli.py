"""`trustnet evaluate` and `train` take the protocol's options: how many training periods, how far apart,
and a split by dates."""

import json

import numpy as np
from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.core.snapshot import read_snapshot
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from scoring.outcomes import HORIZON, read_history
from synthetic.world import generate_world


def test_evaluate_trains_on_as_many_periods_as_asked_and_refuses_none(neo4j_store, tmp_path):
    world = generate_world(tmp_path / "world", firms=2_000, seed=4)
    load(neo4j_store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    runner = CliRunner()
    result = runner.invoke(main, ["evaluate", "--periods", "2", "--period-days", "300", "--reports",
                                  str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    assert "2 as-of dates" in result.output and "300 days apart, at most 2 (--periods)" in result.output
    assert "Training panel:" in (tmp_path / "reports" / "evaluation.md").read_text()
    refused = runner.invoke(main, ["evaluate", "--periods", "0"])
    assert refused.exit_code == 2 and "--periods" in refused.output
    refused = runner.invoke(main, ["train", "--cv-repeats", "0"])
    assert refused.exit_code == 2 and "--cv-repeats" in refused.output


def test_train_splits_by_the_users_dates_and_refuses_dates_that_cannot_split(neo4j_store, tmp_path, monkeypatch):
    models = tmp_path / "models"
    monkeypatch.setenv("TRUSTNET_MODELS_DIR", str(models))
    world = generate_world(tmp_path / "world", firms=2_000, seed=4)
    load(neo4j_store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), tmp_path / "rejects")
    validate_until = read_history(read_snapshot(neo4j_store)).observed_until - HORIZON
    train_until = validate_until - HORIZON
    runner = CliRunner()
    result = runner.invoke(main, ["train", "--train-until", str(train_until), "--validate-until", str(validate_until),
                                  "--reports", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    assert f"split by dates (train until {train_until}, validate until {validate_until})" in result.output
    version = (models / "current").read_text().strip()
    lineage = json.loads((models / version / "lineage.json").read_text())
    assert lineage["train_dates"][0] == str(validate_until - HORIZON)  # refit on training and validation rows
    alone = runner.invoke(main, ["evaluate", "--train-until", str(train_until)])
    assert alone.exit_code == 2 and "both --train-until and --validate-until" in alone.output
    close = runner.invoke(main, ["evaluate", "--train-until", str(train_until),
                                 "--validate-until", str(train_until + np.timedelta64(100, "D"))])
    assert close.exit_code == 2 and "at least 365 days" in close.output
    late = runner.invoke(main, ["evaluate", "--train-until", str(validate_until),
                                "--validate-until", str(validate_until + HORIZON)])
    assert late.exit_code != 0 and "after the last outcome date" in late.output
