"""`trustnet evaluate` takes the protocol's options: how many training periods, how far apart."""

from click.testing import CliRunner

from graph_service.cli import main
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load
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
