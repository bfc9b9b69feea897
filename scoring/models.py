"""The baseline models, side by side: each fits on (features, outcomes) and scores raw risk.

Every model returns an uncalibrated risk score; calibration (calibration.py) turns it into a PD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


class RiskModel(Protocol):
    name: str
    columns: list[str]  # the feature names it reads

    def fit(self, x: np.ndarray, y: np.ndarray) -> "RiskModel": ...

    def risk(self, x: np.ndarray) -> np.ndarray: ...


@dataclass
class LogisticModel:
    name: str
    columns: list[str]
    seed: int = 0
    pipeline: object = None

    def fit(self, x, y):
        self.pipeline = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                                      LogisticRegression(C=0.5, max_iter=2000, random_state=self.seed))
        self.pipeline.fit(x, y)
        return self

    def risk(self, x):
        return self.pipeline.predict_proba(x)[:, 1]


@dataclass
class BoostingModel:
    name: str
    columns: list[str]
    seed: int = 0
    model: object = None
    params: dict = field(default_factory=lambda: dict(max_iter=300, learning_rate=0.05, max_leaf_nodes=31,
                                                      min_samples_leaf=40, l2_regularization=1.0))

    def fit(self, x, y):
        self.model = HistGradientBoostingClassifier(early_stopping=False, random_state=self.seed, **self.params)
        self.model.fit(x, y)
        return self

    def risk(self, x):
        return self.model.predict_proba(x)[:, 1]


@dataclass
class PropagationModel:
    """Seeded propagation alone: the share of distrust in what reaches the firm. Nothing to fit."""

    name: str
    columns: list[str]

    def fit(self, x, y):
        return self

    def risk(self, x):
        return x[:, 0]
