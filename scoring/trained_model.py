"""A trained scoring model: training and the versioned artifact folder (scoring it: firm_scores.py).

Training runs the evaluation protocol (which chooses the model to ship), then refits the shipped
kind of model on every labelled period up to the latest full year, so that it scores with today's
data. The artifact folder holds the fitted model and calibrator (model.pkl), the feature schema,
the metrics and the lineage (hash of the training snapshot, dates, seed).
"""

from __future__ import annotations

import json
import pickle
import re
import warnings
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.calibration import Calibrator
from scoring.evaluation import run_evaluation
from scoring.evaluation_results import Evaluation, Period
from scoring.model_input import ModelInput
from scoring.models import Candidates, RiskFunction, RiskModel, baseline_models
from scoring.outcomes import HORIZON, read_history
from scoring.features import known_bad
from scoring.own_schema import OwnSchema, with_rates
from scoring.panel import Panel
from scoring.panel_rows import build_panel
from scoring.propagation import SeedCounts
from scoring.tie_reach import TieRanges


@dataclass
class TrainedModel:
    version: str
    model_name: str
    model: RiskModel = field(repr=False)
    calibrator: Calibrator = field(repr=False)
    columns: list[str] = field(repr=False)  # the features the model reads, in order
    reference: np.ndarray = field(repr=False)  # typical value of each column (for reasons)
    trained_at: str = ""
    train_as_of: str = ""  # the latest as-of date it was fitted on
    train_dates: tuple[str, ...] = ()  # time split: every as-of date of its training panel, latest first
    snapshot_digest: str = ""
    scoring_as_of: str = ""  # the day after the last outcome in the training data: scores are as of it
    seed: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)
    # The training graph's tie ranges: on-demand scores bound one tie's reach by them (tie_reach.py).
    tie_ranges: TieRanges = field(default_factory=TieRanges, repr=False)
    # Which own properties are features and how, with the outcome counts of encoded categories
    # (own_schema.py): a firm's own features then do not depend on the snapshot it is scored in.
    own_schema: OwnSchema | None = field(default=None, repr=False)
    # What propagation shares its seeds' mass out over at the scoring date (propagation.py).
    seed_counts: SeedCounts | None = field(default=None, repr=False)

    def risk_function(self, data: ModelInput, rows: np.ndarray) -> RiskFunction:
        """risk(x) for the firms at rows, x: (k * len(rows), len(columns)) (see RiskModel)."""
        return self.model.risk_function(data, rows)

    def save(self, models_dir: Path) -> Path:
        folder = models_dir / self.version
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.pkl").write_bytes(pickle.dumps(self))
        (folder / "feature_schema.json").write_text(json.dumps({"columns": self.columns}, indent=1))
        (folder / "metrics.json").write_text(json.dumps(self.metrics, indent=1))
        (folder / "tie_ranges.json").write_text(json.dumps(self.tie_ranges.to_json(), indent=1))
        if self.own_schema is not None:
            (folder / "own_schema.json").write_text(json.dumps(self.own_schema.to_json(), indent=1))
        (folder / "lineage.json").write_text(json.dumps({
            "version": self.version, "model": self.model_name, "trained_at": self.trained_at,
            "train_as_of": self.train_as_of, "train_dates": list(self.train_dates), "scoring_as_of": self.scoring_as_of,
            "snapshot_digest": self.snapshot_digest, "seed": self.seed,
        }, indent=1))
        return folder

    @staticmethod
    def load(folder: Path) -> "TrainedModel":
        return pickle.loads((folder / "model.pkl").read_bytes())


def _metrics(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "shipped": evaluation.shipped,
        "test_as_of": str(evaluation.test.as_of),
        "models": {r.name: {g: asdict(m) for g, m in r.test.items()} | {"validation_thin_auc": r.validation_thin_auc}
                   for r in evaluation.results},
        "reliability": evaluation.reliability(),
        "ablations": [{"model": model, "left_out": left_out,
                       "thin_file_auc_with": evaluation.shipped_result().test["thin-file"].auc,
                       "thin_file_auc_without": result.test["thin-file"].auc}
                      for model, left_out, result in evaluation.ablations],
    }


def _refit(snapshot: GraphSnapshot, evaluation: Evaluation,
           seed: int) -> tuple[RiskModel, Calibrator, Period, list[np.datetime64]]:
    """The shipped kind of model fitted for scoring, its calibrator, the rows it was fitted on and
    (time split) their as-of dates.

    Time split: refit on the panel of every labelled period up to the latest full year (the
    evaluation's panel rule, scoring/panel.py), calibrated on a seeded quarter of its firms (their
    rows at the latest date). A split by dates: refit on its training and validation rows (up to
    validate-until), calibrated on the validation rows. Static verdicts and an owner's split: refit
    on every labelled firm's own-outcome-hidden row, calibrated on its out-of-fold (or validation)
    scores."""
    shipped = evaluation.shipped_result()
    model = shipped.model.variant(shipped.name, shipped.model.columns)
    if not evaluation.timed or evaluation.date_split is not None:
        fitted = evaluation.train
        model.fit(fitted.data, fitted.firms, fitted.y)
        return model, shipped.calibrator, fitted, evaluation.train_dates
    history = read_history(snapshot)
    panel = evaluation.panel or Panel()
    rows = build_panel(snapshot, history, panel.dates(history, history.observed_until - HORIZON), seed + 2,
                       evaluation.lacks)
    latest, validation, calibration = rows.period, rows.validation(seed), rows.calibration(seed)
    model.fit(latest.data, latest.firms[~validation], latest.y[~validation])
    calibrator = Calibrator.fit(model.risk(latest.data, latest.firms[validation][calibration]),
                                latest.y[validation][calibration])
    return model, calibrator, latest, rows.dates


def train(snapshot: GraphSnapshot, seed: int = 7, evaluation: Evaluation | None = None,
          candidates: Sequence[Candidates] = (baseline_models,)) -> TrainedModel:
    """Refit the model the evaluation shipped (run now over `candidates` if not given) for scoring
    (see _refit) and version it by snapshot and seed."""
    evaluation = evaluation or run_evaluation(snapshot, seed, candidates)
    history = read_history(snapshot)
    model, calibrator, latest, dates = _refit(snapshot, evaluation, seed)
    with warnings.catch_warnings():  # a column no training firm has a value in: its typical value is unknown
        warnings.simplefilter("ignore", RuntimeWarning)
        reference = np.nanmedian(latest.data.columns(model.columns)[latest.firms], axis=0)
    scoring_as_of = history.observed_until + np.timedelta64(1, "D")
    labelled, bad = known_bad(history, scoring_as_of, np.zeros(history.n_firms, dtype=bool))
    own_schema = with_rates(latest.data.schema, snapshot.nodes["Firm"], labelled, bad)
    digest = snapshot.digest()
    slug = re.sub(r"[^a-z0-9]+", "-", evaluation.shipped.lower()).strip("-")
    return TrainedModel(
        version=f"{slug}-{digest[:10]}-s{seed}", model_name=evaluation.shipped, model=model, calibrator=calibrator,
        columns=list(model.columns), reference=reference,
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), train_as_of=str(latest.as_of),
        train_dates=tuple(str(d) for d in dates),
        snapshot_digest=digest, scoring_as_of=str(scoring_as_of), seed=seed,
        metrics=_metrics(evaluation), tie_ranges=latest.data.ranges, own_schema=own_schema,
        seed_counts=SeedCounts(history.n_firms, int((labelled & ~bad).sum()), int(bad.sum())),
    )
