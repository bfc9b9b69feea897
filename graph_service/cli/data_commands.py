"""The graph's data: `trustnet init-schema`, `load`, `model`, `stats`, `sample-data` and `generate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph_service.cli.context import command_settings, opened_store
from graph_service.core.graph_model import REFERENCE_MODEL


@click.command("init-schema")
def init_schema() -> None:
    """Create the uniqueness constraints and indexes (idempotent)."""
    with opened_store() as store:
        for name in store.apply_schema(REFERENCE_MODEL):
            click.echo(f"  {name}")


@click.command("load")
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
    from loaders.discovery import plan_load

    settings = command_settings()
    plan = plan_load(path, REFERENCE_MODEL, source, mapping)
    show_progress = sys.stderr.isatty()

    def progress(spec, rows: int) -> None:
        if show_progress:
            click.echo(f"\r  {spec.name}: {rows:,} rows read", nl=False, err=True)

    with opened_store(settings) as store:
        report = load(store, plan, rejects_dir, batch_size or settings.ingest_batch_size, progress,
                      node_writers=settings.ingest_node_writers)
    if show_progress:
        click.echo("", err=True)
    for f in report.files:
        line = f"{f.file:<28} {f.type_name:<14} read {f.rows_read:>9,}  loaded {f.loaded:>9,}  rejected {f.rejected:>7,}"
        click.echo(line + (f"  left out {f.routed_away:,}" if f.routed_away else "")
                   + (f"  -> {f.rejects_file}" if f.rejects_file else ""))
        if len(f.loaded_by_type) > 1:
            click.echo(f"{'':28} loaded " + ", ".join(f"{n:,} {t}" for t, n in sorted(f.loaded_by_type.items())))
        if f.ignored_columns:
            click.echo(f"{'':28} ignored columns: {', '.join(f.ignored_columns)}")
    click.echo(f"Total: read {report.rows_read:,}, loaded {report.loaded:,}, rejected {report.rejected:,}"
               + (f", left out by the mapping {report.routed_away:,} (its where, route or repeated_ids: skip)"
                  if report.routed_away else ""))
    for reason, count in report.reasons().most_common():
        click.echo(f"  {count:>7,}  {reason}")


@click.command("model")
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


@click.command("stats")
def stats() -> None:
    """Count nodes per label and relationships per type."""
    with opened_store() as store:
        for (kind, name), count in sorted(store.counts_by_type().items()):
            click.echo(f"{kind:<13} {name:<16} {count:>10,}")


@click.command("sample-data")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/sample"),
              show_default=True)
@click.option("--firms", type=click.IntRange(10, 100_000), default=300, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
def sample_data(out_dir: Path, firms: int, seed: int) -> None:
    """Write the small sample network (every node and relationship type) as loader files."""
    from synthetic.sample_network import generate

    for name, count in generate(out_dir, firms, seed).items():
        click.echo(f"  {out_dir / (name + '.csv')}: {count} rows")


@click.command("generate")
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


COMMANDS = (init_schema, load_command, model_command, stats, sample_data, generate)
