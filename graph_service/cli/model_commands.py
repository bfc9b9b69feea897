"""Credit models: `trustnet evaluate`, `train` and `score`."""

from __future__ import annotations

from pathlib import Path

import click

from graph_service.cli.context import command_settings, opened_store
from graph_service.cli.model_candidates import installed_candidates
from graph_service.core.errors import TrustNetError


SEED = click.option("--seed", type=int, default=7, show_default=True)
REPORTS = click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path),
                       default=Path("reports"), show_default=True, help="Where evaluation.md and .png are written.")
LACKS = click.option("--lacks", "lacks_text", metavar="TYPE.in|TYPE.out,...|none", default=None,
                     help="What the firms to be scored lack, simulated in validation (e.g. RATES.in: no received "
                          "ratings); inferred from the graph when not given, 'none' for nothing beyond their outcome.")

SPLIT = click.option("--split-property", default=None, metavar="NAME",
                     help="A firm property holding the owner's train / valid / test split (firm-level outcomes).")


PERIODS = click.option("--periods", type=click.IntRange(min=1), default=None,
                       help="Time split: train on at most this many as-of dates (default: every labelled period).")
PERIOD_DAYS = click.option("--period-days", type=click.IntRange(min=1), default=365, show_default=True,
                           help="Time split: days between the training panel's as-of dates.")
CV_REPEATS = click.option("--cv-repeats", type=click.IntRange(min=1), default=None,
                          help="Static verdicts: how many times to draw the 5 folds (default: 3 up to 2,000 "
                               "labelled firms, else 1).")

TRAIN_UNTIL = click.option("--train-until", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
                           help="Split by dates (with --validate-until): rows whose outcome year ends by this date "
                                "fit the models.")
VALIDATE_UNTIL = click.option("--validate-until", type=click.DateTime(["%Y-%m-%d"]), default=None,
                              metavar="YYYY-MM-DD",
                              help="Split by dates: rows from --train-until on whose outcome year ends by this date "
                                   "choose and calibrate the model; the year after it is the test.")


def evaluation_options(command):
    """The options evaluate and train share: seed, reports folder, lacks, splits, panel, CV repeats."""
    for option in reversed((SEED, REPORTS, LACKS, SPLIT, TRAIN_UNTIL, VALIDATE_UNTIL, PERIODS, PERIOD_DAYS,
                            CV_REPEATS)):
        command = option(command)
    return command


def _protocol(train_until, validate_until, periods: int | None, period_days: int, cv_repeats: int | None) -> dict:
    """run_evaluation's protocol arguments from the options (both dates of a split by dates, or neither)."""
    import numpy as np

    from scoring.panel import DateSplit, Panel

    protocol = {"panel": Panel(period_days, periods), "cv_repeats": cv_repeats}
    if (train_until is None) != (validate_until is None):
        raise click.UsageError("a split by dates takes both --train-until and --validate-until")
    if train_until is not None:
        try:
            protocol["date_split"] = DateSplit(np.datetime64(train_until.date(), "D"),
                                               np.datetime64(validate_until.date(), "D"))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
    return protocol


def _lacks(text: str | None):
    from scoring.lacks import parse_lacks

    return parse_lacks(text)


def _report(evaluation, reports_dir: Path, firms: int) -> None:
    from graph_service.services.scoring import score_scale
    from scoring.report import as_text, write_report

    scale = score_scale(command_settings())
    click.echo(as_text(evaluation, scale))
    path = write_report(evaluation, reports_dir, f"TrustNet model evaluation ({firms:,} firms)", scale)
    click.echo(f"Report: {path} (plots: {path.with_name('evaluation.png')})")


@click.command("evaluate")
@evaluation_options
def evaluate_command(seed: int, reports_dir: Path, lacks_text: str | None, split_property: str | None,
                     train_until, validate_until, periods: int | None, period_days: int,
                     cv_repeats: int | None) -> None:
    """Compare every model on the loaded graph (time split, or cross-validation for verdicts without
    dates); write reports/evaluation.md."""
    from scoring.evaluation import run_evaluation
    from graph_service.core.snapshot import read_snapshot

    lacks = _lacks(lacks_text)
    protocol = _protocol(train_until, validate_until, periods, period_days, cv_repeats)
    with opened_store() as store:
        snapshot = read_snapshot(store)
    try:
        evaluation = run_evaluation(snapshot, seed, installed_candidates(), lacks, split_property,
                                    **protocol)
    except ValueError as exc:
        raise TrustNetError(str(exc)) from exc
    _report(evaluation, reports_dir, len(snapshot.nodes["Firm"]))


@click.command("train")
@evaluation_options
def train_command(seed: int, reports_dir: Path, lacks_text: str | None, split_property: str | None,
                  train_until, validate_until, periods: int | None, period_days: int,
                  cv_repeats: int | None) -> None:
    """Evaluate every model (writing the same report as evaluate), refit the shipped one for scoring,
    save it under models/ and record it in Neo4j."""
    from graph_service.services.scoring import train_model

    lacks = _lacks(lacks_text)
    protocol = _protocol(train_until, validate_until, periods, period_days, cv_repeats)
    settings = command_settings()
    with opened_store(settings) as store:
        try:
            trained, evaluation = train_model(store, settings.models_dir, installed_candidates(), seed, lacks=lacks,
                                              split_property=split_property,
                                              protocol=protocol)
        except ValueError as exc:
            raise TrustNetError(str(exc)) from exc
    _report(evaluation, reports_dir, len(evaluation.test.data.hidden))
    shipped = trained.metrics["models"][trained.model_name]
    click.echo(f"\nTrained {trained.model_name}: version {trained.version}")
    click.echo("  test AUC " + ", ".join(f"{group} {values['auc']:.3f}" for group, values in shipped.items()
                                         if isinstance(values, dict) and "auc" in values))
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
