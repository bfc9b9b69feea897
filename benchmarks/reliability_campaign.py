"""The crash and abuse campaign (issue 15), rerunnable: per fault, the runs and how many held.

    make bench-reliability                     # the defaults below; about 12 minutes here
    python benchmarks/reliability_campaign.py --firms 2000 --ingest-kills 20 --request-kills 6

It needs its own Neo4j instance, which it wipes, kills and restarts: `make bench-reliability` points
it at .neo4j/campaign (Bolt 7691, HTTP 7478) and starts it. It loads a synthetic world, trains and
batch-scores it, serves the API with `trustnet serve` (the real gunicorn workers) on a free
loopback port, then runs the faults of benchmarks/campaign_faults.py:

  Neo4j SIGKILL mid-ingest   x N: kill while a keyed 1,000-row batch is written, restart, retry it
  Neo4j SIGKILL mid-request  x N: kill under score reads and a keyed batch, restart, retry
  malformed bodies           invalid JSON, NUL, 100,000-deep nesting, 6 MB plain and chunked, ...
  Neo4j frozen (SIGSTOP)     8 s frozen under 4 score readers: answer latency p50/p99/max
  50 slow clients            a header byte a second each, while /health is asked

Exit status 1 if any fault did not hold. Everything stays on 127.0.0.1; nothing runs unbounded.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", category=FutureWarning)

from campaign_faults import (Target, malformed_bodies, neo4j_frozen, neo4j_kill_mid_ingest,  # noqa: E402
                             neo4j_kill_mid_request, slow_clients)
from local_api import free_port, wait_for  # noqa: E402

from graph_service.adapters.neo4j_store import open_neo4j_store  # noqa: E402
from graph_service.core.graph_model import REFERENCE_MODEL  # noqa: E402
from graph_service.core.settings import Settings  # noqa: E402
from graph_service.services.api_keys import create_key  # noqa: E402
from graph_service.services.ingest import load  # noqa: E402
from graph_service.services.scoring import score_all, train_model  # noqa: E402
from graph_service.tooling.local_neo4j import server  # noqa: E402
from loaders.discovery import plan_load  # noqa: E402
from scoring.contract import ScoreScale  # noqa: E402
from scoring.models import baseline_models  # noqa: E402
from synthetic.world import generate_world  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=2_000)
    parser.add_argument("--ingest-kills", type=int, default=20)
    parser.add_argument("--ingest-rows", type=int, default=1_000)
    parser.add_argument("--request-kills", type=int, default=6)
    args = parser.parse_args()
    settings = server.ensure_password(Settings.from_env())
    if settings.neo4j_home.name != "campaign":
        raise SystemExit("the campaign wipes, kills and restarts its Neo4j: run it with `make bench-reliability` "
                         "(TRUSTNET_NEO4J_HOME=.neo4j/campaign), never against the demo's or the tests' server")
    started = time.monotonic()

    def restart() -> None:
        server.start(settings)

    with tempfile.TemporaryDirectory() as tmp_name, open_neo4j_store(settings) as store:
        tmp = Path(tmp_name)
        world = generate_world(tmp / "world", args.firms, 1)
        store.delete_everything()
        store.apply_schema(REFERENCE_MODEL)
        load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "campaign"), tmp / "rejects")
        trained, _ = train_model(store, tmp / "models", (baseline_models,), 7)
        firm_ids = [s.firm_id for s in score_all(store, trained, ScoreScale(), with_reasons=True)][:500]
        bank = next(node_id for node_id, _ in store.export_nodes("Bank"))
        admin_key = create_key(store, "admin", "campaign", rate_limit=1_000_000)[0]
        bank_key = create_key(store, "bank", "campaign", ("Bank", bank), rate_limit=1_000_000)[0]
        print(f"world: {args.firms:,} firms loaded, trained and scored in {time.monotonic() - started:.0f} s",
              flush=True)
        port = free_port()
        env = {**os.environ, "TRUSTNET_MODELS_DIR": str(tmp / "models"), "TRUSTNET_API_PORT": str(port),
               "TRUSTNET_API_WORKERS": "2", "TRUSTNET_API_THREADS": "4", "TRUSTNET_API_FAILED_AUTH_RATE": "100000"}
        api = subprocess.Popen([str(Path(sys.executable).parent / "trustnet"), "serve"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        target = Target(port, admin_key, bank_key, firm_ids, lambda: server.status(settings).pid, restart,
                        lambda ids: store.missing_ids("Firm", ids))
        findings = []
        try:
            wait_for(f"http://127.0.0.1:{port}/ready", timeout_s=90)
            for run in (lambda: neo4j_kill_mid_ingest(target, args.ingest_kills, args.ingest_rows),
                        lambda: neo4j_kill_mid_request(target, args.request_kills),
                        lambda: malformed_bodies(target),
                        lambda: neo4j_frozen(target),
                        lambda: slow_clients(target)):
                fault_started = time.monotonic()
                finding = run()
                findings.append(finding)
                print(f"{finding.fault:<28} {finding.held:>3}/{finding.runs:<3} held "
                      f"({time.monotonic() - fault_started:.0f} s)", flush=True)
                for note in finding.notes:
                    print(f"    {note}", flush=True)
        finally:
            os.killpg(api.pid, 15)
            api.wait(timeout=30)
    print(f"campaign: {sum(f.ok for f in findings)} of {len(findings)} faults held, "
          f"{time.monotonic() - started:.0f} s in all")
    sys.exit(0 if findings and all(f.ok for f in findings) else 1)


if __name__ == "__main__":
    main()
