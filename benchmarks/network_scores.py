"""Scoring at scale: world generation, evaluation and training, full-graph inference, on-demand latency.

    python benchmarks/network_scores.py --firms 100000            # generation, evaluation, training, inference
    python benchmarks/network_scores.py --firms 1000000 --skip-evaluation
    make bench-scoring                                      # the above at 100k, plus on-demand p50/p99 on Neo4j

The world goes through the loaders into the in-memory store (the Neo4j ingest rate is measured by
benchmarks/ingest.py); with --neo4j it is also loaded into the running Neo4j to time on-demand
scores, which fetch each firm's neighbourhood with Cypher. Prints figures and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)

from graph_service.core.graph_model import REFERENCE_MODEL  # noqa: E402
from graph_service.services.ingest import load  # noqa: E402
from graph_service.adapters.file_snapshot import FileSnapshotSource  # noqa: E402
from graph_service.adapters.memory import MemoryStore  # noqa: E402
from loaders.discovery import plan_load  # noqa: E402
from scoring.contract import ScoreScale  # noqa: E402
from graph_service.cli.model_candidates import installed_candidates  # noqa: E402
from scoring.firm_scores import score_snapshot  # noqa: E402
from scoring.model_input import model_input  # noqa: E402
from scoring.models import baseline_models  # noqa: E402
from scoring.outcomes import read_history  # noqa: E402
from scoring.report import as_text  # noqa: E402
from graph_service.core.snapshot import read_snapshot  # noqa: E402
from scoring.trained_model import train  # noqa: E402
from synthetic.world import generate_world  # noqa: E402


def timed(label: str, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<52} {time.perf_counter() - started:8.1f} s")
    return result


def inference(trained, snapshot) -> None:
    """Inference compute for every firm, from features already built (what a scoring run repeats)."""
    history = read_history(snapshot)
    as_of = np.datetime64(trained.scoring_as_of)
    hidden = np.zeros(len(snapshot.nodes["Firm"]), dtype=bool)
    started = time.perf_counter()
    data = model_input(snapshot, history, as_of, hidden)
    features_s = time.perf_counter() - started
    x = data.columns(trained.columns)
    rows = np.arange(len(x))
    risk_of = trained.risk_function(data, rows)
    started = time.perf_counter()
    pd = trained.calibrator.pd(risk_of(x))
    ScoreScale().points(pd)
    compute_s = time.perf_counter() - started
    n = len(x)
    print(f"features for {n:,} firms (incl. propagation)           {features_s:8.1f} s")
    print(f"inference compute, {trained.model_name[:30]:<30} {compute_s:8.2f} s = {n / compute_s:,.0f} firms/s")
    if trained.model_name.startswith("heterogeneous GNN"):
        return
    try:
        from gnn.risk_model import GNNRiskModel
    except ImportError:
        return
    model = GNNRiskModel(seed=1, epochs=1, columns=data.names).fit(data, rows[:1000], np.zeros(1000))
    started = time.perf_counter()
    model.graph_risk(model.graph(data), rows)
    gnn_s = time.perf_counter() - started
    print(f"inference compute, GNN full graph (one forward)       {gnn_s:8.2f} s = {n / gnn_s:,.0f} firms/s")


SETTLE_S = 60


def on_demand(trained, world, samples: int, folder: Path) -> None:
    """Load the world into Neo4j, then time on-demand scores in a fresh process that holds only the
    model, as an API worker does (in this process, collecting the training data's garbage would
    show up in the latencies)."""
    from graph_service.core.settings import Settings
    from graph_service.adapters.neo4j_store import open_neo4j_store

    settings = Settings.from_env()
    with open_neo4j_store(settings) as store:
        store.delete_everything()
        store.apply_schema(REFERENCE_MODEL)
        timed("load the world into Neo4j", load, store, plan_load(world.graph_dir, REFERENCE_MODEL, "bench"),
              world.graph_dir.parent / "rejects", 10_000)
        store.save_model(trained.version, {"name": trained.model_name})
    model_folder = trained.save(folder / "models")
    # Time a server in steady state, not while it flushes the bulk load just written
    # (Community has no db.checkpoint(); its periodic checkpoint runs within this pause).
    time.sleep(SETTLE_S)
    subprocess.run([sys.executable, __file__, "--time-on-demand", str(model_folder), "--firms", str(world.firms),
                    "--samples", str(samples)], check=True)


def time_on_demand(model_folder: Path, firms: int, samples: int) -> None:
    from graph_service.services.scoring import score_firm, settle_for_serving
    from graph_service.core.settings import Settings
    from graph_service.adapters.neo4j_store import open_neo4j_store
    from scoring.trained_model import TrainedModel

    trained = TrainedModel.load(model_folder)
    settle_for_serving()  # as an API worker does after loading its model
    settings = Settings.from_env()
    width = max(5, len(str(firms)))
    rng = np.random.default_rng(0)
    latencies = []
    with open_neo4j_store(settings) as store:
        for i in rng.choice(firms, size=20, replace=False):  # warm the query plans
            score_firm(store, trained, f"F{i:0{width}d}", ScoreScale(), save=False)
        for i in rng.choice(firms, size=samples, replace=False):
            started = time.perf_counter()
            score_firm(store, trained, f"F{i:0{width}d}", ScoreScale(),
                       settings.on_demand_fanout_1, settings.on_demand_fanout_2)
            latencies.append(time.perf_counter() - started)
    ms = np.array(latencies) * 1000
    print(f"on-demand score (fetch + features + model + reasons + write), {len(ms)} firms, model "
          f"{trained.model_name[:24]}, fan-out {settings.on_demand_fanout_1}/{settings.on_demand_fanout_2}: "
          f"p50 {np.percentile(ms, 50):.0f} ms, p99 {np.percentile(ms, 99):.0f} ms, max {ms.max():.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-evaluation", action="store_true", help="train without the side-by-side table")
    parser.add_argument("--neo4j", action="store_true", help="also time on-demand scores on the running Neo4j")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--skip-reasons", action="store_true", help="do not time scoring with reasons")
    parser.add_argument("--time-on-demand", type=Path, metavar="MODEL_FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_on_demand:
        time_on_demand(args.time_on_demand, args.firms, args.samples)
        return
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        world = timed(f"generate a world of {args.firms:,} firms", generate_world, Path(tmp), args.firms, args.seed)
        print(f"  {world.trades:,} trades, {world.loans:,} loans, {world.defaulted_loans:,} defaulted")
        if args.firms > 200_000:
            snapshot = timed("read the snapshot from the files (validated)", read_snapshot,
                             FileSnapshotSource(world.graph_dir))
        else:
            store = MemoryStore()
            timed("load it through the loaders (in-memory store)", load, store,
                  plan_load(world.graph_dir, REFERENCE_MODEL, "bench"), Path(tmp) / "rejects", 10_000)
            snapshot = timed("read the snapshot", read_snapshot, store)
            del store
        if args.skip_evaluation:
            from scoring.evaluation import run_evaluation

            evaluation = timed("evaluate (time split, thin-file protocol)", run_evaluation, snapshot, 7,
                               (baseline_models,))
        else:
            from scoring.evaluation import run_evaluation

            evaluation = timed("evaluate every model (time split, thin-file protocol)", run_evaluation, snapshot, 7,
                               installed_candidates())
            print(as_text(evaluation))
        trained = timed("train the shipped model on every labelled period up to the latest year", train, snapshot, 7, evaluation)
        inference(trained, snapshot)
        if not args.skip_reasons:
            timed("score every firm with reasons and evidence", score_snapshot, trained, snapshot)
        if args.neo4j:
            del snapshot, evaluation
            on_demand(trained, world, args.samples, Path(tmp))
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
