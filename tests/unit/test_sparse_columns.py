"""Real, sparse data: a feature column with no value in any training row (a rare tie type that never
reaches a labelled firm) used to crash gradient boosting ("window shape cannot be larger than input
array shape"); it is now left out, and named."""

import numpy as np

from scoring.models import BoostingModel


class _Input:
    def __init__(self, names, matrix):
        self.names, self.matrix = names, matrix

    def columns(self, wanted):
        return self.matrix[:, [self.names.index(w) for w in wanted]]


def test_gradient_boosting_fits_with_a_column_that_is_entirely_missing():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    x[:, 1] = np.nan
    y = (x[:, 0] + rng.normal(scale=0.5, size=400) > 0.8).astype(int)
    data = _Input(["own.a", "RARE.in.rating.mean", "own.b"], x)
    model = BoostingModel("gb", data.names, seed=1).fit(data, np.arange(300), y[:300])
    assert model.unused == ["RARE.in.rating.mean"]
    risk = model.risk(data, np.arange(300, 400))
    assert risk.shape == (100,) and np.isfinite(risk).all()
    assert np.corrcoef(risk, x[300:, 0])[0, 1] > 0.5  # it learned from the columns it kept
    assert model.variant("gb2", data.names).unused == []
