"""Ingest throughput through the driver: N firms and M trade relationships, loaded by the loaders.

A freshly started JVM runs Cypher several times slower until its JIT has warmed up, so the script
first loads a warm-up set (other ids, kept in the graph) and prints its rates as "cold server",
then loads the measured set into the running server, as partners' loads arrive in production.

Run with `make bench-ingest` (starts a separate Neo4j in .neo4j/bench, wipes it, stops it after),
or against a running server: `python benchmarks/ingest.py --firms 100000 --relationships 1000000`.
Prints nodes/s, relationships/s, peak memory (this process and the Neo4j server) and the machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import tempfile
import time
from pathlib import Path

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.tooling.local_neo4j import server
from graph_service.services.ingest import load
from graph_service.core.settings import Settings
from graph_service.adapters.neo4j_store import open_neo4j_store
from loaders.discovery import plan_load


def write_files(folder: Path, firms: int, relationships: int, seed: int, prefix: str = "F") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with (folder / "Firm.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "sector", "region", "founded", "employees", "declared_revenue", "tax_revenue"])
        for i in range(firms):
            revenue = rng.randint(10_000, 5_000_000)
            out.writerow([f"{prefix}{i:08d}", f"Firm {i}", rng.choice("ABCDEFG"), rng.choice("NSEW"),
                          f"{rng.randint(1990, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                          rng.randint(1, 500), revenue, int(revenue * rng.uniform(0.5, 1.1))])
    seen = set()
    with (folder / "TRADES_WITH.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["from_id", "to_id", "volume", "count", "rating"])
        while len(seen) < relationships:
            a, b = rng.randrange(firms), int(rng.paretovariate(1.2)) % firms  # a few big customers
            if a == b or (a, b) in seen:
                continue
            seen.add((a, b))
            out.writerow([f"{prefix}{a:08d}", f"{prefix}{b:08d}", round(rng.uniform(1e3, 1e6), 2), rng.randint(1, 50),
                          round(rng.uniform(1, 5), 1)])


def rss_peak_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup-firms", type=int, default=100_000)
    parser.add_argument("--warmup-relationships", type=int, default=200_000)
    args = parser.parse_args()
    settings = Settings.from_env()
    batch_size = args.batch_size or settings.ingest_batch_size

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_files(folder / "measured", args.firms, args.relationships, args.seed)
        write_files(folder / "warmup", args.warmup_firms, args.warmup_relationships, args.seed + 1, prefix="W")
        print(f"generated {args.firms:,} firms and {args.relationships:,} trades (+ warm-up set) "
              f"in {time.perf_counter() - started:.1f} s")
        with open_neo4j_store(settings) as store:
            store.delete_everything()
            store.apply_schema(REFERENCE_MODEL)
            timings = {}

            def timed_load(path: Path) -> None:
                began = time.perf_counter()
                report = load(store, plan_load(path, REFERENCE_MODEL, "benchmark"), folder / "rejects", batch_size,
                              node_writers=settings.ingest_node_writers)
                timings[(path.parent.name, path.stem)] = (report.loaded, report.rejected, time.perf_counter() - began)

            for part in ("warmup", "measured"):
                timed_load(folder / part / "Firm.csv")
                timed_load(folder / part / "TRADES_WITH.csv")
            counts = store.graph_counts()

    neo4j_pid = server.status(settings).pid
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python {platform.python_version()}")
    print(f"neo4j: {settings.neo4j_uri}, heap {settings.neo4j_heap}, page cache {settings.neo4j_pagecache}; "
          f"batch size {batch_size}")
    for part, title in (("warmup", "cold server (warm-up set)"), ("measured", "running server")):
        nodes, node_rejects, node_s = timings[(part, "Firm")]
        rels, rel_rejects, rel_s = timings[(part, "TRADES_WITH")]
        print(f"{title}:")
        print(f"  nodes:         {nodes:>10,} in {node_s:6.1f} s = {nodes / node_s:>9,.0f} nodes/s (rejected {node_rejects})")
        print(f"  relationships: {rels:>10,} in {rel_s:6.1f} s = {rels / rel_s:>9,.0f} relationships/s "
              f"(rejected {rel_rejects})")
    print(f"in the graph:  {counts.nodes:,} nodes, {counts.relationships:,} relationships")
    print(f"peak memory:   loader {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB"
          + (f", neo4j server {rss_peak_mib(neo4j_pid):,.0f} MiB" if neo4j_pid else ""))


if __name__ == "__main__":
    main()
