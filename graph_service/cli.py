"""The `trustnet` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph_service.core.errors import TrustNetError
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.core.settings import Settings


class _Group(click.Group):
    """Turns TrustNet's own errors into a one-line message and exit code 1, without a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrustNetError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
def main() -> None:
    """TrustNet: network credit for small firms."""


@main.group()
def neo4j() -> None:
    """Run a local Neo4j Community server from Maven Central jars (no Docker)."""


@neo4j.command("start")
@click.option("--fresh", is_flag=True, help="Delete this instance's data first (tests).")
def neo4j_start(fresh: bool) -> None:
    """Fetch (once), configure and start Neo4j, then wait until a Bolt login succeeds."""
    from graph_service.tooling.local_neo4j import server

    settings = server.ensure_password(Settings.from_env())
    click.echo(f"Starting Neo4j {settings.neo4j_version} in {settings.neo4j_home} ...", err=True)
    state = server.start(settings, fresh=fresh)
    click.echo(f"Neo4j is running (pid {state.pid}): {state.bolt_uri}, Browser {state.browser_url}")


@neo4j.command("stop")
def neo4j_stop() -> None:
    """Stop the local server cleanly (SIGTERM to its pid, then wait)."""
    from graph_service.tooling.local_neo4j import server

    settings = Settings.from_env()
    click.echo("Neo4j stopped." if server.stop(settings) else f"Neo4j was not running in {settings.neo4j_home}.")


@neo4j.command("status")
def neo4j_status() -> None:
    """Exit 0 if the local server runs, 3 if not."""
    from graph_service.tooling.local_neo4j import server

    state = server.status(Settings.from_env())
    if not state.running:
        click.echo(f"Neo4j is not running in {state.home}.")
        sys.exit(3)
    click.echo(f"Neo4j is running (pid {state.pid}): {state.bolt_uri}, Browser {state.browser_url}")


@main.command("init-schema")
def init_schema() -> None:
    """Create the uniqueness constraints and indexes (idempotent)."""
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(Settings.from_env()) as store:
        for name in store.apply_schema(REFERENCE_MODEL):
            click.echo(f"  {name}")


@main.command("load")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A YAML or JSON mapping file describing the partner's files.")
@click.option("--source", help="Where the data comes from (default: the folder's name).")
@click.option("--rejects", "rejects_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("rejects"), show_default=True, help="Folder for <file>.rejects.csv files.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=None,
              help="Rows per transaction (default TRUSTNET_INGEST_BATCH_SIZE).")
def load_command(path: Path, mapping: Path | None, source: str | None, rejects_dir: Path, batch_size: int | None) -> None:
    """Load CSV / JSON Lines files: every bad row is reported with file, line, field and reason."""
    from graph_service.services.ingest import load
    from graph_service.adapters.neo4j_store import open_neo4j_store
    from loaders.discovery import plan_load

    settings = Settings.from_env()
    plan = plan_load(path, REFERENCE_MODEL, source, mapping)
    show_progress = sys.stderr.isatty()

    def progress(spec, rows: int) -> None:
        if show_progress:
            click.echo(f"\r  {spec.name}: {rows:,} rows read", nl=False, err=True)

    with open_neo4j_store(settings) as store:
        report = load(store, plan, rejects_dir, batch_size or settings.ingest_batch_size, progress,
                      node_writers=settings.ingest_node_writers)
    if show_progress:
        click.echo("", err=True)
    for f in report.files:
        line = f"{f.file:<28} {f.type_name:<14} read {f.rows_read:>9,}  loaded {f.loaded:>9,}  rejected {f.rejected:>7,}"
        click.echo(line + (f"  -> {f.rejects_file}" if f.rejects_file else ""))
        if f.ignored_columns:
            click.echo(f"{'':28} ignored columns: {', '.join(f.ignored_columns)}")
    click.echo(f"Total: read {report.rows_read:,}, loaded {report.loaded:,}, rejected {report.rejected:,}")
    for reason, count in report.reasons().most_common():
        click.echo(f"  {count:>7,}  {reason}")


@main.command("model")
def model_command() -> None:
    """Print the node labels and relationship types that files can load, with their properties."""

    def describe(properties) -> str:
        parts = []
        for p in properties:
            bounds = "".join([f" >={p.min:g}" if p.min is not None else "", f" <={p.max:g}" if p.max is not None else ""])
            kind = f"enum({'|'.join(p.choices)})" if p.kind == "enum" else p.kind
            parts.append(f"{p.name}{'*' if p.required else ''}:{kind}{bounds}")
        return ", ".join(parts) or "-"

    click.echo("Nodes (file Label.csv / Label.jsonl; key column id*):")
    for node in REFERENCE_MODEL.nodes.values():
        if node.loadable:
            click.echo(f"  {node.label:<11} {describe(node.properties)}")
    click.echo("Relationships (file TYPE.csv / TYPE.jsonl; columns from_id*, to_id*):")
    for rel in REFERENCE_MODEL.relationships.values():
        if rel.loadable:
            ends = f"({'|'.join(rel.sources)})->({'|'.join(rel.targets)})"
            click.echo(f"  {rel.type:<11} {ends:<28} {describe(rel.properties)}")
    click.echo("* required. A relationship whose end allows several labels needs from_label / to_label.")


@main.command("stats")
def stats() -> None:
    """Count nodes per label and relationships per type."""
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(Settings.from_env()) as store:
        for (kind, name), count in sorted(store.counts_by_type().items()):
            click.echo(f"{kind:<13} {name:<16} {count:>10,}")


@main.command("sample-data")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/sample"),
              show_default=True)
@click.option("--firms", type=click.IntRange(10, 100_000), default=300, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def sample_data(out_dir: Path, firms: int, seed: int) -> None:
    """Write the small sample network (every node and relationship type) as loader files."""
    from synthetic.sample_network import generate

    for name, count in generate(out_dir, firms, seed).items():
        click.echo(f"  {out_dir / (name + '.csv')}: {count} rows")


@main.command("patterns")
@click.option("--show", type=click.IntRange(0, 10_000), default=10, show_default=True,
              help="How many circles to list.")
def patterns_command(show: int) -> None:
    """Find guarantee circles, mutual pairs, chains and stars among firms, and flag them on the firms."""
    import time

    from graph_service.network_risk.guarantee_patterns import CHAIN_MIN, MAX_CIRCLE, STAR_MIN, detect_and_flag
    from graph_service.adapters.neo4j_store import open_neo4j_store

    started = time.perf_counter()
    with open_neo4j_store(Settings.from_env()) as store:
        found = detect_and_flag(store)
    click.echo(f"{len(found.firms):,} firms guarantee or are guaranteed by firms "
               f"({time.perf_counter() - started:.1f} s):")
    click.echo(f"  circles (up to {MAX_CIRCLE} firms): {len(found.circles):,}, of which mutual pairs "
               f"{len(found.mutual_pairs):,}")
    click.echo(f"  firms heading a chain of {CHAIN_MIN}+ guarantees: {len(found.chain_depth):,}; "
               f"stars ({STAR_MIN}+ firms guaranteed): {len(found.stars):,}")
    if found.truncated_components:
        click.echo(f"  {found.truncated_components} tangled component(s): only their first circles listed")
    for circle in found.circles[:show]:
        click.echo("  circle: " + " -> ".join(circle + circle[:1]))
    click.echo("Flags on firms: guarantee_circle_size, guarantee_mutual_pair, guarantee_chain_depth, guarantee_star.")


@main.command("track-records")
@click.option("--show", type=click.IntRange(0, 10_000), default=10, show_default=True,
              help="How many recommenders to list, poorest record first.")
def track_records_command(show: int) -> None:
    """Put each chamber's and market's track record (how the firms it recommended performed) on its node."""
    from graph_service.services.track_records import record_track_records
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(Settings.from_env()) as store:
        records = record_track_records(store)
    rows = [(label, r["id"], r["properties"]) for label, found in records.items() for r in found]
    if not rows:
        click.echo("No chambers or markets in the graph.")
        return
    base = rows[0][2]["track_base_rate"]
    poor = sum(p["track_poor"] for _, _, p in rows)
    click.echo(f"{len(rows):,} recommenders; network default rate {base:.2%}; {poor} with a poor record "
               "(at least 5 outcomes, and its 95% interval reaches the network's rate: no better than chance). "
               "Properties track_* on Chamber and Market nodes.")
    ranked = sorted(rows, key=lambda r: (-r[2]["track_poor"], -(r[2]["track_default_rate"] or 0), r[1]))
    for label, node_id, p in ranked[:show]:
        rate = "no outcomes yet" if p["track_default_rate"] is None else (
            f"{p['track_defaulted']}/{p['track_known']} defaulted = {p['track_default_rate']:.2%} "
            f"[{p['track_rate_low']:.2%}, {p['track_rate_high']:.2%}]")
        click.echo(f"  {label:<8} {node_id:<8} {p['track_recommended']:>6,} recommended; {rate}"
                   f"{'  POOR' if p['track_poor'] else ''}")


@main.command("browser-screenshot")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("docs/neo4j-browser.png"), show_default=True)
def browser_screenshot(out_file: Path) -> None:
    """Open Neo4j Browser in headless Chromium, log in, run the guide's firm query and save a screenshot."""
    from graph_service.tooling.browser_screenshot import take_screenshot

    visit = take_screenshot(Settings.from_env(), out_file)
    click.echo(f"{visit.screenshot}: guide {visit.guide_title!r}, {visit.nodes_drawn} nodes drawn, "
               f"TrustNet style {'applied' if visit.style_loaded else 'NOT applied'}")


@main.command("stress")
@click.option("--default", "defaulted", multiple=True, required=True, metavar="FIRM_ID",
              help="A firm assumed to default (repeat the option for several).")
@click.option("--top", type=click.IntRange(1, 10_000), default=10, show_default=True,
              help="How many affected guarantors, banks and firms to list.")
@click.option("--central", type=click.IntRange(0, 10_000), default=0, show_default=True,
              help="Also rank this many firms by the distress their default alone would spread.")
def stress_command(defaulted: tuple[str, ...], top: int, central: int) -> None:
    """DebtRank stress test: the distress reaching guarantors, banks and firms if these firms default."""
    from graph_service.runtime.network_view import read_exposure_snapshot
    from graph_service.network_risk.stress_test import debtrank, exposure_network, too_central_to_fail
    from graph_service.adapters.neo4j_store import open_neo4j_store

    settings = Settings.from_env()
    with open_neo4j_store(settings) as store:
        network = exposure_network(read_exposure_snapshot(store), settings.loss_given_default)
    missing = [f for f in defaulted if ("Firm", f) not in network.index]
    if missing:
        raise TrustNetError(f"no firm with id {', '.join(repr(f) for f in missing)}")
    result = debtrank(network, [("Firm", f) for f in defaulted])
    affected = result.affected()
    click.echo(f"DebtRank {result.debtrank:.4f} after {result.rounds} round(s); {len(affected):,} nodes affected "
               f"(LGD {settings.loss_given_default:.0%})")
    for label in ("Guarantor", "Bank", "Firm"):
        rows = [r for r in affected if r["label"] == label][:top]
        if rows:
            click.echo(f"  {label.lower()}s losing most (share of capital):")
            for r in rows:
                click.echo(f"    {r['id']:<14} {r['loss_fraction']:.4f}")
    if central:
        click.echo(f"  too central to fail (of the {central} firms with the largest direct impact):")
        for r in too_central_to_fail(network, central)[:top]:
            click.echo(f"    {r['id']:<14} DebtRank {r['debtrank']:.4f}, {r['affected']:,} affected")


@main.group()
def keys() -> None:
    """API keys: each has one role and, for a bank, guarantor or partner, the node it acts for."""


@keys.command("create")
@click.option("--role", type=click.Choice(["bank", "guarantor", "partner", "investigator", "admin"]), required=True)
@click.option("--name", required=True, help="Who holds the key (shown in `keys list` and the audit trail).")
@click.option("--acts-for", "acts_for", metavar="LABEL:ID",
              help="The node the key acts for, e.g. Bank:B001 (banks, guarantors and partners).")
@click.option("--rate-limit", type=click.IntRange(1, 1_000_000), default=None,
              help="Requests per second (default TRUSTNET_API_RATE_LIMIT).")
@click.option("--replace", is_flag=True, help="Revoke the other active keys of this name first (rotation).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the key to this file (mode 0600) instead of printing it.")
def keys_create(role: str, name: str, acts_for: str | None, rate_limit: int | None, replace: bool,
                out_file: Path | None) -> None:
    """Create a key; it is shown once (only its hash is kept)."""
    import os

    from graph_service.services.api_keys import create_key, list_keys, revoke_key
    from graph_service.adapters.neo4j_store import open_neo4j_store

    node = None
    if acts_for is not None:
        label, sep, node_id = acts_for.partition(":")
        if not sep or not label or not node_id:
            raise TrustNetError(f"--acts-for takes LABEL:ID, e.g. Bank:B001; got {acts_for!r}")
        node = (label, node_id)
    with open_neo4j_store(Settings.from_env()) as store:
        if replace:
            for old in list_keys(store):
                if old["name"] == name and old["revoked_at"] is None:
                    revoke_key(store, old["id"])
                    click.echo(f"revoked {old['id']}", err=True)
        token, record = create_key(store, role, name, node, rate_limit)
    if out_file is not None:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(token + "\n")
        click.echo(f"key {record['id']} ({role}) written to {out_file}", err=True)
    else:
        click.echo(f"key {record['id']} ({role}); keep it now, it is not shown again:", err=True)
        click.echo(token)


@keys.command("list")
def keys_list() -> None:
    """Every key: id, role, what it acts for, created and revoked (never the key itself)."""
    from graph_service.services.api_keys import list_keys
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(Settings.from_env()) as store:
        rows = list_keys(store)
    click.echo(f"{'id':<13} {'role':<13} {'acts for':<22} {'name':<20} {'created':<20} revoked")
    for k in rows:
        acts_for = f"{k['acts_for_label']}:{k['acts_for_id']}" if k["acts_for_label"] else "-"
        created = k["created_at"].strftime("%Y-%m-%d %H:%M:%S")
        revoked = k["revoked_at"].strftime("%Y-%m-%d %H:%M:%S") if k["revoked_at"] else "-"
        click.echo(f"{k['id']:<13} {k['role']:<13} {acts_for:<22} {k['name'][:20]:<20} {created:<20} {revoked}")


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key (the API refuses it within TRUSTNET_API_KEY_CACHE_S seconds)."""
    from graph_service.services.api_keys import revoke_key
    from graph_service.adapters.neo4j_store import open_neo4j_store

    with open_neo4j_store(Settings.from_env()) as store:
        revoke_key(store, key_id)
    click.echo(f"revoked {key_id}")


@main.command("demo-info")
@click.option("--wait", is_flag=True, help="Wait up to 60 s until the API answers /health.")
def demo_info(wait: bool) -> None:
    """Print the API, docs and Neo4j Browser URLs with the credentials."""
    import time
    import urllib.request

    settings = Settings.from_env()
    api = f"http://{settings.api_host}:{settings.api_port}"
    if wait:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{api}/health", timeout=2).read()
                break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise TrustNetError(f"the API did not answer {api}/health: {exc}; see .run/api.log") from exc
                time.sleep(0.5)
    key_file = settings.state_dir / ".run" / "demo-api-key"
    key = key_file.read_text().strip() if key_file.is_file() else "<a key from `trustnet keys create`>"
    click.echo(f"""
TrustNet is running.
  API            {api}/health
                 curl -H "Authorization: Bearer $(cat {key_file})" {api}/v1/firms/F00001/score
                 (an admin key for the demo: {key})
  API docs       {api}/docs   (OpenAPI: {api}/openapi.json)
  Neo4j Browser  http://{settings.neo4j_host}:{settings.neo4j_http_port}/browser/
                 connect to {settings.neo4j_uri} as {settings.neo4j_user} / {settings.neo4j_password}
                 (the password is in {settings.env_file})
Stop everything with `make stop`.""")


@main.command("generate")
@click.option("--firms", type=click.IntRange(100, 5_000_000), default=20_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/world"),
              show_default=True)
def generate(firms: int, seed: int, out_dir: Path) -> None:
    """Generate a synthetic SME world: loader files in OUT/graph/, hidden truth in OUT/ground_truth.csv, and
    OUT/updates/: what a data partner sends after the scoring run (new utility readings for 1% of firms)."""
    import time

    from synthetic.world import generate_world

    started = time.perf_counter()
    world = generate_world(out_dir, firms, seed)
    click.echo(f"{world.firms:,} firms, {world.trades:,} trades, {world.loans:,} loans ({world.defaulted_loans:,} "
               f"defaulted, {world.firms_with_loans:,} firms with loans), {world.planted_circles:,} guarantee "
               f"circles in {time.perf_counter() - started:.1f} s")
    click.echo(f"Load it with: trustnet load {world.graph_dir}")
    click.echo(f"After scoring, load {out_dir / 'updates'} to see firms change since their scores.")


@main.command("evaluate")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True)
def evaluate_command(seed: int, reports_dir: Path) -> None:
    """Compare every model on the loaded graph (time split, thin-file protocol); write reports/evaluation.md."""
    from graph_service.adapters.neo4j_store import open_neo4j_store
    from scoring.evaluation import run_evaluation
    from scoring.report import as_text, write_report
    from graph_service.core.snapshot import read_snapshot

    with open_neo4j_store(Settings.from_env()) as store:
        snapshot = read_snapshot(store)
    try:
        evaluation = run_evaluation(snapshot, seed)
    except ValueError as exc:
        raise TrustNetError(str(exc)) from exc
    click.echo(as_text(evaluation))
    path = write_report(evaluation, reports_dir, f"TrustNet model evaluation ({len(snapshot.nodes['Firm']):,} firms)")
    click.echo(f"Report: {path} (plots: {path.with_name('evaluation.png')})")


@main.command("train")
@click.option("--seed", type=int, default=7, show_default=True)
def train_command(seed: int) -> None:
    """Evaluate every model, train the best on the latest year, save it under models/ and record it in Neo4j."""
    from graph_service.services.scoring import train_model
    from graph_service.adapters.neo4j_store import open_neo4j_store

    settings = Settings.from_env()
    with open_neo4j_store(settings) as store:
        try:
            trained, evaluation = train_model(store, settings.models_dir, seed)
        except ValueError as exc:
            raise TrustNetError(str(exc)) from exc
    from scoring.report import as_text

    click.echo(as_text(evaluation))
    shipped = trained.metrics["models"][trained.model_name]
    click.echo(f"\nTrained {trained.model_name}: version {trained.version}")
    click.echo(f"  test AUC thin-file {shipped['thin-file']['auc']:.3f}, with history {shipped['with-history']['auc']:.3f}")
    click.echo(f"  saved in {settings.models_dir / trained.version}")


@main.command("score")
@click.option("--all", "score_every_firm", is_flag=True, help="Score every firm and write the scores to Neo4j.")
@click.option("--firm", "firm_id", help="Score one firm now, from its neighbourhood.")
@click.option("--no-reasons", is_flag=True, help="With --all: skip reasons and evidence (faster).")
def score_command(score_every_firm: bool, firm_id: str | None, no_reasons: bool) -> None:
    """Score firms with the current model; scores are written as Score nodes."""
    import json
    import time
    from dataclasses import asdict

    from graph_service.services.scoring import current_model, score_all, score_firm, score_scale
    from graph_service.adapters.neo4j_store import open_neo4j_store

    if score_every_firm == bool(firm_id):
        raise click.UsageError("give exactly one of --all or --firm ID")
    settings = Settings.from_env()
    trained = current_model(settings.models_dir)
    with open_neo4j_store(settings) as store:
        started = time.perf_counter()
        if firm_id:
            score = score_firm(store, trained, firm_id, score_scale(settings),
                               settings.on_demand_fanout_1, settings.on_demand_fanout_2)
            click.echo(json.dumps(asdict(score), indent=2))
            return
        scores = score_all(store, trained, score_scale(settings), with_reasons=not no_reasons)
    grades: dict[str, int] = {}
    for s in scores:
        grades[s.grade] = grades.get(s.grade, 0) + 1
    click.echo(f"Scored {len(scores):,} firms with {trained.version} in {time.perf_counter() - started:.1f} s")
    click.echo("  grades: " + ", ".join(f"{g}: {grades[g]:,}" for g in sorted(grades, key=int)))


@main.command("serve")
@click.option("--host", default=None, help="Default TRUSTNET_API_HOST.")
@click.option("--port", type=int, default=None, help="Default TRUSTNET_API_PORT.")
@click.option("--daemon", is_flag=True, help="Run in the background; pid in .run/api.pid.")
def serve(host: str | None, port: int | None, daemon: bool) -> None:
    """Serve the API with gunicorn: TRUSTNET_API_WORKERS processes of TRUSTNET_API_THREADS threads."""
    import os

    settings = Settings.from_env()
    bind = f"{host or settings.api_host}:{port or settings.api_port}"
    run_dir = settings.state_dir / ".run"
    if daemon:
        run_dir.mkdir(exist_ok=True)
    access_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
    args = [sys.executable, "-m", "gunicorn", "--bind", bind, "--workers", str(settings.api_workers),
            "--threads", str(settings.api_threads), "--worker-class", "gthread",
            "--access-logformat", access_format,
            "--access-logfile", "-" if not daemon else str(run_dir / "api-access.log"),
            "--error-logfile", "-" if not daemon else str(run_dir / "api.log"),
            "graph_service.api.wsgi:app"]
    if daemon:
        args[3:3] = ["--daemon", "--pid", str(run_dir / "api.pid")]
    os.execv(args[0], args)
