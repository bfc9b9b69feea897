"""The one model interface, and the baseline models that implement it.

Every model fits on the firms at `rows` of a ModelInput and gives a risk function: raw
(uncalibrated) risk of those firms from a feature matrix in the model's `columns`. Reasons switch
feature groups off by calling that function on altered matrices, so a features model and the GNN
explain the same way. Calibration (calibration.py) turns risk into a PD.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from scoring.model_input import ModelInput

RiskFunction = Callable[[np.ndarray], np.ndarray]


class RiskModel(Protocol):
    name: str
    columns: list[str]  # the feature names it reads

    def fit(self, data: ModelInput, rows: np.ndarray, y: np.ndarray) -> "RiskModel":
        """rows: (r,) firm indices with outcomes y: (r,) 0/1."""

    def risk(self, data: ModelInput, rows: np.ndarray) -> np.ndarray:
        """(r,) raw risk of the firms at rows, from the input as it is."""

    def risk_function(self, data: ModelInput, rows: np.ndarray) -> RiskFunction:
        """risk(x) for the firms at rows: x (k * r, len(columns)) holds k variants of their features,
        stacked; returns (k * r,) raw risk. Reasons switch feature groups off through it."""

    def variant(self, name: str, columns: list[str]) -> "RiskModel":
        """An unfitted model of the same kind and settings that reads other columns."""


# A family of candidate models for the evaluation: the models to compare on this input.
Candidates = Callable[[ModelInput, int], list[RiskModel]]


@dataclass
class _FeaturesModel:
    """A model of the firm's own row of features: fits on and scores the rows alone."""

    name: str
    columns: list[str]
    seed: int = 0

    def fit(self, data: ModelInput, rows: np.ndarray, y: np.ndarray):
        self._fit(data.columns(self.columns)[rows], y)
        return self

    def risk(self, data: ModelInput, rows: np.ndarray) -> np.ndarray:
        return self._risk(data.columns(self.columns)[rows])

    def risk_function(self, data: ModelInput, rows: np.ndarray) -> RiskFunction:
        return self._risk

    def variant(self, name: str, columns: list[str]):
        return replace(self, name=name, columns=list(columns))

    def _fit(self, x: np.ndarray, y: np.ndarray) -> None:
        raise NotImplementedError

    def _risk(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@dataclass
class LogisticModel(_FeaturesModel):
    pipeline: object = field(default=None, repr=False)

    def _fit(self, x, y):
        self.pipeline = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True, add_indicator=True),
                                      StandardScaler(),
                                      LogisticRegression(C=0.5, max_iter=2000, random_state=self.seed))
        self.pipeline.fit(x, y)

    def _risk(self, x):
        return self.pipeline.predict_proba(x)[:, 1]

    def variant(self, name, columns):
        return replace(self, name=name, columns=list(columns), pipeline=None)


@dataclass
class BoostingModel(_FeaturesModel):
    model: object = field(default=None, repr=False)
    params: dict = field(default_factory=lambda: dict(max_iter=300, learning_rate=0.05, max_leaf_nodes=31,
                                                      min_samples_leaf=40, l2_regularization=1.0))
    # Columns with no value at all in the training rows (a rare tie type that never reaches a
    # labelled firm): gradient boosting's binning fails on them, and they carry nothing to learn.
    unused: list[str] = field(default_factory=list)
    _kept: np.ndarray | None = field(default=None, repr=False)

    def _fit(self, x, y):
        known = np.isfinite(x).any(axis=0)
        self._kept = np.flatnonzero(known)
        self.unused = [c for c, k in zip(self.columns, known) if not k]
        self.model = HistGradientBoostingClassifier(early_stopping=False, random_state=self.seed, **self.params)
        self.model.fit(x[:, self._kept], y)

    def _risk(self, x):
        kept = getattr(self, "_kept", None)  # None: a model pickled before columns were dropped
        kept = np.arange(x.shape[1]) if kept is None else kept
        return self.model.predict_proba(x[:, kept])[:, 1]

    def variant(self, name, columns):
        return replace(self, name=name, columns=list(columns), model=None, unused=[], _kept=None)


@dataclass
class PropagationModel(_FeaturesModel):
    """Seeded propagation alone: the share of distrust in what reaches the firm. Nothing to fit."""

    def _fit(self, x, y):
        pass

    def _risk(self, x):
        return x[:, 0]


def baseline_models(data: ModelInput, seed: int) -> list[RiskModel]:
    """The honest baselines: own features only, graph features (linear and boosted), seeded
    propagation, and both."""
    names = data.names
    own = [n for n in names if n.startswith(("own.", "consistency.", "history."))]
    graph = [n for n in names if not n.startswith("propagation.")]
    return [
        LogisticModel("features-only logistic regression", own, seed),
        BoostingModel("features-only gradient boosting", own, seed),
        LogisticModel("graph-feature logistic regression", graph, seed),
        BoostingModel("graph-feature gradient boosting", graph, seed),
        PropagationModel("seeded propagation (TrustRank)", ["propagation.distrust_share"], seed),
        BoostingModel("graph-feature gradient boosting + propagation", list(names), seed),
    ]
