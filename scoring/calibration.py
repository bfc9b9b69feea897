"""From raw risk to a calibrated, floored 12-month PD (isotonic regression on a held-out set)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression

PD_FLOOR = 0.0005  # 0.05%, the Basel 3.1 corporate floor


@dataclass
class Calibrator:
    isotonic: IsotonicRegression

    @classmethod
    def fit(cls, risk: np.ndarray, y: np.ndarray) -> "Calibrator":
        isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        isotonic.fit(risk, y.astype(float))
        return cls(isotonic)

    def pd(self, risk: np.ndarray) -> np.ndarray:
        """Monotone non-decreasing in risk, floored."""
        return np.maximum(self.isotonic.predict(risk), PD_FLOOR)
