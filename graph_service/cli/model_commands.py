"""Credit models: `trustnet evaluate`, `train` and `score`."""

from __future__ import annotations

from pathlib import Path

import click

from graph_service.cli.context import command_settings, opened_store
from graph_service.cli.model_candidates import installed_candidates
from graph_service.core.errors import TrustNetError


@click.command("evaluate")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True)
def evaluate_command(seed: int, reports_dir: Path) -> None:
    """Compare every model on the loaded graph (time split, thin-file protocol); write reports/evaluation.md."""
    from scoring.evaluation import run_evaluation
    from scoring.report import as_text, write_report
    from graph_service.core.snapshot import read_snapshot

    with opened_store() as store:
        snapshot = read_snapshot(store)
    try:
        evaluation = run_evaluation(snapshot, seed, installed_candidates())
    except ValueError as exc:
        raise TrustNetError(str(exc)) from exc
    click.echo(as_text(evaluation))
    path = write_report(evaluation, reports_dir, f"TrustNet model evaluation ({len(snapshot.nodes['Firm']):,} firms)")
    click.echo(f"Report: {path} (plots: {path.with_name('evaluation.png')})")


@click.command("train")
@click.option("--seed", type=int, default=7, show_default=True)
def train_command(seed: int) -> None:
    """Evaluate every model, train the best on the latest year, save it under models/ and record it in Neo4j."""
    from graph_service.services.scoring import train_model

    settings = command_settings()
    with opened_store(settings) as store:
        try:
            trained, evaluation = train_model(store, settings.models_dir, installed_candidates(), seed)
        except ValueError as exc:
            raise TrustNetError(str(exc)) from exc
    from scoring.report import as_text

    click.echo(as_text(evaluation))
    shipped = trained.metrics["models"][trained.model_name]
    click.echo(f"\nTrained {trained.model_name}: version {trained.version}")
    click.echo(f"  test AUC thin-file {shipped['thin-file']['auc']:.3f}, with history {shipped['with-history']['auc']:.3f}")
    click.echo(f"  saved in {settings.models_dir / trained.version}")


@click.command("score")
@click.option("--all", "score_every_firm", is_flag=True, help="Score every firm and write the scores to Neo4j.")
@click.option("--firm", "firm_id", help="Score one firm now, from its neighbourhood.")
@click.option("--no-reasons", is_flag=True, help="With --all: skip reasons and evidence (faster).")
def score_command(score_every_firm: bool, firm_id: str | None, no_reasons: bool) -> None:
    """Score firms with the current model; scores are written as Score nodes."""
    import json
    import time
    from dataclasses import asdict

    from graph_service.services.scoring import current_model, score_all, score_firm, score_scale

    if score_every_firm == bool(firm_id):
        raise click.UsageError("give exactly one of --all or --firm ID")
    settings = command_settings()
    trained = current_model(settings.models_dir)
    with opened_store(settings) as store:
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


COMMANDS = (evaluate_command, train_command, score_command)
