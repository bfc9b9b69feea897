"""The evaluation protocol: a time-based split, thin-file scoring, every model side by side.

- Train on outcomes in the year after `train_as_of` with features as of that day; test on the
  year after `test_as_of` (one year later) with features as of that day. Nothing after an as-of
  date reaches its features.
- Thin-file protocol: a seeded half of the firms scored at each date is scored thin-file: its own
  loans, every tie through them, and its own outcome are hidden from the features and from the
  propagation seeds. Metrics are reported for thin-file and with-history firms separately.
- A quarter of the training firms is held out as validation: it chooses the model to ship (best
  thin-file AUC) and fits the calibrator (Platt scaling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.calibration import Calibrator
from scoring.metrics import Metrics, auc_difference_interval, evaluate, reliability_table
from scoring.model_input import ModelInput, model_input
from scoring.models import Candidates, RiskModel, baseline_models
from scoring.outcomes import HORIZON, CreditHistory, read_history

THIN_SHARE = 0.5
VALIDATION_SHARE = 0.25
# The recommenders' track records as the features see them (as of each date, the firm itself left out).
TRACK_RECORD_COLUMNS = ("RECOMMENDS.in.known", "RECOMMENDS.in.bad_rate")


@dataclass
class Period:
    """The firms scored at one as-of date, their features and what happened next."""

    data: ModelInput  # every firm's features as of the date, the hidden ones thin-file
    firms: np.ndarray  # (r,) firm indices at risk at as_of
    thin: np.ndarray  # (r,) bool: scored thin-file
    y: np.ndarray  # (r,) 0/1 default within 12 months

    @property
    def as_of(self) -> np.datetime64:
        return self.data.as_of

    @property
    def names(self) -> list[str]:
        return self.data.names


def build_period(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64, seed: int) -> Period:
    at_risk, defaulted = history.labels(as_of)
    rng = np.random.default_rng(seed)
    hidden = at_risk & (rng.random(len(at_risk)) < THIN_SHARE)
    firms = np.flatnonzero(at_risk)
    return Period(model_input(snapshot, history, as_of, hidden), firms, hidden[firms], defaulted[firms].astype(int))


@dataclass
class ModelResult:
    name: str
    validation_thin_auc: float
    test: dict[str, Metrics]  # "all", "thin-file", "with-history"
    calibrator: Calibrator = field(repr=False)
    model: RiskModel = field(repr=False)
    test_risk: np.ndarray = field(repr=False)  # (test firms,) raw score
    test_pd: np.ndarray = field(repr=False)  # (test firms,) calibrated PD
    # For a variant of the shipped model: 95% paired-bootstrap interval of (shipped - this) thin-file AUC.
    thin_auc_change: tuple[float, float] | None = None


@dataclass
class Evaluation:
    train: Period
    test: Period
    results: list[ModelResult]
    shipped: str
    ablations: list[tuple[str, str, ModelResult]] = field(default_factory=list)  # (model, what was left out, result)

    def shipped_result(self) -> ModelResult:
        return next(r for r in self.results if r.name == self.shipped)

    def reliability(self) -> list[tuple[str, int, float, float]]:
        return reliability_table(self.test.y, self.shipped_result().test_pd)


def _auc(y: np.ndarray, risk_: np.ndarray) -> float:
    return evaluate(y, risk_).auc if len(y) else float("nan")


class _Protocol:
    """Fits a model on the training period's fit firms, calibrates and chooses on its validation
    firms, and tests it on the test period."""

    def __init__(self, train: Period, test: Period, seed: int):
        self.train, self.test = train, test
        self.validation = np.random.default_rng(seed).random(len(train.y)) < VALIDATION_SHARE
        self.groups = {"all": np.ones(len(test.y), dtype=bool), "thin-file": test.thin, "with-history": ~test.thin}

    def run(self, model: RiskModel) -> ModelResult:
        train, test, validation = self.train, self.test, self.validation
        model.fit(train.data, train.firms[~validation], train.y[~validation])
        validation_risk = model.risk(train.data, train.firms[validation])
        test_risk = model.risk(test.data, test.firms)
        calibrator = Calibrator.fit(validation_risk, train.y[validation])
        thin_validation = train.thin[validation]
        test_pd = calibrator.pd(test_risk)
        return ModelResult(
            name=model.name,
            validation_thin_auc=_auc(train.y[validation][thin_validation], validation_risk[thin_validation]),
            test={g: evaluate(test.y[m], test_pd[m], test_risk[m]) for g, m in self.groups.items()},
            calibrator=calibrator, model=model, test_risk=test_risk, test_pd=test_pd,
        )


def run_evaluation(snapshot: GraphSnapshot, seed: int = 7,
                   candidates: Sequence[Candidates] = (baseline_models,)) -> Evaluation:
    """Every candidate model side by side on the time split; ships the best on validation thin-file AUC.

    candidates: families of models to compare (the baselines by default; entry points add the GNN
    where the `gnn` extra is installed)."""
    history = read_history(snapshot)
    test_as_of = history.observed_until - HORIZON
    train = build_period(snapshot, history, test_as_of - HORIZON, seed)
    test = build_period(snapshot, history, test_as_of, seed + 1)
    if train.y.sum() == 0 or test.y.sum() == 0:
        raise ValueError("too few outcomes to train and test on: the graph needs defaults (Loan nodes with "
                         "status 'defaulted' tied by BORROWED, or Firm.defaulted) in each of its last two years")
    assert train.names == test.names
    protocol = _Protocol(train, test, seed)
    results = [protocol.run(model) for family in candidates for model in family(train.data, seed)]
    shipped = max(results, key=lambda r: r.validation_thin_auc).name
    evaluation = Evaluation(train, test, results, shipped)
    _track_record_ablation(evaluation, protocol)
    return evaluation


def _track_record_ablation(evaluation: Evaluation, protocol: _Protocol) -> None:
    """Would the shipped model do as well without the recommenders' track records?"""
    shipped = evaluation.shipped_result()
    track = [c for c in TRACK_RECORD_COLUMNS if c in shipped.model.columns]
    if not track:
        return
    name = f"{shipped.name} without recommender track records"
    without = protocol.run(shipped.model.variant(name, [c for c in shipped.model.columns if c not in track]))
    thin = evaluation.test.thin
    without.thin_auc_change = auc_difference_interval(evaluation.test.y[thin], without.test_risk[thin],
                                                      shipped.test_risk[thin])
    evaluation.ablations.append((shipped.name, ", ".join(track), without))
