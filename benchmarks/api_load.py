"""Score reads through the API under load: req/s, p50 and p99, measured with wrk on loopback.

    make bench-api                        # a 20k-firm world, 20 s of score reads at 8, 12 and 16 connections
    python benchmarks/api_load.py --firms 20000 --seconds 20 --connections 8 12 16

Needs the bench Neo4j running (make bench-api starts it) and wrk (Debian: apt-get install wrk).
It loads a synthetic world, trains and batch-scores it, creates a bank key, serves the API with
`trustnet serve` (gunicorn, TRUSTNET_API_WORKERS x TRUSTNET_API_THREADS), warms it up, then drives
GET /v1/firms/<id>/score for random scored firms. Every request is a full one: key check, rate
limit, the firm's latest score from Neo4j, the audit record written, JSON out.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", category=FutureWarning)

from local_api import free_port, wait_for  # noqa: E402

from graph_service.core.graph_model import REFERENCE_MODEL  # noqa: E402
from graph_service.services.api_keys import create_key  # noqa: E402
from graph_service.services.ingest import load  # noqa: E402
from graph_service.cli.model_candidates import installed_candidates  # noqa: E402
from graph_service.services.scoring import score_all, train_model  # noqa: E402
from graph_service.core.settings import Settings  # noqa: E402
from graph_service.adapters.neo4j_store import open_neo4j_store  # noqa: E402
from loaders.discovery import plan_load  # noqa: E402
from scoring.contract import ScoreScale  # noqa: E402
from synthetic.world import generate_world  # noqa: E402

SETTLE_S = 60
WRK_SCRIPT = """
local ids = {}
for line in io.lines(os.getenv("TRUSTNET_BENCH_IDS")) do ids[#ids + 1] = line end
local key = os.getenv("TRUSTNET_BENCH_KEY")
math.randomseed(7)
request = function()
  local path = "/v1/firms/" .. ids[math.random(#ids)] .. "/score"
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. key})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d errors=%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def timed(label, fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<48} {time.perf_counter() - started:7.1f} s", flush=True)
    return result


def wrk(port: int, seconds: int, connections: int, threads: int, env: dict, script: Path) -> dict:
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
                          "-s", str(script), f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True,
                         check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, nargs="+", default=[8, 12, 16],
                        help="one measured run per count of concurrent connections")
    parser.add_argument("--wrk-threads", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-api does it when run as root)")
    settings = Settings.from_env()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"API: {settings.api_workers} workers x {settings.api_threads} threads")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        world = timed(f"generate a world of {args.firms:,} firms", generate_world, tmp, args.firms, 1)
        models = tmp / "models"
        with open_neo4j_store(settings) as store:
            store.delete_everything()
            store.apply_schema(REFERENCE_MODEL)
            timed("load it into Neo4j", load, store, plan_load(world.graph_dir, REFERENCE_MODEL, "bench"), tmp / "rejects")
            trained, _ = timed("evaluate and train", train_model, store, models, installed_candidates(), 7)
            scores = timed("score every firm (batch)", score_all, store, trained, ScoreScale(), with_reasons=True)
            bank = next(node_id for node_id, _ in store.export_nodes("Bank"))
            key, _ = create_key(store, "bank", "load test", ("Bank", bank), rate_limit=1_000_000)
        # A server in steady state, not one still flushing the load and the scores just written.
        timed(f"let Neo4j settle ({SETTLE_S} s)", time.sleep, SETTLE_S)
        ids = tmp / "ids.txt"
        ids.write_text("\n".join(s.firm_id for s in scores) + "\n")
        script = tmp / "score_reads.lua"
        script.write_text(WRK_SCRIPT)
        port = free_port()
        env = {**os.environ, "TRUSTNET_MODELS_DIR": str(models), "TRUSTNET_API_PORT": str(port),
               "TRUSTNET_BENCH_IDS": str(ids), "TRUSTNET_BENCH_KEY": key}
        server = subprocess.Popen([str(Path(sys.executable).parent / "trustnet"), "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for(f"http://127.0.0.1:{port}/ready")
            timed("warm-up (10 s of the same load)", wrk, port, 10, max(args.connections), args.wrk_threads, env,
                  script)
            results = [(c, wrk(port, args.seconds, c, args.wrk_threads, env, script)) for c in args.connections]
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    for connections, result in results:
        seconds = result["duration_us"] / 1e6
        print(f"score reads, {connections:3d} connections: {result['requests']:,} in {seconds:.1f} s = "
              f"{result['requests'] / seconds:,.0f} req/s; latency p50 {result['p50_us'] / 1000:.1f} ms, "
              f"p90 {result['p90_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, "
              f"max {result['max_us'] / 1000:.1f} ms; errors (non-2xx, socket) {result['errors']}")


if __name__ == "__main__":
    main()
