"""Guarantee analytics at scale: pattern detection and a DebtRank run on a large world; with --neo4j,
a guarantor's exposure at depth 4 on the running Neo4j (p50/p99).

    python benchmarks/contagion.py --firms 1000000               # patterns and DebtRank, no server
    make bench-contagion                                         # the above at 1M, then exposure on 100k
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)

from graph_service.core.graph_model import REFERENCE_MODEL  # noqa: E402
from graph_service.network_risk.guarantee_patterns import find_patterns, firm_guarantee_edges  # noqa: E402
from graph_service.network_risk.stress_test import debtrank, exposure_network  # noqa: E402
from graph_service.core.snapshot import read_snapshot  # noqa: E402
from synthetic.world import generate_world  # noqa: E402


def timed(label: str, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<56} {time.perf_counter() - started:7.2f} s", flush=True)
    return result


def at_scale(firms: int, defaults: int, folder: Path) -> None:
    from graph_service.adapters.file_snapshot import FileSnapshotSource

    world = timed(f"generate a world of {firms:,} firms", generate_world, folder, firms, 3)
    source = FileSnapshotSource(world.graph_dir)
    edges = timed("firm-to-firm guarantees from the files", firm_guarantee_edges, source)
    patterns = timed(f"pattern detection ({len(edges):,} guarantees between firms)", find_patterns, edges)
    print(f"  {len(patterns.circles):,} circles ({len(patterns.mutual_pairs):,} mutual pairs; "
          f"{world.planted_circles:,} planted), {len(patterns.chain_depth):,} chain heads, {len(patterns.stars):,} stars")
    snapshot = timed("read the snapshot from the files (validated)", read_snapshot, source)
    network = timed("build the exposure network", exposure_network, snapshot, 0.45)
    print(f"  {len(network.ids):,} nodes, {network.impact.nnz:,} exposures")
    rng = np.random.default_rng(1)
    borrowers = np.unique(snapshot.edges[("Firm", "BORROWED", "Loan")].source)
    chosen = [("Firm", snapshot.nodes["Firm"].ids[i]) for i in rng.choice(borrowers, size=defaults, replace=False)]
    result = timed(f"DebtRank, {defaults:,} firms defaulting", debtrank, network, chosen)
    print(f"  DebtRank {result.debtrank:.4f} after {result.rounds} rounds; {len(result.affected()):,} nodes affected")


def exposure_latency(firms: int, samples: int, folder: Path) -> None:
    from graph_service.services.exposure import guarantor_exposure
    from graph_service.services.ingest import load
    from graph_service.runtime.network_view import build_network_view
    from graph_service.core.settings import Settings
    from graph_service.adapters.neo4j_store import open_neo4j_store
    from loaders.discovery import plan_load

    world = timed(f"generate a world of {firms:,} firms", generate_world, folder / "neo4j", firms, 1)
    with open_neo4j_store(Settings.from_env()) as store:
        store.delete_everything()
        store.apply_schema(REFERENCE_MODEL)
        timed("load it into Neo4j", load, store, plan_load(world.graph_dir, REFERENCE_MODEL, "bench"),
              folder / "rejects", 10_000)
        time.sleep(60)  # a settled server, not one flushing the load
        guarantors = [("Guarantor", g) for g, _ in store.export_nodes("Guarantor")]
        firm_ids = sorted({row[1] for row in store.export_relationships("GUARANTEES") if row[0] == "Firm"})
        rng = np.random.default_rng(0)
        picks = guarantors + [("Firm", f) for f in rng.choice(firm_ids, size=samples - len(guarantors), replace=False)]
        for label, node_id in picks[:20]:
            guarantor_exposure(store, label, node_id, None, 0.45, depth=4)
        latencies, rows = [], []
        for label, node_id in picks:
            started = time.perf_counter()
            exposure = guarantor_exposure(store, label, node_id, None, 0.45, depth=4)
            latencies.append(time.perf_counter() - started)
            rows.append(len(exposure["guarantees"]) + len(exposure["chains"]))
        view = timed("read the network view for stress tests (each API worker caches it)", build_network_view,
                     store, 0.45)
    stress_latency(view, rng)
    ms = np.array(latencies) * 1000
    print(f"exposure at depth 4, {len(ms)} guarantors ({len(guarantors)} companies, the rest firms; "
          f"median {int(np.median(rows))} rows, max {max(rows)}): p50 {np.percentile(ms, 50):.1f} ms, "
          f"p99 {np.percentile(ms, 99):.1f} ms, max {ms.max():.1f} ms")


def stress_latency(view, rng, samples: int = 200) -> None:
    """What a stress-test request costs once the view is cached: DebtRank from 1 to 100 defaults."""
    impact = view.network.impact
    borrowers = view.network.ids[np.flatnonzero(np.diff(impact.indptr) > 0)]  # firms whose default reaches someone
    for size in (1, 10, 100):
        latencies = []
        for _ in range(samples):
            chosen = [("Firm", f) for f in rng.choice(borrowers, size=size, replace=False)]
            started = time.perf_counter()
            debtrank(view.network, chosen).affected()
            latencies.append(time.perf_counter() - started)
        ms = np.array(latencies) * 1000
        print(f"stress test on the cached view, {size:>3} defaults ({samples} runs): "
              f"p50 {np.percentile(ms, 50):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--defaults", type=int, default=1000)
    parser.add_argument("--neo4j", action="store_true", help="also time exposure at depth 4 on the running Neo4j")
    parser.add_argument("--exposure-firms", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        at_scale(args.firms, args.defaults, Path(tmp) / "world")
        if args.neo4j:
            exposure_latency(args.exposure_firms, args.samples, Path(tmp))


if __name__ == "__main__":
    main()
