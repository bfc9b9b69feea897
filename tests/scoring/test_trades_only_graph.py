"""A graph of firms whose only ties are rated trades, with firm-level outcomes, loaded through a mapping."""

import csv

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from graph_service.adapters.memory import MemoryStore
from loaders.discovery import plan_load
from graph_service.cli.model_candidates import installed_candidates
from scoring.evaluation import run_evaluation
from graph_service.core.snapshot import read_snapshot
from scoring.firm_scores import score_snapshot
from scoring.trained_model import train
from synthetic.world import generate_world

MAPPING = """
source: marketplace-export
files:
  - path: sellers.csv
    node: Firm
    columns: {id: seller_no, name: seller_name, defaulted: went_bad}
    values:
      defaulted: {"yes": "true", "no": "false"}
    extra_properties:
      defaulted: bool
  - path: orders.csv
    relationship: TRADES_WITH
    columns: {from_id: seller, to_id: buyer, rating: stars, volume: gmv}
"""


def _marketplace_export(world, folder):
    """Only firms (with a yes/no outcome where they ever borrowed) and rated trades."""
    with (world.graph_dir / "Loan.csv").open() as handle:
        defaulted_loans = {r["id"] for r in csv.DictReader(handle) if r["status"] == "defaulted"}
    outcome = {}
    with (world.graph_dir / "BORROWED.csv").open() as handle:
        for row in csv.DictReader(handle):
            outcome[row["from_id"]] = outcome.get(row["from_id"], False) or row["to_id"] in defaulted_loans
    with (world.graph_dir / "Firm.csv").open() as source, (folder / "sellers.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["seller_no", "seller_name", "went_bad"])
        for row in csv.DictReader(source):
            label = "" if row["id"] not in outcome else ("yes" if outcome[row["id"]] else "no")
            writer.writerow([row["id"], row["name"], label])
    with (world.graph_dir / "TRADES_WITH.csv").open() as source, (folder / "orders.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["seller", "buyer", "stars", "gmv"])
        for row in csv.DictReader(source):
            writer.writerow([row["from_id"], row["to_id"], row["rating"], row["volume"]])


def test_a_trades_with_ratings_only_graph_trains_and_evaluates(tmp_path):
    world = generate_world(tmp_path / "world", firms=12_000, seed=4)
    export = tmp_path / "export"
    export.mkdir()
    _marketplace_export(world, export)
    (export / "mapping.yaml").write_text(MAPPING)
    store = MemoryStore()
    report = load(store, plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml"), tmp_path / "rejects")
    assert report.rejected == 0
    snapshot = read_snapshot(store)
    assert set(snapshot.nodes) == {"Firm"} and {k[1] for k in snapshot.edges} == {"TRADES_WITH"}

    evaluation = run_evaluation(snapshot, 3, installed_candidates())
    names = [r.name for r in evaluation.results]
    assert "seeded propagation (TrustRank)" in names and evaluation.shipped in names
    # Verdicts without dates: cross-validated, each firm tested out of fold with its own outcome hidden.
    assert evaluation.protocol.startswith("stratified 5-fold cross-validation")
    out_of_fold = {r.name: r.test["all"].auc for r in evaluation.results}
    # Ratings from trade partners carry the signal the firm's (empty) own attributes lack.
    assert out_of_fold[evaluation.shipped] > 0.6, out_of_fold
    assert not any(n.startswith("history.") and "BORROWED" in n for n in evaluation.test.names)

    trained = train(snapshot, seed=3, evaluation=evaluation)
    [score] = score_snapshot(trained, snapshot, ["F00042"])
    assert 0 < score.pd < 1 and score.reasons
    assert all(r.code.startswith(("TRADES_WITH", "NETWORK_TRUST", "CREDIT_HISTORY", "ATTR_")) for r in score.reasons)
