"""What an evaluation found: the periods it scored, each candidate's results, the model it shipped."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scoring.calibration import Calibrator
from scoring.lacks import Lack, LackFinding
from scoring.metrics import Metrics, reliability_table
from scoring.model_input import ModelInput
from scoring.models import RiskModel
from scoring.panel import DateSplit, Panel


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
    fold_aucs: list[float] = field(default_factory=list)  # cross-validation: test AUC of each fold
    refusal: str | None = None  # why it may not ship (scoring/model_choice.py), None if it may
    unjudged: list[str] = field(default_factory=list)  # validation segments too small to test against chance


@dataclass
class Evaluation:
    train: Period
    test: Period
    results: list[ModelResult]
    shipped: str
    ablations: list[tuple[str, str, ModelResult]] = field(default_factory=list)  # (model, what was left out, result)
    protocol: str = "time split"
    lacks: tuple[Lack, ...] = ()  # what thin-file / validation firms were made to lack
    lack_findings: list[LackFinding] = field(default_factory=list)  # how the lacks were inferred ([] if set)
    choice: list[str] = field(default_factory=list)  # why the shipped model shipped and others did not
    panel: Panel | None = None  # time split: how its training dates were chosen
    train_dates: list[np.datetime64] = field(default_factory=list)  # time split: the panel's dates, latest first
    cv_repeats: int = 0  # cross-validation: how many times the folds were drawn
    date_split: DateSplit | None = None  # time split: the user's train-until and validate-until, if given

    @property
    def timed(self) -> bool:
        """A time split (the default or by the user's dates): rows at as-of dates, thin-file test firms."""
        return bool(self.train_dates)

    def shipped_result(self) -> ModelResult:
        return next(r for r in self.results if r.name == self.shipped)

    def reliability(self) -> list[tuple[str, int, float, float]]:
        return reliability_table(self.test.y, self.shipped_result().test_pd)
