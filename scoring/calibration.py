"""From raw risk to a calibrated, floored 12-month PD, fitted on a held-out set.

Platt scaling on the logit of the risk (temperature scaling with a bias): two parameters, smooth,
so the PDs, and the grades cut from them, stay spread out. The slope is regularised (an L2
penalty, C = 1) and the PD kept below 1 - PD_FLOOR, so a small validation set that a model
separates perfectly gives no PD of exactly 1.0, nor a slope so steep that most firms sit on the floor. Isotonic regression, with its wide
plateaus on a small hold-out, is used only if the fitted slope is not positive (a model whose risk
does not rank at all), to keep the PD monotone in the model output either way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

PD_FLOOR = 0.0005  # 0.05%, the Basel 3.1 corporate floor
PD_CEILING = 1 - PD_FLOOR
REGULARISATION = 1.0  # inverse L2 strength on the Platt slope


def _logit(risk: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(risk, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class Calibrator:
    slope: float
    intercept: float
    isotonic: IsotonicRegression | None = None

    @classmethod
    def fit(cls, risk: np.ndarray, y: np.ndarray) -> "Calibrator":
        y = y.astype(int)
        if len(np.unique(y)) == 2:
            platt = LogisticRegression(C=REGULARISATION, max_iter=1000).fit(_logit(risk)[:, None], y)
            slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
            if slope > 0:
                return cls(slope, intercept)
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        isotonic.fit(risk, y.astype(float))
        return cls(0.0, 0.0, isotonic)

    def pd(self, risk: np.ndarray) -> np.ndarray:
        """Monotone non-decreasing in risk, floored."""
        if self.isotonic is not None:
            return np.clip(self.isotonic.predict(risk), PD_FLOOR, PD_CEILING)
        return np.clip(1 / (1 + np.exp(-(self.slope * _logit(risk) + self.intercept))), PD_FLOOR, PD_CEILING)
